#pragma once
// Host-wide secrets kept as SHA-256 digests (the generated ops token).
#include "store/Database.h"

#include <optional>
#include <string>

namespace tinko::store {

class HostSecretStore {
public:
    explicit HostSecretStore(Database& db) : db_(db) {}
    std::optional<std::string> findDigest(const std::string& name);
    // False when another host stored this name first; its digest then stands.
    bool storeDigestIfAbsent(const std::string& name, const std::string& sha256);

private:
    Database& db_;
};

}  // namespace tinko::store
