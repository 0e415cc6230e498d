#include "store/OrgDataChanges.h"

#include "store/HotPathSql.h"
#include "store/PgConnection.h"
#include "util/Log.h"

namespace tinko::store {

// The snapshot's xmin always comes back, with the rows (if any) changed at or after $1.
const char* const hotpath::kOrgDataChanges =
    "SELECT pg_snapshot_xmin(pg_current_snapshot())::text, v.org_id::text, v.changed_xid::text"
    " FROM (SELECT 1) s LEFT JOIN org_data_versions v ON v.changed_xid >= $1::xid8";

namespace {
// Larger than any transaction id: the first poll asks only for the xmin.
const char* const kNoTransaction = "18446744073709551615";
// A poll is abandoned after this long: it should take a millisecond.
constexpr int kPollTimeoutMs = 2000;
}  // namespace

std::vector<long long> ChangeWatermark::advance(const std::vector<Row>& rows, std::uint64_t snapshotXmin) {
    std::vector<long long> changed;
    const bool first = !since_;
    for (const auto& row : rows) {
        auto [seen, inserted] = seen_.try_emplace(row.orgId, row.changedXid);
        if (!inserted && seen->second == row.changedXid) continue;
        seen->second = row.changedXid;
        if (!first) changed.push_back(row.orgId);
    }
    // A row whose transaction is below the new xmin is not asked for again.
    for (auto it = seen_.begin(); it != seen_.end();)
        it = it->second < snapshotXmin ? seen_.erase(it) : std::next(it);
    if (!since_ || snapshotXmin > *since_) since_ = snapshotXmin;
    return changed;
}

OrgDataChanges::OrgDataChanges(std::string conninfo, OrgDataCache& cache) : conninfo_(std::move(conninfo)), cache_(cache) {}

OrgDataChanges::~OrgDataChanges() = default;

void OrgDataChanges::poll() {
    const auto startedAt = OrgDataCache::Clock::now();
    std::vector<PgConnection::Row> result;
    try {
        if (!connection_ || !connection_->reusable()) connection_ = std::make_unique<PgConnection>(conninfo_, kPollTimeoutMs);
        const auto since = watermark_.since();
        result = connection_->query(hotpath::kOrgDataChanges, {since ? std::to_string(*since) : kNoTransaction});
    } catch (...) {
        connection_.reset();
        throw;
    }
    if (result.empty() || !result[0][0]) return;
    std::vector<ChangeWatermark::Row> rows;
    for (const auto& row : result)
        if (row[1] && row[2]) rows.push_back({std::stoll(*row[1]), std::stoull(*row[2])});
    for (long long org : watermark_.advance(rows, std::stoull(*result[0][0]))) cache_.invalidate(org);
    cache_.confirm(startedAt);
}

void OrgDataChanges::pollLoggingOutages() {
    try {
        poll();
        if (failing_) log::info("tinko.store.org_data", "org data changes: polling works again; cached org data is served");
        failing_ = false;
    } catch (const std::exception& e) {
        if (!failing_)
            log::warn("tinko.store.org_data", "org data changes: cannot poll the database; cached org data is not served "
                                              "until a poll works again", {{"error", e.what()}});
        failing_ = true;
    }
}

}  // namespace tinko::store
