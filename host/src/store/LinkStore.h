#pragma once
// Recovery links: only the SHA-256 of a link's token is stored; the token itself exists only in
// the message the customer received.
#include "store/PgPool.h"

#include <optional>
#include <string>

namespace tinko::store {

struct LinkView {
    long long linkId = 0;
    long long recoveryId = 0;
    long long orgId = 0;
    std::string orgName;
    std::string orgSlug;                      // for the webhook URL a checkout is created with
    std::optional<std::string> brandColor;    // #rrggbb, when the org set one
    std::string recoveryState;
    std::string transactionRef;
    long long amount = 0;
    std::string currency;
    std::string customerJson;
    bool expired = false;
    std::string expiresAt;                    // for people, in any language: "2026-11-25 10:00 UTC"
    long long expiresAtUnix = 0;
    std::optional<std::string> liveCheckoutUrl;   // a checkout created before and still valid
    std::optional<std::string> checkoutReference; // the PSP's id of the last checkout created
    std::optional<std::string> paymentReference;  // the failed payment's id at the PSP (a new card is charged for it)
};

class LinkStore {
public:
    explicit LinkStore(PgPool& pool) : pool_(pool) {}

    // Returns the link's expiry (ISO 8601 UTC).
    std::string create(long long orgId, long long recoveryId, const std::string& tokenSha256, long long ttlSeconds);
    std::optional<LinkView> find(const std::string& tokenSha256);
    void recordOpen(long long linkId);
    void recordPayClick(long long linkId);
    void saveCheckout(long long linkId, const std::string& url, const std::string& reference, long long expiresAtUnix);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
