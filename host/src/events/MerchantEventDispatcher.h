#pragma once
// Gives committed merchant events their place in the feed and fans them out to the org's endpoints
// (dispatch_merchant_events, migrations/0020_merchant_events.sql), every `interval` on every host;
// the function lets one host at a time do it, so more hosts only add standbys. A round goes on at
// once while full batches come back, so a backlog drains at the database's pace, not the tick's.
// It also measures the backlog for /metrics (tinko_merchant_events_undispatched and
// tinko_webhook_oldest_undelivered_age_seconds), once a second, so a scrape never waits on the
// database.
#include "http/Metrics.h"
#include "store/MerchantEventStore.h"
#include "util/PeriodicTask.h"

#include <atomic>
#include <chrono>

namespace tinko::events {

class MerchantEventDispatcher {
public:
    static constexpr int kBatchSize = 500;
    static constexpr int kMaxBatchesPerRound = 20;   // then the next tick, so stop() never waits long on a backlog

    MerchantEventDispatcher(store::MerchantEventStore& store, http::Metrics& metrics, std::chrono::milliseconds interval);

    void start() { task_.start(); }
    void stop() { task_.stop(); }

    // One round (what each tick runs): batches while they come back full, then the backlog when a
    // second has passed since it was last measured.
    void dispatchRound();

private:
    void dispatchRoundLoggingOutages();

    store::MerchantEventStore& store_;
    http::Metrics& metrics_;
    std::atomic<long long> undispatched_{0};
    std::atomic<double> oldestUndeliveredAgeSeconds_{0};
    std::chrono::steady_clock::time_point lastMeasured_{};
    bool failing_ = false;   // the last round failed (the database is unreachable): logged once
    util::PeriodicTask task_;   // last: its thread stops before the rest goes
};

}  // namespace tinko::events
