#pragma once
// Merchant events (migrations/0020_merchant_events.sql): the feed an org reads (GET /v1/events),
// the dispatcher's call that sequences committed events and fans them out to endpoints, and the
// backlog /metrics shows.
#include "events/EventEnvelope.h"
#include "events/EventFeedQuery.h"
#include "store/PgPool.h"

#include <optional>
#include <vector>

namespace tinko::store {

// A StoredEvent from a row whose columns, from `first` on, are events::kStoredEventColumns.
events::StoredEvent readStoredEvent(const PgConnection::Row& row, std::size_t first = 0);

struct EventBacklog {
    long long undispatched = 0;               // committed events not yet given their place in the feed
    double oldestUndeliveredAgeSeconds = 0;   // the oldest pending delivery to an enabled endpoint; 0: none
};

class MerchantEventStore {
public:
    explicit MerchantEventStore(PgPool& pool) : pool_(pool) {}

    // The org's dispatched events after `request.afterId` in feed order (seq), of its types, up to
    // limit + 1 (the extra one says there are more); nullopt when afterId is not an event of this
    // org's feed (unknown, not dispatched yet, or another org's).
    std::optional<std::vector<events::StoredEvent>> feed(long long orgId, const events::FeedRequest& request);
    // One dispatched event of the org's; nullopt for any other id.
    std::optional<events::StoredEvent> find(long long orgId, long long eventId);

    // dispatch_merchant_events(maxEvents): how many events it sequenced (0 while another host's
    // dispatcher holds the lock).
    int dispatch(int maxEvents);
    EventBacklog backlog();

private:
    PgPool& pool_;
};

}  // namespace tinko::store
