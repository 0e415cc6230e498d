#pragma once
// The pure part of group-commit ingest (store/IngestBatchWriter.h): what each event of a batch
// becomes before any row is written, and PostgreSQL array literals for the set-based statements.
// No database here, so tests/unit/IngestBatchPlanTest checks every rule directly.
#include "store/RecoveryStore.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tinko::store {

using IdempotencyKey = std::pair<long long, std::string>;   // (org, Idempotency-Key)

// The first answer stored for a key, as failure_events keeps it.
struct StoredAnswer {
    std::string requestSha256;
    std::string responseJson;
};

// What each event of a batch becomes, decided in arrival order exactly as if the events came one
// after another: the first use of an Idempotency-Key is written, a later use replays that first
// answer (stored before, or written earlier in this batch), or is refused when its body differs.
struct IngestBatchPlan {
    enum class Action { Write, ReplayStored, ReplayEarlier, KeyReused };
    struct Decision {
        Action action = Action::Write;
        std::string storedResponse;   // ReplayStored: the answer to repeat
        std::size_t earlier = 0;      // ReplayEarlier: the event (index) whose answer to repeat
    };
    std::vector<Decision> decisions;          // one per event, in arrival order
    std::vector<std::size_t> writes;          // the events written, in arrival order
    std::vector<bool> firstOfPayment;         // per write: the first event of its (org, ref) in this batch
};

IngestBatchPlan planIngestBatch(const std::vector<FailureEventInput>& events,
                                const std::map<IdempotencyKey, StoredAnswer>& stored);

// One transaction upsert per payment (org, ref): ON CONFLICT cannot touch a row twice in one
// statement, so the events of one payment are merged first, as repeated upserts would leave it:
// amount and currency from the first (a conflict never changes them), psp, payment reference,
// payment method, card key and network the last one given (COALESCE new over old), and every customer object in arrival
// order (merged in SQL, `old || new`, so JSON is never re-encoded here).
struct TransactionUpsert {
    long long orgId = 0;
    std::string ref;
    long long amount = 0;
    std::string currency;
    std::optional<std::string> psp, paymentReference, paymentMethod, cardKey, cardNetwork;
    std::string customersJson;   // a JSON array of the events' customer objects, oldest first
};

// The payments of the written events, ordered by (org, ref): every writer locks transaction rows
// in this one order, so concurrent batches wait for each other instead of deadlocking.
std::vector<TransactionUpsert> mergeTransactions(const std::vector<FailureEventInput>& events,
                                                 const std::vector<std::size_t>& writes);

// The 201 body of a stored event (today's fields, in today's order).
std::string ingestResponseJson(const std::string& eventId, const std::string& recoveryId, const std::string& state,
                               const std::string& category, const std::string& hardness,
                               const std::optional<std::string>& nextStepAt);

}  // namespace tinko::store
