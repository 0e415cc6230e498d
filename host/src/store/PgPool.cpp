#include "store/PgPool.h"

#include <chrono>

namespace tinko::store {

PgPool::PgPool(std::string conninfo, int size, int waitMs, int queryTimeoutMs)
    : conninfo_(std::move(conninfo)), size_(size), waitMs_(waitMs), queryTimeoutMs_(queryTimeoutMs) {}

std::optional<std::string> PgPool::ping() {
    // A pooled connection may have died with a server restart; its failed query marks it broken and
    // it is dropped, so one more try with a fresh connection tells whether the server is really down.
    std::string lastError;
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            auto rows = with([](PgConnection& c) { return c.query("SELECT 1"); });
            if (!rows.empty()) return std::nullopt;
            lastError = "SELECT 1 returned nothing";
        } catch (const std::exception& e) {
            lastError = e.what();
        }
    }
    return lastError;
}

PgPool::Borrowed::Borrowed(PgPool& p) : pool(p) {
    std::unique_lock<std::mutex> lock(pool.mutex_);
    if (!pool.available_.wait_for(lock, std::chrono::milliseconds(pool.waitMs_),
                                  [&] { return !pool.idle_.empty() || pool.outstanding_ < pool.size_; }))
        throw DatabaseUnavailable("no database connection became free within " + std::to_string(pool.waitMs_) + " ms");
    ++pool.outstanding_;
    if (!pool.idle_.empty()) {
        connection = std::move(pool.idle_.back());
        pool.idle_.pop_back();
        if (connection->reusable()) return;
        connection.reset();
    }
    lock.unlock();
    try {
        connection = std::make_unique<PgConnection>(pool.conninfo_, pool.queryTimeoutMs_);
    } catch (...) {
        std::lock_guard<std::mutex> relock(pool.mutex_);
        --pool.outstanding_;
        pool.available_.notify_one();
        throw;
    }
}

PgPool::Borrowed::~Borrowed() {
    std::lock_guard<std::mutex> lock(pool.mutex_);
    --pool.outstanding_;
    if (connection && connection->healthy() && !connection->inTransaction()) pool.idle_.push_back(std::move(connection));
    pool.available_.notify_one();
}

}  // namespace tinko::store
