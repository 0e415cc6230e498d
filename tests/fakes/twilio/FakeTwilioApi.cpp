// The fake's Messages endpoint: every check Twilio (and Tinko's contract) makes before acting,
// the scripted failures, and POST /2010-04-01/Accounts/{AccountSid}/Messages.json itself. See
// FakeTwilio.h for the rules.
#include "FakeText.h"
#include "FakeTwilioImpl.h"

#include <Poco/Base64Decoder.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace tinko::fakes {

using namespace twilio;
using json::Value;

namespace {

constexpr int kAuthenticate = 20003;
constexpr int kNotFound = 20404;
constexpr int kMethodNotAllowed = 20004;
constexpr int kUnknownOrInvalidParameter = 20001;

// "Basic <base64 of user:password>" -> {user, password}; nullopt when it is not that.
std::optional<std::pair<std::string, std::string>> basicCredentials(const std::string& header) {
    if (!startsWith(header, "Basic ")) return std::nullopt;
    const std::string encoded = header.substr(6);
    if (encoded.empty() || encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
                               std::string::npos)
        return std::nullopt;
    std::string decoded;
    try {
        std::istringstream in(encoded);
        Poco::Base64Decoder decoder(in);
        decoded.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const std::exception&) {
        return std::nullopt;
    }
    const std::size_t colon = decoded.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == decoded.size()) return std::nullopt;
    return std::make_pair(decoded.substr(0, colon), decoded.substr(colon + 1));
}

std::string messageForCode(int code) {
    switch (code) {
        case 21610: return "Attempt to send to unsubscribed recipient";
        case 21211: return "Invalid 'To' Phone Number";
        case 21614: return "'To' number is not a valid mobile number";
        case 20429: return "Too Many Requests";
        case 30003: return "Unreachable destination handset";
        case 20003: return "Authenticate";
        default: return "Error " + std::to_string(code) + " (injected by the test)";
    }
}

int statusForCode(int code) {
    if (code == 20429) return 429;
    if (code == 20003) return 401;
    return 400;
}

// How many SMS segments Twilio bills: GSM-7 (approximated as ASCII) 160 per message or 153 per
// part, else UCS-2, 70 or 67.
std::size_t segments(const std::string& body) {
    const bool ascii = std::all_of(body.begin(), body.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    const std::size_t n = utf8Length(body), single = ascii ? 160 : 70, part = ascii ? 153 : 67;
    return n <= single ? 1 : (n + part - 1) / part;
}

}  // namespace

Answer FakeTwilio::Impl::api(FakeTwilioRequest& request) {
    if (!requestFailures.empty()) {   // in front of Twilio: nothing is checked, nothing happens
        const int status = requestFailures.front();
        requestFailures.pop_front();
        return errorAnswer(status, 20500, "An internal server error has occurred (injected by the test)");
    }
    const std::string where = request.method + " " + request.path + ": ";
    auto refuse = [&](int status, int code, const std::string& message) {
        violations.push_back(where + message);
        return errorAnswer(status, code, message);
    };

    // Authentication: a missing or malformed header is the plugin's bug, a wrong token a bad config.
    const std::string authorization = request.header("authorization");
    if (authorization.empty()) return refuse(401, kAuthenticate, "Authenticate: no Authorization header (HTTP Basic AccountSid:AuthToken)");
    const auto credentials = basicCredentials(authorization);
    if (!credentials) return refuse(401, kAuthenticate, "Authenticate: Authorization must be 'Basic base64(AccountSid:AuthToken)'");
    if (credentials->first != options.accountSid || credentials->second != options.authToken)
        return errorAnswer(401, kAuthenticate, "Authenticate");

    // The contract: operation, account, encoding, parameters.
    std::map<std::string, std::string> pathValues;
    const TwilioContract::Operation* operation = contract.find(request.method, request.path, pathValues);
    if (!operation) {
        std::map<std::string, std::string> ignored;
        if (contract.find("POST", request.path, ignored))
            return refuse(405, kMethodNotAllowed, "Method not allowed: " + request.method + " (the contract has POST)");
        return refuse(404, kNotFound, "The requested resource " + request.path +
                                          " was not found (the fake serves only the operation in twilio-contract.json)");
    }
    const std::string contentType = lower(request.header("content-type"));
    if (!startsWith(contentType, operation->contentType))
        return refuse(400, kUnknownOrInvalidParameter,
                      "the body must be " + operation->contentType + ", not '" + contentType + "'");
    const std::optional<FormPairs> form = decodeForm(request.body);
    if (!form) return refuse(400, kUnknownOrInvalidParameter, "the body is not valid form encoding");
    request.form = *form;
    if (auto breach = contract.check(*operation, pathValues, *form)) return refuse(breach->httpStatus, breach->code, breach->message);
    if (pathValues["AccountSid"] != credentials->first)
        return refuse(404, kNotFound, "The requested resource " + request.path + " was not found (it names account " +
                                          pathValues["AccountSid"] + ", the credentials " + credentials->first + ")");

    if (!sendFailures.empty()) {
        const SendFailure failure = sendFailures.front();
        sendFailures.pop_front();
        return errorAnswer(failure.httpStatus ? failure.httpStatus : statusForCode(failure.code), failure.code,
                           messageForCode(failure.code));
    }
    return createMessage(*operation, *form);
}

Answer FakeTwilio::Impl::createMessage(const TwilioContract::Operation& operation, const FormPairs& form) {
    auto value = [&](const std::string& name) {
        for (const auto& [n, v] : form)
            if (n == name) return v;
        return std::string();
    };
    FakeTwilioMessage message;
    message.sid = newSid("SM");
    message.to = value("To");
    message.from = value("From");
    message.messagingServiceSid = value("MessagingServiceSid");
    message.body = value("Body");
    message.statusCallback = value("StatusCallback");
    messages.push_back(message);

    // The spec's example resource, every field set as Twilio would for this message.
    const std::string now = Poco::DateTimeFormatter::format(Poco::Timestamp(), "%w, %d %b %Y %H:%M:%S +0000");
    const std::string uri = "/2010-04-01/Accounts/" + options.accountSid + "/Messages/" + message.sid;
    auto orNull = [](const std::string& s) { return s.empty() ? Value() : Value(s); };
    Value resource = operation.responseExample;
    resource.set("account_sid", options.accountSid);
    resource.set("api_version", "2010-04-01");
    resource.set("body", message.body);
    resource.set("date_created", now);
    resource.set("date_sent", Value());
    resource.set("date_updated", now);
    resource.set("direction", "outbound-api");
    resource.set("error_code", Value());
    resource.set("error_message", Value());
    resource.set("from", orNull(message.from));
    resource.set("messaging_service_sid", orNull(message.messagingServiceSid));
    resource.set("num_media", "0");
    resource.set("num_segments", std::to_string(segments(message.body)));
    resource.set("price", Value());
    resource.set("price_unit", "USD");
    resource.set("sid", message.sid);
    resource.set("status", "queued");
    resource.set("subresource_uris", Value::object({{"media", uri + "/Media.json"}}));
    resource.set("to", message.to);
    resource.set("uri", uri + ".json");
    return {201, kJsonContentType, {}, resource.dump()};
}

}  // namespace tinko::fakes
