#include "recovery/RecoveryLinks.h"

#include "security/SecretTokens.h"

namespace tinko::recovery {

MintedLink RecoveryLinks::mint() const {
    const std::string token = security::newSecretToken("", 24);
    return {publicUrl_ + "/r/" + token, security::sha256Hex(token)};
}

IssuedLink RecoveryLinks::issue(long long orgId, long long recoveryId, long long ttlSeconds) {
    const MintedLink link = mint();
    return {link.url, links_.create(orgId, recoveryId, link.tokenSha256, ttlSeconds)};
}

std::string maskRecipient(const std::string& recipient) {
    if (auto at = recipient.find('@'); at != std::string::npos && at > 0)
        return recipient.substr(0, 1) + std::string(std::min<std::size_t>(at - 1, 8), '*') + recipient.substr(at);
    if (recipient.size() > 6)
        return recipient.substr(0, 2) + std::string(recipient.size() - 6, '*') + recipient.substr(recipient.size() - 4);
    return std::string(recipient.size(), '*');
}

}  // namespace tinko::recovery
