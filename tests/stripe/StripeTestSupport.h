#pragma once
// What the stripe suites share: the recorded payloads (fixtures/stripe-payloads.json), a valid
// plugin configuration, the error an sdk call throws, and a FakeHost HTTP handler that forwards
// the plugin's requests to a running FakeStripe.
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

namespace tinko::stripe::test {

using json::Value;

// One payload of fixtures/stripe-payloads.json, e.g. "checkout_session", "error_401".
inline Value payload(const std::string& name) {
    std::ifstream file(TINKO_STRIPE_PAYLOADS);
    std::stringstream text;
    text << file.rdbuf();
    const Value all = json::parse(text.str());
    const Value* found = all.find(name);
    if (!found) throw std::invalid_argument("no payload '" + name + "' in " TINKO_STRIPE_PAYLOADS);
    return *found;
}
inline std::string payloadText(const std::string& name) { return payload(name).dump(); }

inline const std::string kSecretKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
inline const std::string kWebhookSecret = "whsec_test_secret";

// A configuration validate_config accepts, pointing at `apiBase`.
inline Value config(const std::string& apiBase = "https://api.stripe.com", const std::string& secretKey = kSecretKey) {
    return Value::object({{"secret_key", secretKey}, {"webhook_secret", kWebhookSecret}, {"api_base", apiBase}});
}

// The create_checkout request the suites send: order-1042, 19.99 EUR, the link expiring at `expiresAt`.
inline Value checkoutRequest(const Value& config, std::int64_t expiresAt,
                             const std::string& idempotencyKey = "tinko-link-7-29453760") {
    return Value::object({{"config", config},
                          {"recovery_id", "42"},
                          {"transaction_ref", "order-1042"},
                          {"amount", 1999},
                          {"currency", "EUR"},
                          {"customer", Value::object({{"email", "jenny@example.com"}, {"name", "Jenny"}})},
                          {"success_url", "https://pay.tinko.example/r/tok/done"},
                          {"cancel_url", "https://pay.tinko.example/r/tok"},
                          {"expires_at", expiresAt},
                          {"idempotency_key", idempotencyKey}});
}

// The Checkout Session form the contract asks for, for checkoutRequest() sent to Stripe with
// `expiresAt` already inside Stripe's window.
inline std::string expectedCheckoutForm(std::int64_t expiresAt) {
    return "mode=payment"
           "&success_url=https%3A%2F%2Fpay.tinko.example%2Fr%2Ftok%2Fdone"
           "&cancel_url=https%3A%2F%2Fpay.tinko.example%2Fr%2Ftok"
           "&line_items[0][price_data][currency]=eur"
           "&line_items[0][price_data][unit_amount]=1999"
           "&line_items[0][price_data][product_data][name]=Payment%20order-1042"
           "&line_items[0][quantity]=1"
           "&client_reference_id=42"
           "&metadata[tinko_recovery_id]=42"
           "&metadata[tinko_transaction_ref]=order-1042"
           "&payment_intent_data[metadata][tinko_recovery_id]=42"
           "&payment_intent_data[metadata][tinko_transaction_ref]=order-1042"
           "&expires_at=" + std::to_string(expiresAt) +
           "&customer_email=jenny%40example.com";
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

// A FakeHost HTTP handler that sends each request to a FakeStripe at 127.0.0.1:`port`, with the
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

}  // namespace tinko::stripe::test
