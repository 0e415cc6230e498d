#include "store/MerchantEventStore.h"

#include "store/HotPathSql.h"
#include "store/SqlArrays.h"

namespace tinko::store {

namespace {
const std::string kFeedPageSql = std::string("SELECT ") + events::kStoredEventColumns +
                                 " FROM merchant_events e WHERE e.org_id = $1::bigint AND e.seq > $2::bigint"
                                 " ORDER BY e.seq LIMIT $3::int";
// Each type's next events in feed order (merchant_events_feed_by_type), then the first of them all:
// at most types x limit rows read, however rare a type is in a long history.
const std::string kFeedPageOfTypesSql = std::string("SELECT ") + events::kStoredEventColumns +
                                        " FROM unnest($3::text[]) AS wanted (type) CROSS JOIN LATERAL"
                                        " (SELECT * FROM merchant_events m WHERE m.org_id = $1::bigint AND m.type = wanted.type"
                                        "  AND m.seq > $2::bigint ORDER BY m.seq LIMIT $4::int) e"
                                        " ORDER BY e.seq LIMIT $4::int";
const std::string kEventByIdSql = std::string("SELECT ") + events::kStoredEventColumns +
                                  " FROM merchant_events e WHERE e.id = $1::bigint AND e.org_id = $2::bigint AND e.seq IS NOT NULL";
}  // namespace

const char* const hotpath::kEventFeedCursor =
    "SELECT seq::text FROM merchant_events WHERE id = $1::bigint AND org_id = $2::bigint AND seq IS NOT NULL";
const char* const hotpath::kEventFeedPage = kFeedPageSql.c_str();
const char* const hotpath::kEventFeedPageOfTypes = kFeedPageOfTypesSql.c_str();
const char* const hotpath::kEventById = kEventByIdSql.c_str();
const char* const hotpath::kUndispatchedEvents = "SELECT count(*)::text FROM merchant_events WHERE seq IS NULL";
// Per enabled endpoint its first pending delivery in feed order (an index probe each), then the
// oldest of their events: cheap at every scrape however long a backlog grows.
const char* const hotpath::kOldestUndelivered =
    "SELECT coalesce(extract(epoch FROM now() - min(e.created_at)), 0)::float8::text"
    " FROM webhook_endpoints w"
    " CROSS JOIN LATERAL (SELECT d.event_id FROM webhook_deliveries d WHERE d.endpoint_id = w.id AND d.state = 'pending'"
    "   ORDER BY d.seq LIMIT 1) first"
    " JOIN merchant_events e ON e.id = first.event_id"
    " WHERE NOT w.disabled";

events::StoredEvent readStoredEvent(const PgConnection::Row& row, std::size_t first) {
    events::StoredEvent e;
    e.id = std::stoll(row.at(first).value_or("0"));
    e.type = row.at(first + 1).value_or("");
    e.createdAtMs = std::stoll(row.at(first + 2).value_or("0"));
    e.data = row.at(first + 3).value_or("{}");
    return e;
}

std::optional<std::vector<events::StoredEvent>> MerchantEventStore::feed(long long orgId, const events::FeedRequest& request) {
    return pool_.with([&](PgConnection& c) -> std::optional<std::vector<events::StoredEvent>> {
        std::string afterSeq = "0";
        if (request.afterId) {
            auto rows = c.query(hotpath::kEventFeedCursor, {std::to_string(*request.afterId), std::to_string(orgId)});
            if (rows.empty()) return std::nullopt;
            afterSeq = *rows[0][0];
        }
        const std::string limit = std::to_string(request.limit + 1);
        const auto rows = request.types.empty()
                              ? c.query(hotpath::kEventFeedPage, {std::to_string(orgId), afterSeq, limit})
                              : c.query(hotpath::kEventFeedPageOfTypes,
                                        {std::to_string(orgId), afterSeq, textArrayLiteral(request.types), limit});
        std::vector<events::StoredEvent> out;
        for (const auto& row : rows) out.push_back(readStoredEvent(row));
        return out;
    });
}

std::optional<events::StoredEvent> MerchantEventStore::find(long long orgId, long long eventId) {
    return pool_.with([&](PgConnection& c) -> std::optional<events::StoredEvent> {
        auto rows = c.query(hotpath::kEventById, {std::to_string(eventId), std::to_string(orgId)});
        if (rows.empty()) return std::nullopt;
        return readStoredEvent(rows[0]);
    });
}

int MerchantEventStore::dispatch(int maxEvents) {
    return pool_.with([&](PgConnection& c) {
        return std::stoi(c.query("SELECT dispatch_merchant_events($1::int)::text", {std::to_string(maxEvents)}).at(0)[0].value_or("0"));
    });
}

EventBacklog MerchantEventStore::backlog() {
    return pool_.with([&](PgConnection& c) {
        EventBacklog b;
        b.undispatched = std::stoll(c.query(hotpath::kUndispatchedEvents).at(0)[0].value_or("0"));
        b.oldestUndeliveredAgeSeconds = std::stod(c.query(hotpath::kOldestUndelivered).at(0)[0].value_or("0"));
        return b;
    });
}

}  // namespace tinko::store
