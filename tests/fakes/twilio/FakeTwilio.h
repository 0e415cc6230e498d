#pragma once
// FakeTwilio: a local stand-in for api.twilio.com's Messages API, for end-to-end tests of the
// notify-twilio plugin and of the host through it. Point the plugin's config at it:
// {"account_sid": fake.accountSid(), "auth_token": fake.authToken(), "api_base": fake.baseUrl(), ...}.
//
//   FakeTwilio twilio;                       // nothing listens yet
//   twilio.start();                          // 127.0.0.1, a free port
//   twilio.failNextSend(21610);              // the next SMS: the recipient has unsubscribed
//   ... drive the host or the plugin ...
//   twilio.messages();                       // what was accepted: to, from, body, status_callback, sid
//   CPPUNIT_ASSERT(twilio.violations().empty());
//   auto cb = twilio.statusCallback(sid, "delivered");   // what Twilio would POST to the StatusCallback
//   twilio.deliverStatus(sid, "undelivered", "30003");  // ... or POST it there itself
//
// What it serves (twilio-contract.json, derived from Twilio's OpenAPI spec, lists the operation):
//   POST /2010-04-01/Accounts/{AccountSid}/Messages.json   creates a message: 201 with the message
//        resource as Twilio shows it (sid SM + 32 hex, status "queued"), and records it
//
// Every request is checked as Twilio would, and a breach is answered the way Twilio answers it
// ({"code", "message", "more_info", "status"}) AND recorded in violations(), so a test can assert
// that the plugin never broke the contract:
//   - Authorization missing, not "Basic base64(user:password)" -> 401 (code 20003). A well-formed
//     but wrong account or token is a 401 code 20003 too, but not a violation: that is a test of a
//     bad configuration.
//   - an unknown path or method, or the path naming another account than the credentials -> 404
//   - a body that is not application/x-www-form-urlencoded -> 400
//   - the form against the operation's schema: an unknown parameter (Twilio would ignore it; the
//     contract refuses it), a parameter given twice, To missing (21604), neither From nor
//     MessagingServiceSid (21603), no Body (21602), To/From not E.164 (21211/21212), a malformed
//     MessagingServiceSid (21701), StatusCallback not an http(s) URL (21609), Body over 1600
//     characters, counted as code points (21617), other types, patterns and enums -> 400
//     (20001 where Twilio has no code of its own).
// Twilio has no idempotency key: every accepted request is a new message.
#include "FakeHttpRequest.h"
#include "tinko/json.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tinko::fakes {

// One request the fake received: method, path, query, headers, body and the status answered
// (FakeHttpRequest.h), and the form decoded.
struct FakeTwilioRequest : FakeHttpRequest {
    std::vector<std::pair<std::string, std::string>> form;      // decoded, in order (empty if not a form)

    std::optional<std::string> formValue(const std::string& name) const;   // e.g. "StatusCallback"
};

// A message the fake accepted.
struct FakeTwilioMessage {
    std::string sid;                   // SM + 32 hex
    std::string to;
    std::string from;                  // "" when sent through a Messaging Service
    std::string messagingServiceSid;   // "" when sent from a number
    std::string body;
    std::string statusCallback;        // "" when none was given
    std::string status = "queued";     // the last status a callback reported
    std::string errorCode;             // the last callback's ErrorCode, "" for none
};

// A status callback as Twilio sends it: POST `url`, Content-Type
// application/x-www-form-urlencoded, X-Twilio-Signature: `signature`, body `body`.
struct SignedStatusCallback {
    std::string url;
    std::string signature;
    std::string body;
};

class FakeTwilio {
public:
    struct Options {
        std::string accountSid = "AC0123456789abcdef0123456789abcdef";   // the account requests must be for
        std::string authToken = "f00dfeedcafe0123456789abcdef0123";      // its auth token
        std::string contractPath;   // default: the twilio-contract.json beside this file
    };

    FakeTwilio();
    explicit FakeTwilio(Options options);
    ~FakeTwilio();   // stops the server
    FakeTwilio(const FakeTwilio&) = delete;
    FakeTwilio& operator=(const FakeTwilio&) = delete;

    void start();    // listens on 127.0.0.1, a free port
    void stop();     // idempotent

    std::string baseUrl() const;   // http://127.0.0.1:<port>, for the plugin's api_base
    int port() const;
    const std::string& accountSid() const;
    const std::string& authToken() const;

    // What arrived, in order; what broke the contract ("<METHOD> <path>: <Twilio's message>");
    // the messages accepted, in order, and one of them by sid.
    std::vector<FakeTwilioRequest> requests() const;
    std::vector<std::string> violations() const;
    std::vector<FakeTwilioMessage> messages() const;
    std::optional<FakeTwilioMessage> message(const std::string& sid) const;

    // ---- Scripts: each applies once, in the order given -----------------------------------------
    // The next well-formed create is refused with Twilio's error `code`, e.g. 21610 (unsubscribed
    // recipient), 21211 (invalid To), 21614 (not a mobile number), 20429 (too many requests),
    // 30003 (unreachable handset); httpStatus 0 = the status Twilio sends with that code (429 for
    // 20429, 401 for 20003, else 400). Nothing is recorded as a message; it is no violation.
    void failNextSend(int code, int httpStatus = 0);
    // The next request of any kind is answered `status` with Twilio's 20500 body, before any check.
    void failNextRequest(int status = 500);

    // ---- Status callbacks -------------------------------------------------------------------------
    // What Twilio would POST about message `sid` now being `status` (one of the spec's message
    // statuses; errorCode e.g. "30003", "21610", or "" for none): the form Twilio sends
    // (AccountSid, ApiVersion, ErrorCode?, From, MessageSid, MessageStatus, MessagingServiceSid?,
    // SmsSid, SmsStatus, To) signed for `url` (default: the message's StatusCallback) with
    // `authToken` (default: the fake's). Records the status on the message. Throws
    // std::invalid_argument for an unknown sid or status, or when there is no URL.
    SignedStatusCallback statusCallback(const std::string& sid, const std::string& status,
                                        const std::string& errorCode = "", const std::string& url = "",
                                        const std::string& authToken = "");
    // statusCallback(sid, status, errorCode), POSTed to the message's StatusCallback URL (plain
    // http only) over a new connection; returns the HTTP status the receiver answered. Throws
    // std::runtime_error when it cannot be delivered.
    int deliverStatus(const std::string& sid, const std::string& status, const std::string& errorCode = "");

    // X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + every name+value sorted by name)).
    static std::string signature(const std::string& url, const std::vector<std::pair<std::string, std::string>>& params,
                                 const std::string& authToken);

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace tinko::fakes
