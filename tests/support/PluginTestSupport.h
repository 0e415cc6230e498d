#pragma once
// What the suites of the provider plugins (tests/stripe, razorpay, paypal, twilio) share: reading
// a recorded-payloads file, the error an sdk call throws and a FakeHost answer put in words, and a
// FakeHost HTTP handler that forwards the plugin's requests to a fake provider on 127.0.0.1. Each
// <Provider>TestSupport.h brings these into its namespace and adds its provider's payloads,
// configuration and requests. Needs tinko-sdk-testing (tinko/testing/FakeHost.hpp).
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
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tinko::plugintest {

// The payload `name` of a recorded-payloads file (a JSON object of named payloads).
inline json::Value payloadFrom(const std::string& file, const std::string& name) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    const json::Value all = json::parse(text.str());
    const json::Value* found = all.find(name);
    if (!found) throw std::invalid_argument("no payload '" + name + "' in " + file);
    return *found;
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
// The start of what errorOf() says for an error of that category.
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

// A FakeHost HTTP handler that sends each request to a fake at 127.0.0.1:`port`, with the
// request's timeout (else `defaultTimeoutMs`) but at most `maxTimeoutMs`. A timeout becomes a
// transport error, as in the host.
inline std::function<testing::ScriptedResponse(const testing::RecordedRequest&)> forwardTo(
    int port, long defaultTimeoutMs = 5000, long maxTimeoutMs = std::numeric_limits<long>::max()) {
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

}  // namespace tinko::plugintest
