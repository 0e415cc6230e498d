#pragma once
// Host-wide secrets kept as SHA-256 digests (the generated ops token).
#include "store/PgPool.h"

#include <optional>
#include <string>

namespace tinko::store {

class HostSecretStore {
public:
    explicit HostSecretStore(PgPool& pool) : pool_(pool) {}
    std::optional<std::string> findDigest(const std::string& name);
    // False when another host stored this name first; its digest then stands.
    bool storeDigestIfAbsent(const std::string& name, const std::string& sha256);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
