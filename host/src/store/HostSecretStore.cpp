#include "store/HostSecretStore.h"

#include <Poco/Data/Statement.h>

namespace tinko::store {

using namespace Poco::Data::Keywords;

std::optional<std::string> HostSecretStore::findDigest(const std::string& name) {
    return db_.withSession([&](Poco::Data::Session& s) -> std::optional<std::string> {
        std::string nameParam = name, digest;
        Poco::Data::Statement st(s);
        st << "SELECT sha256 FROM host_secrets WHERE name = $1", use(nameParam), into(digest);
        if (st.execute() == 0) return std::nullopt;
        return digest;
    });
}

bool HostSecretStore::storeDigestIfAbsent(const std::string& name, const std::string& sha256) {
    return db_.withSession([&](Poco::Data::Session& s) {
        std::string nameParam = name, digest = sha256;
        std::vector<std::string> inserted;
        s << "INSERT INTO host_secrets (name, sha256) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name",
            use(nameParam), use(digest), into(inserted), now;
        return !inserted.empty();
    });
}

}  // namespace tinko::store
