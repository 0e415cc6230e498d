#pragma once
// What the twilio suites share: the recorded payloads (fixtures/twilio-payloads.json), plugin
// configurations, the error an sdk call throws, a FakeHost HTTP handler that forwards the plugin's
// requests to a running FakeTwilio, and a receiver for the status callbacks it posts.
#include "tinko/json.hpp"
#include "tinko/sdk.hpp"
#include "tinko/testing/FakeHost.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinko::twilio::test {

using json::Value;

// One payload of fixtures/twilio-payloads.json, e.g. "message_queued", "error_21610".
inline Value payload(const std::string& name) {
    std::ifstream file(TINKO_TWILIO_PAYLOADS);
    std::stringstream text;
    text << file.rdbuf();
    const Value all = json::parse(text.str());
    const Value* found = all.find(name);
    if (!found) throw std::invalid_argument("no payload '" + name + "' in " TINKO_TWILIO_PAYLOADS);
    return *found;
}
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
    try {
        fn();
    } catch (const sdk::Error& e) {
        return std::to_string(e.category()) + (e.retryable() ? " retryable" : " final") + " [" + e.providerCode() +
               "]: " + e.what();
    }
    return "no error";
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

// A FakeHost HTTP handler that sends each request to a fake at 127.0.0.1:`port`, with the
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

    CallbackReceiver() {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        port_ = socket.address().port();
        auto params = new Poco::Net::HTTPServerParams;   // the server owns it
        params->setKeepAlive(false);
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), threads_, socket, params);
        server_->start();
    }
    ~CallbackReceiver() {
        server_->stopAll(true);
        threads_.joinAll();
    }

    std::string url(const std::string& pathAndQuery) const { return "http://127.0.0.1:" + std::to_string(port_) + pathAndQuery; }
    std::vector<Received> received() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return received_;
    }

private:
    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(CallbackReceiver& owner) : owner_(owner) {}
        void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
            Received r{in.getMethod(), in.getURI(), {}, {}};
            for (const auto& [name, value] : in) {
                std::string lower = name;
                for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                r.headers[lower] = value;
            }
            Poco::StreamCopier::copyToString(in.stream(), r.body);
            {
                std::lock_guard<std::mutex> lock(owner_.mutex_);
                owner_.received_.push_back(std::move(r));
            }
            out.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
            out.setContentLength(0);
            out.send();
        }

    private:
        CallbackReceiver& owner_;
    };
    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        explicit Factory(CallbackReceiver& owner) : owner_(owner) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler(owner_);
        }

    private:
        CallbackReceiver& owner_;
    };

    mutable std::mutex mutex_;
    std::vector<Received> received_;
    Poco::ThreadPool threads_{1, 4};
    std::unique_ptr<Poco::Net::HTTPServer> server_;   // after threads_: it goes first
    int port_ = 0;
};

}  // namespace tinko::twilio::test
