#include "security/OpsCredential.h"

#include "security/SecretTokens.h"

namespace tinko::security {

namespace {
const char* kSecretName = "ops_token";
}

OpsCredential establishOpsCredential(const std::optional<std::string>& configuredToken, store::HostSecretStore& secrets) {
    if (configuredToken) return {sha256Hex(*configuredToken), std::nullopt};
    if (auto digest = secrets.findDigest(kSecretName)) return {*digest, std::nullopt};
    const std::string token = newSecretToken("tko_");
    if (secrets.storeDigestIfAbsent(kSecretName, sha256Hex(token))) return {sha256Hex(token), token};
    // Another host starting at the same moment stored its token first; that one stands.
    return {*secrets.findDigest(kSecretName), std::nullopt};
}

}  // namespace tinko::security
