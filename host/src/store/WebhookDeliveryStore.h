#pragma once
// The webhook delivery queue (migration 0020): workers on any host claim due deliveries in
// batches with FOR UPDATE SKIP LOCKED and a lease, and record each attempt. A host that dies
// mid-delivery only delays it: its lease runs out and another claim sends it again (at least once;
// receivers deduplicate by webhook-id). Ordered per endpoint and recovery: a delivery is not
// claimed while an earlier one (by feed seq) of the same endpoint and recovery is still pending.
#include "events/EventEnvelope.h"
#include "store/PgPool.h"

#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

// A claimed delivery with what sending it needs.
struct ClaimedDelivery {
    long long id = 0;
    std::string claim;            // leased_by: the claim's own name, which the result must carry
    long long endpointId = 0;
    long long orgId = 0;
    std::string url;
    std::string sealedSecret;
    std::optional<std::string> sealedPreviousSecret;   // only while it still signs
    int attempts = 0;             // made before this one
    events::StoredEvent event;
};

// What one attempt came to.
struct DeliveryResult {
    long long deliveryId = 0;
    std::string claim;
    // delivered (2xx), retry (pending again after delayMs), failed (the schedule ran out),
    // gone (410: the delivery failed and the endpoint is disabled).
    std::string outcome;
    std::optional<int> statusCode;    // none when no answer came
    std::optional<std::string> error;
    int durationMs = 0;
    long long delayMs = 0;
};

// How a recorded result ended, for the metrics.
struct RecordedResult {
    bool recorded = false;            // false: the claim had passed to another claimant
    bool endpointDisabled = false;    // this result disabled its endpoint (410, or three days failing)
};

class WebhookDeliveryStore {
public:
    explicit WebhookDeliveryStore(PgPool& pool) : pool_(pool) {}

    // Claims up to `most` due deliveries of enabled endpoints, in the order they are to be sent
    // by `senders` threads (each busy with at most one attempt of a previous claim); the n-th is
    // leased until its attempt must have ended: (ceil(n / senders) + 1) attempt deadlines, plus
    // 5 s to record it.
    std::vector<ClaimedDelivery> claimDue(const std::string& claimName, int most, int senders, int attemptDeadlineMs);

    // Records attempts in one statement: each delivery's new state, the attempt rows, and the
    // endpoints' runs of failures (disabling one after a 410 or after three days without a
    // success). One answer per result, in order.
    std::vector<RecordedResult> record(const std::vector<DeliveryResult>& results);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
