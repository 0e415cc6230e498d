#pragma once
// Each org's data the hot paths read (API keys, rules, policies, plugin configs, templates,
// opt-outs, the org row), kept in memory so that an event costs no read of it.
//
// Correctness rests on three things:
// - Invalidation: every change of an org's data drops all its entries: at once on the host that
//   wrote it (changed()), on the others through Redis and, as the safety net, through the version
//   poll (store/OrgDataChanges), which confirms the cache at most every 250 ms.
// - A bound on staleness: entries are served only while the last confirming poll began less than
//   kMaxUnconfirmed ago; when polls fail, every read goes to the database again.
// - No stale refill: a value loaded while an invalidation happened (the load may have read the
//   data from before the change) is returned but not kept.
// The number of entries is bounded; when full, whole orgs are dropped. Unknown API keys are never
// cached, so random keys cannot grow it.
#include <any>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace tinko::store {

class OrgDataCache {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds kMaxUnconfirmed{1000};
    static constexpr std::size_t kDefaultMaxEntries = 100000;

    // `announce` tells the other hosts about a change made here (bus/OrgDataAnnouncements); may be empty.
    explicit OrgDataCache(std::size_t maxEntries = kDefaultMaxEntries, std::function<void(long long)> announce = {},
                          std::function<Clock::time_point()> now = &Clock::now);

    // The cached `key` of the org, else load()'s answer (kept when it may be).
    template <class V, class Load>
    V get(long long orgId, const std::string& key, Load&& load) {
        auto ticket = lookup(orgId, key);
        if (const V* hit = ticket.value ? std::any_cast<V>(&*ticket.value) : nullptr) return *hit;
        V value = load();
        keep(orgId, key, std::any(value), ticket.epoch);
        return value;
    }

    // Like get(), for a value found by a key that does not name its org (an API key's digest):
    // load() answers the org and value, or nullopt, which is not kept.
    template <class V, class Load>
    std::optional<V> getGlobal(const std::string& key, Load&& load) {
        auto ticket = lookupGlobal(key);
        if (const V* hit = ticket.value ? std::any_cast<V>(&*ticket.value) : nullptr) return *hit;
        std::optional<std::pair<long long, V>> loaded = load();
        if (!loaded) return std::nullopt;
        keep(loaded->first, kGlobalMark + key, std::any(loaded->second), ticket.epoch);
        return loaded->second;
    }

    // This host changed the org's data (after its commit): drop its entries and tell the others.
    void changed(long long orgId);
    // Another host changed the org's data.
    void invalidate(long long orgId);
    void clear();
    // The database's change log was read completely by a poll that began at `pollStartedAt`.
    void confirm(Clock::time_point pollStartedAt);

    std::size_t size() const;

private:
    static constexpr char kGlobalMark = '@';
    struct Ticket {
        std::optional<std::any> value;
        std::uint64_t epoch = 0;
    };
    Ticket lookup(long long orgId, const std::string& key);
    Ticket lookupGlobal(const std::string& key);
    void keep(long long orgId, const std::string& key, std::any value, std::uint64_t epoch);
    bool freshLocked() const;
    void dropLocked(long long orgId);

    const std::size_t maxEntries_;
    const std::function<void(long long)> announce_;
    const std::function<Clock::time_point()> now_;
    mutable std::mutex mutex_;
    std::unordered_map<long long, std::unordered_map<std::string, std::any>> byOrg_;
    std::unordered_map<std::string, long long> globalOwner_;   // global key (with its mark) -> org
    std::size_t size_ = 0;
    std::uint64_t epoch_ = 0;                 // advances on every invalidation
    std::optional<Clock::time_point> confirmedAt_;
};

// Read-through when a cache is wired in, a plain read otherwise (stores built without one).
template <class V, class Load>
V readThrough(OrgDataCache* cache, long long orgId, const std::string& key, Load&& load) {
    return cache ? cache->get<V>(orgId, key, std::forward<Load>(load)) : load();
}

// Drops the org's cached data when the write in its scope ends: after the commit, before the
// answer, so this host's next request sees the change. Also when the write failed (harmless).
class OrgDataWrite {
public:
    OrgDataWrite(OrgDataCache* cache, long long orgId) : cache_(cache), orgId_(orgId) {}
    ~OrgDataWrite() {
        try {
            if (cache_) cache_->changed(orgId_);
        } catch (...) {
        }
    }
    OrgDataWrite(const OrgDataWrite&) = delete;
    OrgDataWrite& operator=(const OrgDataWrite&) = delete;

private:
    OrgDataCache* cache_;
    long long orgId_;
};

}  // namespace tinko::store
