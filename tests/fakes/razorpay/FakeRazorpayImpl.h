#pragma once
// FakeRazorpay's insides, shared by FakeRazorpay.cpp (the hosted page, the test's API, the events)
// and FakeRazorpayApi.cpp (the /v1 endpoint). Not for tests: include FakeRazorpay.h.
#include "FakeHttpServer.h"
#include "FakeRazorpay.h"
#include "FakeText.h"
#include "RazorpayContract.h"

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tinko::fakes {

namespace razorpay_detail {

using json::Value;
using Answer = FakeHttpAnswer;

// Razorpay's error body.
inline Value errorBody(const std::string& code, const std::string& description, const std::string& field = "",
                       const std::string& reason = "input_validation_failed") {
    Value error = Value::object({{"code", code}, {"description", description}});
    if (!field.empty()) error.set("field", field);
    error.set("source", code == "BAD_REQUEST_ERROR" ? "business" : "NA");
    error.set("step", code == "BAD_REQUEST_ERROR" ? "payment_initiation" : "NA");
    error.set("reason", reason);
    error.set("metadata", Value::object());
    return Value::object({{"error", error}});
}

}  // namespace razorpay_detail

// All state sits behind one mutex: requests are answered one at a time, and only a delayed answer
// waits outside it.
class FakeRazorpay::Impl {
public:
    using Answer = razorpay_detail::Answer;
    using Value = json::Value;

    explicit Impl(Options o);

    // Answers one request and records it (the server's handler); `delay` is how long to hold the
    // answer back.
    Answer handle(const FakeHttpRequest& received, std::chrono::milliseconds& delay);

    // ---- /v1 (FakeRazorpayApi.cpp) ------------------------------------------------------------
    Answer api(FakeRazorpayRequest& request, std::chrono::milliseconds& delay);
    std::optional<RazorpayBreach> linkRules(const RazorpayContract::Operation& operation, const Value& body) const;
    Answer createLink(const Value& body);

    // ---- The hosted page, state, events (FakeRazorpay.cpp) -------------------------------------
    Answer hostedPage(const FakeRazorpayRequest& request);
    Value* findLink(const std::string& id);
    Value* findPayment(const std::string& id);
    void expireIfDue(Value& link);
    // Pays an open link: a captured payment with the link's notes; returns the payment.
    Value& payLink(Value& link);
    RazorpayWebhook event(const std::string& name, const Value& payload, const std::vector<std::string>& contains);
    std::int64_t now() const;
    std::string newId(const std::string& prefix);

    struct RequestScript {
        int failStatus = 0;
        std::string failCode;
        std::chrono::milliseconds delay{0};
    };

    const Options options;
    const RazorpayContract contract;

    mutable std::mutex mutex;
    std::int64_t pinnedNow = 0;
    std::vector<FakeRazorpayRequest> requests;
    std::vector<std::string> violations;
    std::deque<RequestScript> requestScripts;
    std::vector<Value> links;          // in creation order
    std::vector<Value> payments;
    std::uint64_t idCount = 0;

    // Last, so it stops before the state its handler uses goes.
    FakeHttpServer server{[this](const FakeHttpRequest& r, std::chrono::milliseconds& delay) { return handle(r, delay); }};
};

}  // namespace tinko::fakes
