#pragma once
// FakePayPal's insides, shared by FakePayPal.cpp (the approval page, the test's API, events) and
// FakePayPalApi.cpp (the /v1 and /v2 endpoints). Not for tests: include FakePayPal.h.
#include "FakeHttpServer.h"
#include "FakePayPal.h"
#include "FakeText.h"
#include "PayPalContract.h"

#include <chrono>
#include <cstdint>
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

std::int64_t nowUnix();
std::string isoTime(std::int64_t unixSeconds);   // 2026-01-01T00:00:00Z
// The value of `name` in a raw query string ("token=A&PayerID=B"), percent-decoded; "" when absent.
std::string queryValue(const std::string& query, const std::string& name);
// Decimal digits PayPal accepts for a currency's amounts: 0 for JPY, HUF, TWD, ...; 3 for KWD, ...
int paypalDecimals(const std::string& currency);
// CRC-32 of `bytes` as an unsigned decimal (Poco's checksum: independent of the plugin's own).
std::string crc32Decimal(const std::string& bytes);

using Answer = FakeHttpAnswer;

Answer redirect(const std::string& location);   // 303 to `location`

}  // namespace detail

// All state sits behind one mutex: requests are answered one at a time.
class FakePayPal::Impl {
public:
    using Answer = detail::Answer;
    using Value = json::Value;

    explicit Impl(Options o);

    // Answers one request and records it (the server's handler).
    Answer handle(const FakeHttpRequest& received);

    // ---- The API (FakePayPalApi.cpp) ---------------------------------------------------------
    Answer api(FakePayPalRequest& request);
    Answer token(const FakePayPalRequest& request, const PayPalContract::Operation& op);
    Answer createOrder(const Value& body, bool representation);
    Answer capture(const std::string& orderId, bool representation);
    Answer verify(const Value& body) const;
    // PayPal's amount rules beyond the schema (422), for an order's body.
    std::optional<PayPalBreach> amountRules(const Value& body, const PayPalContract::Operation& op) const;
    // PayPal's error answer {name, message, debug_id, details?, links}; `breach` becomes details[0].
    Answer error(int status, const std::optional<PayPalBreach>& breach = std::nullopt, const std::string& apiName = "orders/v2");
    // error(), also recorded as a violation of the contract by `request`.
    Answer violation(const FakePayPalRequest& request, int status, const PayPalBreach& breach);

    // ---- Orders, the approval page, events (FakePayPal.cpp) ----------------------------------
    struct Order {
        Value object;            // the full representation
        std::string returnUrl;
        std::string cancelUrl;
    };
    Answer checkoutPage(const FakePayPalRequest& request);
    Order* findOrder(const std::string& id);
    std::string approve(Order& order);   // -> where the payer is sent
    Value orderLinks(const Order& order) const;
    std::string event(const std::string& type, const std::string& resourceType, const std::string& summary,
                      const Value& resource);
    std::string newId(const std::string& prefix, std::size_t width);

    struct Transmission {
        std::string authAlgo, certUrl, sig, time, webhookId;
        Value event;
    };
    struct Saved {   // what a PayPal-Request-Id was first used for, and the answer it got
        std::string body;
        Answer answer;
    };
    struct Token {
        std::int64_t expiresAt = 0;
        bool revoked = false;
    };

    const Options options;
    const PayPalContract contract;

    mutable std::mutex mutex;
    std::vector<FakePayPalRequest> requests;
    std::vector<std::string> violations;
    std::deque<int> failures;                    // failNextRequest
    std::deque<std::string> captureDeclines;     // declineNextCapture
    std::map<std::string, Token> tokens;
    int tokensIssued = 0;
    std::vector<Order> orders;
    std::map<std::string, Saved> saved;          // "<path> <PayPal-Request-Id>" -> first answer
    std::map<std::string, Transmission> transmissions;
    std::uint64_t idCount = 0, debugCount = 0;

    // Last, so it stops before the state its handler uses goes.
    FakeHttpServer server{[this](const FakeHttpRequest& r, std::chrono::milliseconds&) { return handle(r); }};
};

}  // namespace tinko::fakes
