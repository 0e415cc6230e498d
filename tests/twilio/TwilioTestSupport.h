#pragma once
// What the twilio suites share: the recorded payloads (fixtures/twilio-payloads.json), plugin
// configurations, the error an sdk call throws, and a receiver for the status callbacks FakeTwilio
// posts (on the fakes' HTTP server, FakeHttpServer.h); the FakeHost HTTP handler that forwards
// the plugin's requests to a running FakeTwilio comes from PluginTestSupport.h.
#include "FakeHttpServer.h"
#include "PluginTestSupport.h"

#include <Poco/Base64Encoder.h>

#include <chrono>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace tinko::twilio::test {

using json::Value;

using plugintest::forwardTo;

// One payload of fixtures/twilio-payloads.json, e.g. "message_queued", "error_21610".
inline Value payload(const std::string& name) { return plugintest::payloadFrom(TINKO_TWILIO_PAYLOADS, name); }
inline std::string payloadText(const std::string& name) { return payload(name).dump(); }
// A field of the payloads' test account: account_sid, auth_token, previous_auth_token, from,
// messaging_service_sid, to, callback_url.
inline std::string account(const std::string& field) { return payload("account").at(field).asString(); }

// "Basic base64(user:password)", base64 on one line as HTTP wants it.
inline std::string basicAuth(const std::string& user, const std::string& password) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << user << ":" << password;
    encoder.close();
    return "Basic " + out.str();
}

// A configuration validate_config accepts, sending from a number, pointing at `apiBase`.
inline Value config(const std::string& apiBase = "https://api.twilio.com") {
    return Value::object({{"account_sid", account("account_sid")},
                          {"auth_token", account("auth_token")},
                          {"from", account("from")},
                          {"api_base", apiBase}});
}
// The same, sending through the Messaging Service.
inline Value serviceConfig(const std::string& apiBase = "https://api.twilio.com") {
    return Value::object({{"account_sid", account("account_sid")},
                          {"auth_token", account("auth_token")},
                          {"messaging_service_sid", account("messaging_service_sid")},
                          {"api_base", apiBase}});
}

// The send request the suites make: the recovery SMS to the payloads' recipient.
inline Value sendRequest(const Value& config, const std::string& text = "Hi Jenny, your payment for order-1042 failed. "
                                                                      "Update your card: https://pay.tinko.example/r/7Gq2xZ",
                         const std::string& to = account("to")) {
    return Value::object({{"config", config},
                          {"to", to},
                          {"subject", "ignored by SMS"},
                          {"text", text},
                          {"html", "<p>ignored by SMS</p>"},
                          {"idempotency_key", "tinko-notify-7-sms"},
                          {"status_callback_url", account("callback_url")}});
}

// A parse_callback request for a recorded callback ({"url","body","signature"}).
inline Value callbackRequest(const Value& config, const Value& callback) {
    return Value::object({{"config", config},
                          {"url", callback.at("url")},
                          {"headers", Value::object({{"content-type", "application/x-www-form-urlencoded"},
                                                     {"x-twilio-signature", callback.at("signature")}})},
                          {"body", callback.at("body")}});
}

// "<category> retryable|final [<code>]: <message>" of the sdk::Error `fn` throws, or "no error".
template <class Fn>
std::string errorOf(Fn fn) {
    return plugintest::fullErrorOf(fn);
}
// The start of what errorOf() says for an error of that kind, e.g. "8 final [21610]".
inline std::string kind(tinko_error_category category, bool retryable, const std::string& code = "") {
    return std::to_string(category) + (retryable ? " retryable" : " final") + " [" + code + "]";
}
inline bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// An sdk::HttpResponse as the host would hand it over: `status` with a JSON body.
inline sdk::HttpResponse answer(int status, const std::string& body) {
    sdk::HttpResponse r;
    r.status = status;
    r.headers = {{"content-type", "application/json; charset=utf-8"}};
    r.body = body;
    return r;
}

// An HTTP server on 127.0.0.1 standing in for Tinko's callback endpoint: records every request
// and answers 204. url(path) is what to give as status_callback_url.
class CallbackReceiver {
public:
    struct Received {
        std::string method;
        std::string pathAndQuery;
        std::map<std::string, std::string> headers;   // names lower-cased
        std::string body;
    };

    CallbackReceiver() { server_.start(); }

    std::string url(const std::string& pathAndQuery) const { return server_.baseUrl() + pathAndQuery; }
    std::vector<Received> received() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return received_;
    }

private:
    fakes::FakeHttpAnswer record(const fakes::FakeHttpRequest& request) {
        Received r{request.method, request.path + (request.query.empty() ? "" : "?" + request.query), {}, request.body};
        for (const auto& [name, value] : request.headers) r.headers[name] = value;
        std::lock_guard<std::mutex> lock(mutex_);
        received_.push_back(std::move(r));
        return {204, "", {}, ""};   // no Content-Type: there is no body
    }

    mutable std::mutex mutex_;
    std::vector<Received> received_;
    // Last, so it stops before what its handler records into goes.
    fakes::FakeHttpServer server_{[this](const fakes::FakeHttpRequest& r, std::chrono::milliseconds&) { return record(r); }};
};

}  // namespace tinko::twilio::test
