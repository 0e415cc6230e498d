#pragma once
// FakeStripe's insides, shared by FakeStripe.cpp (the checkout page, the test's API) and
// FakeStripeApi.cpp (the /v1 endpoints). Not for tests: include FakeStripe.h.
#include "FakeStripe.h"
#include "FakeHttpServer.h"
#include "FakeText.h"
#include "StripeContract.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tinko::fakes {

namespace detail {

using json::Value;
using Answer = FakeHttpAnswer;

inline std::int64_t nowUnix() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// Stripe's error body: {"error":{"code"?, "doc_url"?, "message", "param"?, "type"}}.
inline Value errorBody(const std::string& type, const std::string& message, const std::string& param = "",
                       const std::string& code = "") {
    Value error = Value::object();
    if (!code.empty()) {
        std::string slug = code;
        std::replace(slug.begin(), slug.end(), '_', '-');
        error.set("code", code);
        error.set("doc_url", "https://stripe.com/docs/error-codes/" + slug);
    }
    error.set("message", message);
    if (!param.empty()) error.set("param", param);
    error.set("type", type);
    return Value::object({{"error", error}});
}

inline std::optional<std::string> valueOf(const FormPairs& form, const std::string& name) {
    for (const auto& [n, v] : form)
        if (n == name) return v;
    return std::nullopt;
}

}  // namespace detail

// All state sits behind one mutex: requests are answered one at a time (Stripe's idempotency
// needs no more), and only a delayed answer waits outside it.
class FakeStripe::Impl {
public:
    using Answer = detail::Answer;
    using Value = json::Value;

    explicit Impl(Options o);

    // Answers one request and records it (the server's handler); `delay` is how long to hold the
    // answer back.
    Answer handle(const FakeHttpRequest& received, std::chrono::milliseconds& delay);

    // ---- /v1 (FakeStripeApi.cpp) --------------------------------------------------------------
    Answer api(FakeStripeRequest& request, std::chrono::milliseconds& delay);
    std::optional<ContractBreach> checkoutRules(const FormPairs& form) const;
    Answer createSession(const FormPairs& form);
    Answer confirm(const std::string& intentId, const FormPairs& form);
    Answer retrieve(const std::string& intentId) const;
    Answer retrieveSetupIntent(const std::string& id) const;
    bool knowsCustomer(const std::string& customer) const;   // some PaymentIntent has it
    // Leaves `intent` as a declined attempt leaves it; returns the card_error (without payment_intent).
    Value decline(Value& intent, const std::string& declineCode, const std::string& code, const std::string& message,
                  const DeclineAdvice& advice = {});

    // ---- The hosted checkout page and state (FakeStripe.cpp) ----------------------------------
    struct Session {
        Value object;
        Value paymentIntentMetadata;   // what payment_intent_data[metadata] asked the PaymentIntent to carry
        Value setupIntentMetadata;     // setup mode: what setup_intent_data[metadata] asked the SetupIntent to carry
    };
    Answer checkoutPage(const FakeStripeRequest& request);
    Session* findSession(const std::string& id);
    // Pays the session: a succeeded PaymentIntent with the session's payment_intent_data metadata.
    void complete(Session& session);
    // Setup mode: a card of `brand` saved on the session's customer; returns the SetupIntent.
    Value& completeSetup(Session& session, const std::string& brand);
    std::string event(const std::string& type, const Value& object);
    Value& intentOrThrow(const std::string& id);
    std::string newId(const std::string& prefix) { return prefix + "_fake" + std::to_string(++idCount); }

    struct ConfirmScript {
        std::string declineCode, code, message;   // a decline, when declineCode is set
        std::string status;                        // else the status to leave
        DeclineAdvice advice;
    };
    struct RequestScript {
        int failStatus = 0;
        bool failureSaved = false;   // the failure is saved under the Idempotency-Key
        std::chrono::milliseconds delay{0};
        std::string method;          // only a request of this method takes it; "" = any
    };
    struct Saved {   // what an Idempotency-Key was first used for, and the answer it got
        std::string fingerprint;
        Answer answer;
    };

    const Options options;
    const StripeContract contract;

    mutable std::mutex mutex;
    std::vector<FakeStripeRequest> requests;
    std::vector<std::string> violations;
    std::deque<ConfirmScript> confirmScripts;
    std::deque<RequestScript> requestScripts;
    std::deque<std::string> checkoutUrls;
    std::map<std::string, Value> intents;
    std::map<std::string, Value> setupIntents;
    std::map<std::string, std::string> cardBrands;   // saved cards' brands, by pm_ id
    std::vector<Session> sessions;
    std::map<std::string, Saved> idempotency;
    std::uint64_t idCount = 0, requestCount = 0;

    // Last, so it stops before the state its handler uses goes.
    FakeHttpServer server{[this](const FakeHttpRequest& r, std::chrono::milliseconds& delay) { return handle(r, delay); }};
};

}  // namespace tinko::fakes
