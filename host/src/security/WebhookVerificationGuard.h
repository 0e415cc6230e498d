#pragma once
// Bounds the webhook verifications that cost a call to the provider with the org's credentials
// (PayPal checks each delivery through its verify-webhook-signature API): anyone can post to a
// webhook URL, and a flood must not use up the org's quota at the provider.
//
//   - Verified deliveries are remembered by their id (PayPal's transmission id) with the hash of
//     the body: a replay of one needs no call, and another body under its id is refused without
//     one. Refusals are not remembered: a forged delivery must never keep out the genuine one
//     that carries the same id.
//   - Calls are limited per org by a token bucket (`perSecond`, `burst`); over the limit the
//     delivery is answered "later" (503 with Retry-After), so the provider delivers it again and
//     no event is lost.
// The state is in this process: with several hosts each one has its own buckets, so an org's
// provider sees at most (hosts x limit). Pure apart from the mutex; time comes in as an argument.
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace tinko::security {

class WebhookVerificationGuard {
public:
    using Clock = std::chrono::steady_clock;

    struct Limits {
        double perSecond = 10;
        double burst = 50;
        std::size_t rememberedDeliveries = 10000;   // verified deliveries kept, the oldest forgotten first
    };

    struct Decision {
        enum class Kind {
            Verify,      // ask the provider (a token was taken); then call `record`
            Verified,    // the same delivery was verified before: accept without a call
            Refused,     // another body under a verified id: refuse without a call
            Later        // over the org's limit: answer 503, Retry-After `retryAfterSeconds`
        } kind = Kind::Verify;
        int retryAfterSeconds = 0;
    };

    explicit WebhookVerificationGuard(Limits limits) : limits_(limits) {}

    Decision before(long long orgId, const std::string& deliveryId, const std::string& bodySha256, Clock::time_point now);
    // The provider confirmed the delivery.
    void rememberVerified(long long orgId, const std::string& deliveryId, const std::string& bodySha256);

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point at{};
        bool started = false;
    };
    using DeliveryKey = std::pair<long long, std::string>;

    Limits limits_;
    std::mutex mutex_;
    std::map<long long, Bucket> buckets_;
    std::map<DeliveryKey, std::string> verified_;   // -> the body's hash
    std::deque<DeliveryKey> verifiedOrder_;   // oldest first, for forgetting
};

}  // namespace tinko::security
