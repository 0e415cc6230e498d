#pragma once
// The pool of libpq connections every repository shares. Borrowers wait a bounded time for a free
// connection (then DatabaseUnavailable, answered 503); a connection that broke, or that the server
// ended while it was idle (a restart), is replaced on its next borrow, before any caller uses it. Statements are prepared once per connection and run with exact text values.
#include "store/PgConnection.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

class PgPool {
public:
    static constexpr int kDefaultWaitMs = 5000;   // how long a caller waits for a free connection

    // queryTimeoutMs: each statement's deadline on a pooled connection (see PgConnection); 0 = none.
    PgPool(std::string conninfo, int size, int waitMs = kDefaultWaitMs, int queryTimeoutMs = 0);

    // nullopt when a trivial query succeeds, else why it did not (for readiness).
    std::optional<std::string> ping();

    // Runs `fn(PgConnection&)` on a pooled connection.
    template <class Fn>
    auto with(Fn&& fn) -> decltype(fn(std::declval<PgConnection&>())) {
        Borrowed b(*this);
        return fn(*b.connection);
    }

    // Runs `fn` inside BEGIN ... COMMIT (ROLLBACK if it throws).
    template <class Fn>
    auto transaction(Fn&& fn) -> decltype(fn(std::declval<PgConnection&>())) {
        return with([&](PgConnection& c) {
            c.exec("BEGIN");
            try {
                if constexpr (std::is_void_v<decltype(fn(c))>) {
                    fn(c);
                    c.exec("COMMIT");
                } else {
                    auto result = fn(c);
                    c.exec("COMMIT");
                    return result;
                }
            } catch (...) {
                try {
                    c.exec("ROLLBACK");
                } catch (...) {
                }
                throw;
            }
        });
    }

private:
    struct Borrowed {
        explicit Borrowed(PgPool& pool);
        ~Borrowed();
        PgPool& pool;
        std::unique_ptr<PgConnection> connection;
    };

    std::string conninfo_;
    int size_;
    int waitMs_;
    int queryTimeoutMs_;
    int outstanding_ = 0;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<PgConnection>> idle_;
};

}  // namespace tinko::store
