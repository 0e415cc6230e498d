#pragma once
// Writes a batch of prepared failure events in one transaction with a few set-based statements
// (store/IngestBatch.h plans them): one SELECT of the Idempotency-Keys already stored (only when an
// event has one), one upsert of the payments, one statement for recoveries, steps, audit rows and
// failure events with their answers, then one COMMIT for all.
#include "store/IngestBatch.h"
#include "store/PgPool.h"

#include <exception>
#include <vector>

namespace tinko::store {

// An event's answer, or the error its request rethrows (DatabaseUnavailable is answered 503).
struct IngestResult {
    IngestOutcome outcome;
    std::exception_ptr error;
};

// One result per event, in order. A batch the database refuses for a reason other than being
// unreachable is written again one event at a time, so only the bad event gets the error.
std::vector<IngestResult> writeIngestBatch(PgPool& pool, const std::vector<FailureEventInput>& events);

}  // namespace tinko::store
