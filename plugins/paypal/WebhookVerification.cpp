#include "WebhookVerification.h"

#include "PayPalResponses.h"

namespace tinko::paypal {

namespace {

using json::Value;

std::string header(const Value& headers, std::string_view lowerName) {
    const Value* v = headers.find(lowerName);
    if (!v || !v->isString() || v->asString().empty())
        throw sdk::authFailed("the delivery has no " + std::string(lowerName) + " header: it is not signed by PayPal");
    return v->asString();
}

void appendJsonString(std::string& out, const char* key, const std::string& value) {
    out += Value(key).dump();
    out += ':';
    out += Value(value).dump();
    out += ',';
}

}  // namespace

Transmission readTransmission(const Value& headers) {
    Transmission t;
    t.authAlgo = header(headers, "paypal-auth-algo");
    t.certUrl = header(headers, "paypal-cert-url");
    t.transmissionId = header(headers, "paypal-transmission-id");
    t.transmissionSig = header(headers, "paypal-transmission-sig");
    t.transmissionTime = header(headers, "paypal-transmission-time");
    return t;
}

std::uint32_t crc32(std::string_view bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char byte : bytes) {
        crc ^= byte;
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::string signedMessage(const Transmission& t, const std::string& webhookId, std::string_view body) {
    return t.transmissionId + "|" + t.transmissionTime + "|" + webhookId + "|" + std::to_string(crc32(body));
}

std::string verificationBody(const Transmission& t, const std::string& webhookId, const std::string& rawBody) {
    try {
        if (!json::parse(rawBody).isObject()) throw sdk::invalidInput("the webhook body must be a JSON object");
    } catch (const json::ParseError& e) {
        throw sdk::invalidInput(std::string("the webhook body is not JSON: ") + e.what());
    }
    std::string out = "{";
    appendJsonString(out, "auth_algo", t.authAlgo);
    appendJsonString(out, "cert_url", t.certUrl);
    appendJsonString(out, "transmission_id", t.transmissionId);
    appendJsonString(out, "transmission_sig", t.transmissionSig);
    appendJsonString(out, "transmission_time", t.transmissionTime);
    appendJsonString(out, "webhook_id", webhookId);
    out += "\"webhook_event\":";
    out += rawBody;
    out += '}';
    return out;
}

sdk::HttpRequest verifySignatureRequest(const PayPalConfig& config, const Transmission& t, const std::string& rawBody,
                                        const std::string& accessToken) {
    sdk::HttpRequest request;
    request.method = "POST";
    request.url = config.apiBase + "/v1/notifications/verify-webhook-signature";
    request.headers = {{"Authorization", "Bearer " + accessToken},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}};
    request.body = verificationBody(t, config.webhookId, rawBody);
    request.timeoutMs = kVerifyTimeoutMs;
    return request;
}

void checkVerification(const sdk::HttpResponse& response) {
    const std::string call = "verifying the webhook signature";
    if (response.status != 200) throw errorForFailedCall(response, call);
    std::string status;
    try {
        const Value answer = json::parse(response.body);
        if (const Value* v = answer.find("verification_status"); v && v->isString()) status = v->asString();
    } catch (const json::ParseError&) {
    }
    if (status == "SUCCESS") return;
    if (status == "FAILURE")
        throw sdk::authFailed("PayPal says the webhook signature is not valid for webhook_id (verification_status FAILURE)");
    throw sdk::providerError(call + ": PayPal answered 200 without a verification_status", true);
}

}  // namespace tinko::paypal
