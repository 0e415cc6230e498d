#pragma once
// Finds which orgs' data changed on any host, from the table migration 0018 keeps
// (org_data_versions: per org, the id of the last transaction that changed its data), and drops
// those orgs from this host's OrgDataCache. One indexed query per poll (every 250 ms), none per
// request.
//
// Why transaction ids and not a sequence: numbers drawn from a sequence commit out of order, so a
// poller that remembers "the highest number seen" misses a change that commits after a higher one.
// A transaction not yet committed when a poll ran has an id at or above that poll's snapshot xmin
// (the oldest transaction then running), so the next poll asks for ids at or above it and cannot
// miss one; rows it already saw come back while that xmin stays low, and are recognised.
#include "store/OrgDataCache.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

class PgConnection;

// The pure bookkeeping of the polls.
class ChangeWatermark {
public:
    struct Row {
        long long orgId = 0;
        std::uint64_t changedXid = 0;
    };
    // The lowest transaction id the next poll must ask for; nullopt before the first poll.
    std::optional<std::uint64_t> since() const { return since_; }
    // A poll's rows (all with changedXid >= since()) and its snapshot's xmin: the orgs whose
    // change this host has not seen yet. The first poll only sets the watermark (nothing is cached
    // before it).
    std::vector<long long> advance(const std::vector<Row>& rows, std::uint64_t snapshotXmin);
    std::size_t remembered() const { return seen_.size(); }

private:
    std::optional<std::uint64_t> since_;
    std::map<long long, std::uint64_t> seen_;   // org -> the change already acted on, while it may come back
};

class OrgDataChanges {
public:
    static constexpr int kPollMilliseconds = 250;

    OrgDataChanges(std::string conninfo, OrgDataCache& cache);
    ~OrgDataChanges();

    // Reads the database's change log and drops the orgs that changed, then confirms the cache.
    // Throws (DatabaseError) when the database cannot be read; the cache then stops serving once
    // its last confirmation is OrgDataCache::kMaxUnconfirmed old.
    void poll();
    // poll() for the periodic task: never throws; a failure is logged once until a poll works again.
    void pollLoggingOutages();

private:
    std::string conninfo_;
    OrgDataCache& cache_;
    std::unique_ptr<PgConnection> connection_;   // its own: a busy pool must not delay the poll
    ChangeWatermark watermark_;
    bool failing_ = false;
};

}  // namespace tinko::store
