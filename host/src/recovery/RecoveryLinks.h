#pragma once
// Issues recovery links: a random token of 192 bits, of which only the SHA-256 is stored.
#include "store/LinkStore.h"

#include <string>

namespace tinko::recovery {

struct IssuedLink {
    std::string url;
    std::string expiresAt;
};

// A new link not stored yet: the URL for the message, the SHA-256 of its token for the database.
struct MintedLink {
    std::string url;
    std::string tokenSha256;
};

class RecoveryLinks {
public:
    RecoveryLinks(store::LinkStore& links, std::string publicUrl) : links_(links), publicUrl_(std::move(publicUrl)) {}
    IssuedLink issue(long long orgId, long long recoveryId, long long ttlSeconds);
    // For links stored in batches by the caller (store::NotificationStore::beginBatch).
    MintedLink mint() const;
    const std::string& publicUrl() const { return publicUrl_; }

private:
    store::LinkStore& links_;
    std::string publicUrl_;
};

// "ann@example.com" -> "a**@example.com"; "+14155550123" -> "+1*******0123": enough for ops to
// tell recipients apart, not enough to contact them.
std::string maskRecipient(const std::string& recipient);

}  // namespace tinko::recovery
