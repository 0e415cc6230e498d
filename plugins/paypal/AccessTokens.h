#pragma once
// PayPal's OAuth2 access tokens (client credentials), cached per plugin instance.
//
// A token is kept until kTokenRefreshMarginSeconds before PayPal says it expires (about 9 hours),
// on the host's clock, so calls do not pay a token round trip each. The cache is keyed by
// api_base + client_id + a SHA-256 of client_secret: two orgs sharing one REST app share its
// token, but a config naming another org's client_id with a wrong secret never gets that org's
// token from the cache (it must fetch its own, and PayPal refuses it). Only one thread fetches
// the token of a key at a time; the others wait for it and use it.
//
// A call answered 401 (the token was revoked, or expired early) forgets that token, fetches a
// new one and is sent once more; a second 401 is the caller's to report.
#include "PayPalConfig.h"

#include "tinko/sdk.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace tinko::paypal {

inline constexpr std::int64_t kTokenRefreshMarginSeconds = 300;

// How a request reaches PayPal: host().http() in the plugin, a script in tests.
using Transport = std::function<sdk::HttpResponse(const sdk::HttpRequest&)>;
using Clock = std::function<std::int64_t()>;   // unix milliseconds

class AccessTokens {
public:
    // A token for `config`: the cached one while it is fresh, else a new one from
    // POST /v1/oauth2/token. Throws what readTokenGrant throws when PayPal refuses or is not reached.
    std::string get(const PayPalConfig& config, const Clock& nowMs, const Transport& send);
    // Drops `token` from the cache if it is still the one cached for `config`.
    void forget(const PayPalConfig& config, const std::string& token);
    // How many keys hold a token (tests).
    std::size_t size() const;

private:
    struct Slot {
        std::mutex fetching;          // held while this key's token is fetched
        std::string token;            // guarded by `fetching`
        std::int64_t refreshAtMs = 0; // guarded by `fetching`
    };
    std::shared_ptr<Slot> slotFor(const PayPalConfig& config);

    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Slot>> slots_;
};

// Sends the request `build` makes with a token from `tokens`; on a 401 forgets that token and
// sends once more with a new one. Returns PayPal's last answer (or the transport failure).
sdk::HttpResponse sendWithToken(AccessTokens& tokens, const PayPalConfig& config, const Clock& nowMs,
                                const Transport& send, const std::function<sdk::HttpRequest(const std::string&)>& build);

}  // namespace tinko::paypal
