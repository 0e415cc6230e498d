#include "store/Database.h"

#include "store/PgConnection.h"

#include <Poco/Data/PostgreSQL/Connector.h>

namespace tinko::store {

using namespace Poco::Data::Keywords;

Database::Database(const DatabaseSettings& settings)
    : connectionString_(withConnectTimeout(settings.connectionString, settings.connectTimeoutSeconds)),
      acquireTimeoutMs_(settings.acquireTimeoutMs),
      available_(settings.poolSize, settings.poolSize) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    pool_ = std::make_unique<Poco::Data::SessionPool>("postgresql", connectionString_, 1, settings.poolSize, 60);
}

Database::~Database() { pool_->shutdown(); }

void Database::waitForFreeSession() {
    if (!available_.tryWait(acquireTimeoutMs_))
        throw DatabaseUnavailable("no database session became free within " + std::to_string(acquireTimeoutMs_) + " ms");
}

Poco::Data::Session Database::acquire() {
    try {
        return pool_->get();
    } catch (const Poco::Exception& e) {
        throw DatabaseUnavailable("cannot connect to PostgreSQL: " + e.message());
    }
}

void Database::release() { available_.set(); }

void Database::rethrowLost(const std::string& message) {
    throw DatabaseUnavailable("lost the connection to PostgreSQL: " + message);
}

std::optional<std::string> Database::ping() {
    // A pooled session may have died with a server restart; its failed query marks it dead and the
    // pool drops it, so one more try with a fresh session tells whether the server is really down.
    std::string lastError;
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            int one = 0;
            withSession([&](Poco::Data::Session& s) { s << "SELECT 1", into(one), now; });
            if (one == 1) return std::nullopt;
            lastError = "SELECT 1 returned nothing";
        } catch (const std::exception& e) {
            lastError = e.what();
        }
    }
    return lastError;
}

}  // namespace tinko::store
