#pragma once
// What the razorpay suites share: the recorded payloads (fixtures/razorpay-payloads.json), a valid
// plugin configuration, the create_checkout request they send, the error an sdk call throws, and a
// FakeHost HTTP handler that forwards the plugin's requests to a running FakeRazorpay.
#include "tinko/json.hpp"
#include "tinko/sdk.hpp"
#include "tinko/testing/FakeHost.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tinko::razorpay::test {

using json::Value;

// One payload of fixtures/razorpay-payloads.json, e.g. "payment_link_created", "error_401".
inline Value payload(const std::string& name) {
    std::ifstream file(TINKO_RAZORPAY_PAYLOADS);
    std::stringstream text;
    text << file.rdbuf();
    const Value all = json::parse(text.str());
    const Value* found = all.find(name);
    if (!found) throw std::invalid_argument("no payload '" + name + "' in " TINKO_RAZORPAY_PAYLOADS);
    return *found;
}
inline std::string payloadText(const std::string& name) { return payload(name).dump(); }

inline const std::string kKeyId = "rzp_test_1DP5mmOlF5G5ag";
inline const std::string kKeySecret = "thisissupersecret";
inline const std::string kWebhookSecret = "rzp_webhook_secret";   // provider-contracts.md's vector

// A configuration validate_config accepts, pointing at `apiBase`.
inline Value config(const std::string& apiBase = "https://api.razorpay.com", const std::string& keyId = kKeyId,
                    const std::string& keySecret = kKeySecret) {
    return Value::object({{"key_id", keyId}, {"key_secret", keySecret}, {"webhook_secret", kWebhookSecret},
                          {"api_base", apiBase}});
}

// The create_checkout request the suites send: order-1042, 499.00 INR, the link expiring at `expiresAt`.
inline Value checkoutRequest(const Value& config, std::int64_t expiresAt,
                             const std::string& idempotencyKey = "tinko-link-7-29453760") {
    return Value::object({{"config", config},
                          {"recovery_id", "42"},
                          {"transaction_ref", "order-1042"},
                          {"amount", 49900},
                          {"currency", "INR"},
                          {"customer", Value::object({{"email", "gaurav.kumar@example.com"},
                                                      {"name", "Gaurav Kumar"},
                                                      {"phone", "+919000090000"}})},
                          {"success_url", "https://pay.tinko.example/r/tok/done"},
                          {"cancel_url", "https://pay.tinko.example/r/tok"},
                          {"expires_at", expiresAt},
                          {"idempotency_key", idempotencyKey}});
}

// The Payment Link body the contract asks for, for checkoutRequest() with `expireBy` already
// inside Razorpay's window.
inline std::string expectedLinkBody(std::int64_t expireBy, const std::string& referenceId = "tinko-link-7-29453760") {
    return R"({"amount":49900,"currency":"INR","description":"Payment order-1042","reference_id":")" + referenceId +
           R"(","customer":{"name":"Gaurav Kumar","email":"gaurav.kumar@example.com","contact":"+919000090000"},)"
           R"("notify":{"sms":false,"email":false},"reminder_enable":false,)"
           R"("notes":{"tinko_recovery_id":"42","tinko_transaction_ref":"order-1042"},)"
           R"("callback_url":"https://pay.tinko.example/r/tok/done","callback_method":"get","expire_by":)" +
           std::to_string(expireBy) + "}";
}

// "<category>: <message>" of the sdk::Error `fn` throws, or "no error".
template <class Fn>
std::string errorOf(Fn fn) {
    try {
        fn();
    } catch (const sdk::Error& e) {
        return std::to_string(e.category()) + ": " + e.what();
    }
    return "no error";
}
inline std::string category(tinko_error_category c) { return std::to_string(c) + ": "; }

// "<category> retryable|final [<code>]: <message>" of the sdk::Error `fn` throws, or "no error".
template <class Fn>
std::string fullErrorOf(Fn fn) {
    try {
        fn();
    } catch (const sdk::Error& e) {
        return std::to_string(e.category()) + (e.retryable() ? " retryable" : " final") + " [" + e.providerCode() +
               "]: " + e.what();
    }
    return "no error";
}

// "<category> retryable|final [<code>]: <message>" of a failed call through FakeHost, or "ok: <json>".
inline std::string result(const testing::Answer& a) {
    if (a.ok) return "ok: " + a.json;
    return std::to_string(a.error.category) + (a.error.retryable ? " retryable" : " final") + " [" + a.error.providerCode +
           "]: " + a.error.message;
}

// A FakeHost HTTP handler that sends each request to a FakeRazorpay at 127.0.0.1:`port`, with the
// request's timeout (else `defaultTimeoutMs`) but at most `maxTimeoutMs`, so a test need not wait
// out the plugin's 15 s. A timeout becomes a transport error, as in the host.
inline std::function<testing::ScriptedResponse(const testing::RecordedRequest&)> forwardTo(int port,
                                                                                          long defaultTimeoutMs = 5000,
                                                                                          long maxTimeoutMs = 60000) {
    return [port, defaultTimeoutMs, maxTimeoutMs](const testing::RecordedRequest& r) {
        const std::string base = "http://127.0.0.1:" + std::to_string(port);
        if (r.url.rfind(base, 0) != 0) return testing::ScriptedResponse::noAnswer("not the fake's URL: " + r.url);
        try {
            Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
            const long timeoutMs = std::min(r.timeoutMs ? static_cast<long>(r.timeoutMs) : defaultTimeoutMs, maxTimeoutMs);
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

}  // namespace tinko::razorpay::test
