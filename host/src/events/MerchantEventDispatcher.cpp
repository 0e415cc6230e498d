#include "events/MerchantEventDispatcher.h"

#include "http/MetricFamilies.h"
#include "util/Log.h"

namespace tinko::events {

MerchantEventDispatcher::MerchantEventDispatcher(store::MerchantEventStore& store, http::Metrics& metrics,
                                                 std::chrono::milliseconds interval)
    : store_(store), metrics_(metrics), task_("merchant-event-dispatch", interval, [this] { dispatchRoundLoggingOutages(); }) {
    metrics_.addGaugeSource("tinko_merchant_events_undispatched",
                            "Committed merchant events not yet in the feed nor fanned out to endpoints (measured each second).",
                            [this] { return static_cast<double>(undispatched_.load()); });
    metrics_.addGaugeSource("tinko_webhook_oldest_undelivered_age_seconds",
                            "Age of the oldest event still to be delivered to an enabled webhook endpoint; 0 when none "
                            "(measured each second).",
                            [this] { return oldestUndeliveredAgeSeconds_.load(); });
}

void MerchantEventDispatcher::dispatchRound() {
    for (int round = 0; round < kMaxBatchesPerRound; ++round) {
        const int sequenced = store_.dispatch(kBatchSize);
        if (sequenced > 0)
            metrics_.addToCounter(http::counters::kMerchantEventsDispatchedTotal, "", sequenced);
        if (sequenced < kBatchSize) break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - lastMeasured_ >= std::chrono::seconds(1)) {
        lastMeasured_ = now;
        const auto backlog = store_.backlog();
        undispatched_ = backlog.undispatched;
        oldestUndeliveredAgeSeconds_ = backlog.oldestUndeliveredAgeSeconds;
    }
}

void MerchantEventDispatcher::dispatchRoundLoggingOutages() {
    try {
        dispatchRound();
        if (failing_) log::info("tinko.events.dispatch", "merchant events: dispatching works again");
        failing_ = false;
    } catch (const std::exception& e) {
        // Once per outage, not ten times a second; nothing is lost meanwhile (events wait in the outbox).
        if (!failing_)
            log::warn("tinko.events.dispatch", "merchant events: cannot dispatch; retrying every tick", {{"error", e.what()}});
        failing_ = true;
    }
}

}  // namespace tinko::events
