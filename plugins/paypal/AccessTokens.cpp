#include "AccessTokens.h"

#include "PayPalRequests.h"
#include "PayPalResponses.h"

#include "tinko/helpers/crypto.hpp"

#include <algorithm>
#include <vector>

namespace tinko::paypal {

namespace {

std::string cacheKey(const PayPalConfig& config) {
    return config.apiBase + "\n" + config.clientId + "\n" + sdk::helpers::sha256Hex(config.clientSecret);
}

}  // namespace

std::shared_ptr<AccessTokens::Slot> AccessTokens::slotFor(const PayPalConfig& config) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::shared_ptr<Slot>& slot = slots_[cacheKey(config)];
    if (!slot) slot = std::make_shared<Slot>();
    return slot;
}

std::string AccessTokens::get(const PayPalConfig& config, const Clock& nowMs, const Transport& send) {
    const std::shared_ptr<Slot> slot = slotFor(config);
    std::lock_guard<std::mutex> lock(slot->fetching);
    if (!slot->token.empty() && nowMs() < slot->refreshAtMs) return slot->token;
    const TokenGrant grant = readTokenGrant(send(tokenRequest(config)));
    // A short-lived token is used for half its life rather than not at all.
    const std::int64_t usable = std::max(grant.expiresInSeconds - kTokenRefreshMarginSeconds, grant.expiresInSeconds / 2);
    slot->token = grant.accessToken;
    slot->refreshAtMs = nowMs() + usable * 1000;
    return slot->token;
}

void AccessTokens::forget(const PayPalConfig& config, const std::string& token) {
    const std::shared_ptr<Slot> slot = slotFor(config);
    std::lock_guard<std::mutex> lock(slot->fetching);
    if (slot->token == token) {
        slot->token.clear();
        slot->refreshAtMs = 0;
    }
}

std::size_t AccessTokens::size() const {
    std::vector<std::shared_ptr<Slot>> slots;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& entry : slots_) slots.push_back(entry.second);
    }
    std::size_t count = 0;
    for (const std::shared_ptr<Slot>& slot : slots) {
        std::lock_guard<std::mutex> slotLock(slot->fetching);
        count += slot->token.empty() ? 0 : 1;
    }
    return count;
}

sdk::HttpResponse sendWithToken(AccessTokens& tokens, const PayPalConfig& config, const Clock& nowMs,
                                const Transport& send, const std::function<sdk::HttpRequest(const std::string&)>& build) {
    const std::string token = tokens.get(config, nowMs, send);
    sdk::HttpResponse response = send(build(token));
    if (response.status != 401) return response;
    tokens.forget(config, token);
    return send(build(tokens.get(config, nowMs, send)));
}

}  // namespace tinko::paypal
