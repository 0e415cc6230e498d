#pragma once
// FakeTwilio's insides, shared by FakeTwilio.cpp (the test's API, status callbacks) and
// FakeTwilioApi.cpp (the Messages endpoint). Not for tests: include FakeTwilio.h.
#include "FakeHttpServer.h"
#include "FakeTwilio.h"
#include "TwilioContract.h"

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace tinko::fakes {

namespace twilio {

using Answer = FakeHttpAnswer;

// Twilio answers everything, errors included, with this content type.
inline const std::string kJsonContentType = "application/json; charset=utf-8";

// Twilio's error body: {"code", "message", "more_info", "status"}.
inline Answer errorAnswer(int status, int code, const std::string& message) {
    return {status, kJsonContentType, {},
            json::Value::object({{"code", code},
                                 {"message", message},
                                 {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
                                 {"status", status}})
                .dump()};
}

}  // namespace twilio

// All state sits behind one mutex: requests are answered one at a time.
class FakeTwilio::Impl {
public:
    using Answer = twilio::Answer;

    explicit Impl(Options o);

    // Answers one request and records it (the server's handler).
    Answer handle(const FakeHttpRequest& received);

    // ---- The Messages endpoint (FakeTwilioApi.cpp) ------------------------------------------------
    Answer api(FakeTwilioRequest& request);
    Answer createMessage(const twilio::TwilioContract::Operation& operation, const twilio::FormPairs& form);

    FakeTwilioMessage* find(const std::string& sid);
    std::string newSid(const std::string& prefix);   // prefix + 32 hex

    struct SendFailure {
        int code = 0;
        int httpStatus = 0;
    };

    const Options options;
    const twilio::TwilioContract contract;

    mutable std::mutex mutex;
    std::vector<FakeTwilioRequest> requests;
    std::vector<std::string> violations;
    std::vector<FakeTwilioMessage> messages;
    std::deque<SendFailure> sendFailures;
    std::deque<int> requestFailures;
    std::mt19937_64 sidDigits{std::random_device{}()};   // sids look random, as Twilio's do

    // Last, so it stops before the state its handler uses goes.
    FakeHttpServer server{[this](const FakeHttpRequest& r, std::chrono::milliseconds&) { return handle(r); }};
};

}  // namespace tinko::fakes
