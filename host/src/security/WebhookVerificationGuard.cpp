#include "security/WebhookVerificationGuard.h"

#include <algorithm>
#include <cmath>

namespace tinko::security {

WebhookVerificationGuard::Decision WebhookVerificationGuard::before(long long orgId, const std::string& deliveryId,
                                                                    const std::string& bodySha256, Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = verified_.find({orgId, deliveryId}); it != verified_.end())
        return {it->second == bodySha256 ? Decision::Kind::Verified : Decision::Kind::Refused, 0};
    Bucket& bucket = buckets_[orgId];
    if (!bucket.started) {
        bucket = {limits_.burst, now, true};
    } else {
        const double elapsed = std::chrono::duration<double>(now - bucket.at).count();
        bucket.tokens = std::min(limits_.burst, bucket.tokens + std::max(0.0, elapsed) * limits_.perSecond);
        bucket.at = now;
    }
    if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return {Decision::Kind::Verify, 0};
    }
    const int wait = static_cast<int>(std::ceil((1 - bucket.tokens) / limits_.perSecond));
    return {Decision::Kind::Later, std::max(1, wait)};
}

void WebhookVerificationGuard::rememberVerified(long long orgId, const std::string& deliveryId,
                                                const std::string& bodySha256) {
    std::lock_guard<std::mutex> lock(mutex_);
    DeliveryKey key{orgId, deliveryId};
    if (!verified_.insert({key, bodySha256}).second) return;   // a delivery id names one body
    verifiedOrder_.push_back(key);
    while (verifiedOrder_.size() > limits_.rememberedDeliveries) {
        verified_.erase(verifiedOrder_.front());
        verifiedOrder_.pop_front();
    }
}

}  // namespace tinko::security
