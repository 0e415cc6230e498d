#pragma once
// What the paypal suites share: the recorded payloads (fixtures/paypal-payloads.json), a valid
// plugin configuration, the requests the host sends, the error an sdk call throws, and a FakeHost
// HTTP handler that forwards the plugin's requests to a running FakePayPal.
#include "tinko/json.hpp"
#include "tinko/sdk.hpp"
#include "tinko/testing/FakeHost.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

#include <cctype>
#include <cstdint>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tinko::paypal::test {

using json::Value;

// One payload of fixtures/paypal-payloads.json, e.g. "order_created", "error_401".
inline Value payload(const std::string& name) {
    std::ifstream file(TINKO_PAYPAL_PAYLOADS);
    std::stringstream text;
    text << file.rdbuf();
    const Value all = json::parse(text.str());
    const Value* found = all.find(name);
    if (!found) throw std::invalid_argument("no payload '" + name + "' in " TINKO_PAYPAL_PAYLOADS);
    return *found;
}
inline std::string payloadText(const std::string& name) { return payload(name).dump(); }

inline const std::string kClientId = "AeA1QIZXiflr1_-r0U2UbWTziOWX1GRQer5jkUq4ZfWT5qwb6qQRPq7jDtv57TL4POEEezGLdutcxnkJ";
inline const std::string kClientSecret = "ECYYrrSHdKfk_Q0EdvzdGkzj58a66kKaUQ5dZAEv4HvvtDId2_DpSuYDB088BZxGuMji7G4OFUnPog6p";
inline const std::string kWebhookId = "1JE4291016473214C";
inline const std::string kAccessToken =
    "A21AAFEpH4PsADK7qSS7pSRsgzfENtu-Q1ysgEDVDESseMHBYXVJYE8ovjj68elIDy8nF26AwPhfXTIeWAZHSLIsQkSYz9ifg";   // fixture "token"

// A configuration validate_config accepts, pointing at `apiBase`.
inline Value config(const std::string& apiBase = "https://api-m.paypal.com", const std::string& clientId = kClientId,
                    const std::string& clientSecret = kClientSecret, const std::string& webhookId = kWebhookId) {
    return Value::object({{"client_id", clientId},
                          {"client_secret", clientSecret},
                          {"webhook_id", webhookId},
                          {"brand_name", "Acme Books"},
                          {"api_base", apiBase}});
}

// The create_checkout request the suites send: recovery 42 of order-1042, 12.50 USD.
inline Value checkoutRequest(const Value& config, std::int64_t expiresAt,
                             const std::string& idempotencyKey = "tinko-link-7-29453760", std::int64_t amount = 1250,
                             const std::string& currency = "USD") {
    return Value::object({{"config", config},
                          {"recovery_id", "42"},
                          {"transaction_ref", "order-1042"},
                          {"amount", amount},
                          {"currency", currency},
                          {"customer", Value::object({{"email", "jenny@example.com"}, {"name", "Jenny"}})},
                          {"success_url", "https://pay.tinko.example/r/tok/done"},
                          {"cancel_url", "https://pay.tinko.example/r/tok"},
                          {"expires_at", expiresAt},
                          {"idempotency_key", idempotencyKey}});
}

// The order that request becomes, as the contract asks for it.
inline std::string expectedOrderBody(const std::string& value = "12.50", const std::string& currency = "USD") {
    return R"({"intent":"CAPTURE","purchase_units":[{"reference_id":"order-1042","custom_id":"tinko-recovery-42",)"
           R"("invoice_id":"order-1042","amount":{"currency_code":")" + currency + R"(","value":")" + value + R"("}}],)"
           R"("payment_source":{"paypal":{"experience_context":{"return_url":"https://pay.tinko.example/r/tok/done",)"
           R"("cancel_url":"https://pay.tinko.example/r/tok","user_action":"PAY_NOW","shipping_preference":"NO_SHIPPING",)"
           R"("brand_name":"Acme Books"}}}})";
}

// The complete_checkout request the host sends when the payer is back at success_url.
inline Value completeRequest(const Value& config, const std::string& orderId, const Value& query,
                             const std::string& idempotencyKey = "tinko-complete-7-5O190127TN364715T") {
    return Value::object({{"config", config},
                          {"recovery_id", "42"},
                          {"provider_reference", orderId},
                          {"query", query},
                          {"idempotency_key", idempotencyKey}});
}
inline Value returnQuery(const std::string& orderId, const std::string& payerId = "QYR5Z8XDVJNXQ") {
    return Value::object({{"token", orderId}, {"PayerID", payerId}});
}

// A verify_webhook / parse_webhook request.
inline Value webhookRequest(const Value& config, const Value& headers, const std::string& body) {
    return Value::object({{"config", config},
                          {"url", "https://tinko.example/v1/webhooks/paypal/acme"},
                          {"headers", headers},
                          {"body", body}});
}

// "<category>: <message>" of the sdk::Error `fn` throws, or "no error".
template <class Fn>
std::string errorOf(Fn fn) {
    try {
        fn();
    } catch (const sdk::Error& e) {
        return std::to_string(e.category()) + (e.retryable() ? " retryable" : " final") +
               (e.providerCode().empty() ? "" : " [" + e.providerCode() + "]") + ": " + e.what();
    }
    return "no error";
}

// "<category> retryable|final [<code>]: <message>" of a failed plugin call, or "ok: <json>".
inline std::string result(const testing::Answer& a) {
    if (a.ok) return "ok: " + a.json;
    return std::to_string(a.error.category) + (a.error.retryable ? " retryable" : " final") + " [" + a.error.providerCode +
           "]: " + a.error.message;
}

// A FakeHost HTTP handler that sends each request to a FakePayPal at 127.0.0.1:`port`, with the
// request's timeout, else `defaultTimeoutMs`. A timeout becomes a transport error, as in the host.
inline std::function<testing::ScriptedResponse(const testing::RecordedRequest&)> forwardTo(int port,
                                                                                          long defaultTimeoutMs = 5000) {
    return [port, defaultTimeoutMs](const testing::RecordedRequest& r) {
        const std::string base = "http://127.0.0.1:" + std::to_string(port);
        if (r.url.rfind(base, 0) != 0) return testing::ScriptedResponse::noAnswer("not the fake's URL: " + r.url);
        try {
            Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
            const long timeoutMs = r.timeoutMs ? static_cast<long>(r.timeoutMs) : defaultTimeoutMs;
            session.setTimeout(Poco::Timespan(timeoutMs / 1000, (timeoutMs % 1000) * 1000));
            Poco::Net::HTTPRequest request(r.method, r.url.substr(base.size()), Poco::Net::HTTPMessage::HTTP_1_1);
            for (const auto& [name, value] : r.headers) request.set(name, value);
            request.setContentLength(static_cast<std::streamsize>(r.body.size()));
            session.sendRequest(request) << r.body;
            Poco::Net::HTTPResponse response;
            std::istream& in = session.receiveResponse(response);
            testing::ScriptedResponse out;
            out.status = response.getStatus();
            for (const auto& [name, value] : response) {
                std::string lower = name;
                for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                out.headers.emplace_back(lower, value);
            }
            Poco::StreamCopier::copyToString(in, out.body);
            return out;
        } catch (const std::exception& e) {
            return testing::ScriptedResponse::noAnswer(std::string("request to the fake failed: ") + e.what());
        }
    };
}

}  // namespace tinko::paypal::test
