#pragma once
// The statements the hot paths run, as the store files define and use them, so that
// tests/integration/HotPathIndexTest can EXPLAIN the real SQL and fail when one would scan a
// growing table (see migrations/0013_hot_path_indexes.sql).
namespace tinko::store::hotpath {

extern const char* const kApiKeyOwner;            // OrgStore.cpp: every org request
// Ingest, once per batch of events (IngestBatchStore.cpp): the arrays they take hold one element
// per event (or payment, or step).
extern const char* const kStoredAnswers;          // the batch's Idempotency-Keys already stored
extern const char* const kUpsertTransactions;     // the batch's payments
extern const char* const kWriteFailureBatch;      // recoveries, steps, audit rows, failure events
extern const char* const kEventsByRef;            // RecoveryStore.cpp: GET /v1/events/by_ref
extern const char* const kClaimDueSteps;          // StepStore.cpp: every scheduler poll
extern const char* const kOldestWaitingStep;      // StepStore.cpp: every /metrics scrape (scheduler lag)
extern const char* const kEndSteps;               // StepStore.cpp: steps ending, in batches
extern const char* const kExhaustRecoveries;      // StepStore.cpp: with kEndSteps
extern const char* const kBeginMessages;         // MessageBatch.cpp: a claimed batch's sending rows and links
extern const char* const kFinishNotifications;    // StepStore.cpp: messages ending, in batches
extern const char* const kCardLimitRefusal;       // CardRetryStore.cpp: before each charge retry of a known card
extern const char* const kRenewStepLeases;        // StepStore.cpp: every third of a lease, per host
extern const char* const kWebhookSeen;            // WebhookStore.cpp: every webhook delivery
extern const char* const kLinkByToken;            // LinkStore.cpp: every recovery page view
extern const char* const kOrgDataChanges;         // OrgDataChanges.cpp: every 250 ms, per host
// MerchantEventStore.cpp: GET /v1/events (the cursor's place, then the page), GET /v1/events/{id},
// and the backlog the dispatcher measures every second for /metrics.
extern const char* const kEventFeedCursor;
extern const char* const kEventFeedPage;
extern const char* const kEventFeedPageOfTypes;
extern const char* const kEventById;
extern const char* const kUndispatchedEvents;
extern const char* const kOldestUndelivered;

}  // namespace tinko::store::hotpath
