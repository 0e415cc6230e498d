#include "recovery/RecoveryLinks.h"

#include "security/SecretTokens.h"

namespace tinko::recovery {

IssuedLink RecoveryLinks::issue(long long orgId, long long recoveryId, long long ttlSeconds) {
    const std::string token = security::newSecretToken("", 24);
    const std::string expiresAt = links_.create(orgId, recoveryId, security::sha256Hex(token), ttlSeconds);
    return {publicUrl_ + "/r/" + token, expiresAt};
}

std::string maskRecipient(const std::string& recipient) {
    if (auto at = recipient.find('@'); at != std::string::npos && at > 0)
        return recipient.substr(0, 1) + std::string(std::min<std::size_t>(at - 1, 8), '*') + recipient.substr(at);
    if (recipient.size() > 6)
        return recipient.substr(0, 2) + std::string(recipient.size() - 6, '*') + recipient.substr(recipient.size() - 4);
    return std::string(recipient.size(), '*');
}

}  // namespace tinko::recovery
