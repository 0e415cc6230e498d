#pragma once
// The PostgreSQL session pool the repositories share. POCO's SessionPool throws at once when all
// sessions are out; this wraps it with a bounded wait, and turns a lost connection into
// DatabaseUnavailable so the HTTP layer answers 503 ("retry") instead of 500.
#include "store/PgConnection.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Semaphore.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace tinko::store {


struct DatabaseSettings {
    std::string connectionString;   // libpq URI or key=value; connect_timeout is added if missing
    int poolSize = 32;
    int acquireTimeoutMs = 5000;
    int connectTimeoutSeconds = 3;
};

class Database {
public:
    explicit Database(const DatabaseSettings& settings);
    ~Database();

    // Runs `fn(Poco::Data::Session&)` on a pooled session and returns what it returns.
    template <class Fn>
    auto withSession(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>()));

    // nullopt when a trivial query succeeds, else why it did not.
    std::optional<std::string> ping();

    // The connection string, with connect_timeout, for components that need their own connection.
    const std::string& connectionString() const { return connectionString_; }

private:
    void waitForFreeSession();
    Poco::Data::Session acquire();
    void release();
    [[noreturn]] static void rethrowLost(const std::string& message);

    std::string connectionString_;
    int acquireTimeoutMs_;
    Poco::Semaphore available_;
    std::unique_ptr<Poco::Data::SessionPool> pool_;
};

template <class Fn>
auto Database::withSession(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
    waitForFreeSession();
    struct Release {
        Database* db;
        ~Release() { db->release(); }
    } release{this};
    Poco::Data::Session session = acquire();
    try {
        return fn(session);
    } catch (const Poco::Exception& e) {
        if (!session.isConnected()) rethrowLost(e.displayText());
        throw;
    }
}

}  // namespace tinko::store
