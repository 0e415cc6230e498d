#pragma once
// The recovery domain in PostgreSQL: failure events, the transaction's recovery (created or
// joined), its planned steps, and what a merchant reads back. Each change runs in one
// transaction, so an acknowledged event is never half stored.
#include "http/DateRange.h"
#include "recovery/RecoveryPlan.h"
#include "store/JsonPage.h"
#include "store/PgPool.h"

#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

// A failed payment, prepared for storing (store/IngestBatchWriter.h writes it).
struct FailureEventInput {
    long long orgId = 0;
    std::string transactionRef;
    long long amount = 0;
    std::string currency;
    std::optional<std::string> psp;
    std::optional<std::string> paymentReference;
    std::optional<std::string> paymentMethod;     // the card, for off-session retries
    std::optional<std::string> cardFingerprint;   // the PSP's card fingerprint (same card, any payment method)
    std::optional<std::string> cardNetwork;       // visa, mastercard, ... (recovery/DeclineAdvice.h)
    std::optional<std::string> declineCode;
    std::optional<std::string> failureReason;
    std::string customerJson = "{}";
    std::optional<std::string> occurredAt;      // ISO 8601; default now
    std::string metadataJson = "{}";
    std::string source = "api";
    std::string category;
    std::string hardness;
    std::optional<std::string> idempotencyKey;
    std::string requestSha256;
    std::string policyJson;                     // the snapshot copied into a new recovery
    std::vector<recovery::PlannedStep> steps;   // for a new recovery
    std::optional<std::string> decidedByRule;   // the rule (JSON) that decided the plan, if one did
    bool skipped = false;                        // a rule said: no recovery
    // Decline advice (recovery/DeclineAdvice.h): as the event carried it, and the decision it made
    // (JSON, kept on a new recovery as charge_advice); stopAdvice: MAC 03 or 21.
    std::optional<std::string> adviceCode, networkAdviceCode, networkDeclineCode;
    std::optional<std::string> chargeAdviceJson;
    bool stopAdvice = false;

    // transactions.card_key (migrations/0025): 'fp:<fingerprint>', else 'pm:<payment method>'.
    std::optional<std::string> cardKey() const {
        if (cardFingerprint && !cardFingerprint->empty()) return "fp:" + *cardFingerprint;
        if (paymentMethod && !paymentMethod->empty()) return "pm:" + *paymentMethod;
        return std::nullopt;
    }
};

struct IngestOutcome {
    enum class Kind { Stored, Replayed, KeyReused } kind = Kind::Stored;
    std::string responseJson;   // the 201 body (first answer when replayed)
};

class RecoveryStore {
public:
    explicit RecoveryStore(PgPool& pool) : pool_(pool) {}

    // The org's failure events for a transaction, oldest first, as a JSON array.
    // One page (by id) of the failure events of the org's transaction `ref`; nullopt when it has none.
    std::optional<JsonPage> eventsByRef(long long orgId, const std::string& ref, long long afterId, int limit);
    // The org's latest recovery for a transaction, with steps, links and notifications, as JSON.
    std::optional<std::string> recoveryByRef(long long orgId, const std::string& ref);
    // The same, by the recovery's id (the ops console).
    std::optional<std::string> recoveryById(long long orgId, long long recoveryId);
    // The org's newest `limit` recoveries with ids below `beforeId` (0: from the newest), newest
    // first, as summaries.
    JsonPage recentRecoveries(long long orgId, long long beforeId, int limit);

    // State changes a merchant or a provider asks for; each answers whether it changed anything.
    bool cancel(long long orgId, long long recoveryId);
    bool retryNow(long long orgId, long long recoveryId);
    // Whether the org has this recovery: another org's id and an unknown id are alike (404).
    bool belongsTo(long long orgId, long long recoveryId);
    // The payment came in: the open recovery of the transaction (or `recoveryId`; exhausted counts as
    // open, its last link can still be paid) is recovered and
    // its remaining steps cancelled; `via` (retry_charge, webhook:<plugin>, checkout:<plugin>) is
    // kept with it, which orders a charge retry's merchant event before the recovery's
    // (migrations/0021). Returns the recovery id, if one was open.
    std::optional<long long> markRecovered(long long orgId, const std::optional<long long>& recoveryId,
                                           const std::optional<std::string>& transactionRef, const std::string& via);
    bool isActive(long long recoveryId);

    // The customer saved a new card (a PSP's payment_method_saved): on the org's active recovery
    // `recoveryId` (else the active one of `transactionRef`), the transaction gets the card
    // (payment_method, card_key, card_network), the recovery new_card_at (merchant event
    // payment_method.updated), and a charge retry with it goes first in the recovery's queue, due
    // now. Once per recovery and payment method (migrations/0028_new_card_and_attribution.sql).
    struct NewCard {
        std::string paymentMethod;
        std::optional<std::string> cardNetwork;   // visa, mastercard, ... (migrations/0025), null unknown
        std::optional<std::string> fingerprint;
    };
    enum class NewCardOutcome { NoActiveRecovery, AlreadySaved, ChargeScheduled };
    NewCardOutcome saveNewCard(long long orgId, const std::optional<long long>& recoveryId,
                               const std::optional<std::string>& transactionRef, const NewCard& card);

    // Counts by state, recovery rate, recovered amount per currency (JSON): of every recovery, or
    // of those started within `range` (and the failure events received within it).
    std::string stats(long long orgId, const std::optional<http::DateRange>& range = std::nullopt);

    // The latest recovery of a transaction, for links made on request.
    std::optional<std::pair<long long, std::string>> recoveryForRef(long long orgId, const std::string& ref);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
