#pragma once
// The scheduler's queue: recovery steps are rows with a due time. Hosts claim due steps in batches
// with FOR UPDATE SKIP LOCKED and a lease; a step whose host died is claimed again once its lease
// ends. The writes that end a step name the claim (host and attempt): they record nothing, and
// answer false, once the claim has passed to another claimant, whose record then stands. Ends
// arriving together from many running steps are written in one transaction (group commit).
#include "store/GroupCommit.h"
#include "store/JsonPage.h"
#include "store/OrgDataCache.h"
#include "store/PgPool.h"

#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

// A claimed step with everything needed to run it.
struct StepWork {
    long long stepId = 0;
    long long recoveryId = 0;
    long long orgId = 0;
    int sequence = 0;
    int attempts = 0;
    bool retryCharge = false;
    std::optional<std::string> channel;
    bool isLastStep = false;
    std::string recoveryState;
    std::string category;
    std::string policyJson;
    std::string transactionRef;
    long long amount = 0;
    std::string currency;
    std::optional<std::string> paymentReference;
    std::optional<std::string> paymentMethod;
    std::string customerJson;
    std::string orgName;
    std::string orgSlug;
    std::optional<std::string> ruleTemplate;   // the template set the deciding rule picked
    std::optional<std::string> cardKey;         // transactions.card_key: whose network limits apply
    std::optional<std::string> cardNetwork;
    std::optional<std::string> chargeAdviceJson;   // recoveries.charge_advice (recovery/DeclineAdvice.h)
    std::string leasedBy;                       // the host that claimed it (with `attempts`, the claim)
};

class StepStore {
public:
    explicit StepStore(PgPool& pool) : pool_(pool) {}
    PgPool& pool() { return pool_; }   // for the stores a step's run also needs (store/CardRetryStore.h)

    // Claims up to `most` due steps (or ones whose lease ran out), earliest first, leased to
    // `hostId` for `leaseSeconds`: only the first unfinished step of each recovery, and of each org
    // at most its room (`roomByOrg`; an org not listed: `orgRoom`). Empty when none is due.
    std::vector<StepWork> claimDueBatch(const std::string& hostId, int leaseSeconds, int most,
                                        const std::map<long long, int>& roomByOrg, int orgRoom);
    // One step of an org not in `skippedOrgs`; nullopt when there is none.
    std::optional<StepWork> claimDue(const std::string& hostId, int leaseSeconds, const std::vector<long long>& skippedOrgs);
    // How long the step waiting longest to be claimed has waited, in seconds: since its due_at
    // (pending) or since its lease ran out (a host died running it); 0 when none waits. The
    // scheduler lag that /metrics shows; two index reads (recovery_steps_due, _lease_ends).
    double oldestWaitingStepAgeSeconds();
    // Renews the leases of the steps `hostId` is running (step id -> the attempt it claimed);
    // returns the steps whose claim passed to another claimant (or just ended).
    std::vector<long long> renewLeases(const std::string& hostId, int leaseSeconds, const std::map<long long, int>& attemptByStep);
    // The step ran: done with this outcome; when it was the recovery's last step and the recovery
    // is still open, the recovery is exhausted.
    bool complete(const StepWork& step, const std::string& outcome, const std::string& detailJson);
    // The step could not finish now (provider down): due again after `delaySeconds`.
    bool retryLater(const StepWork& step, int delaySeconds, const std::string& detailJson);
    // The step reached its policy's attempt cap: failed with `detailJson`; the recovery moves on to
    // its next step, or is exhausted when none is left.
    bool fail(const StepWork& step, const std::string& detailJson);
    // The recovery closed before the step ran.
    bool cancel(const StepWork& step);

private:
    struct StepEnd {
        StepWork step;
        std::string state;   // done, failed, pending (retry later), cancelled
        std::string outcome;
        std::string detailJson;
        int delaySeconds = 0;
    };
    struct Waiting {
        StepEnd end;
        std::promise<bool> stored;
    };
    // Writes `ending` together with the ends other threads are writing meanwhile; true when the
    // claim still held.
    bool end(StepEnd ending);
    void writeEnds(const std::vector<Waiting*>& batch);

    PgPool& pool_;
    GroupCommit<Waiting> ends_;
};

struct NotificationStart {
    long long id = 0;
    // Empty when this call created the row (go ahead and send); otherwise the status an earlier
    // attempt left: "sent"/"queued"/"delivered" (done), "unknown" or "sending" (interrupted:
    // never resend blindly), "failed" (a transient failure; may be sent again); "claim_lost" when
    // the step's claim passed to another claimant (nothing may be sent, nothing was written).
    std::string previousStatus;
};

// One message of a claimed batch, decided on in C++ (recipient, channel, plugin) and to be
// recorded as sending, with its recovery link, before any send of the batch starts.
struct MessageStart {
    const StepWork* step = nullptr;
    std::string channel;
    std::string plugin;
    std::string maskedRecipient;
    std::string recipientSha256;   // as opt-outs are stored (security::sha256Hex)
    std::string linkTokenSha256;
    long long linkTtlSeconds = 0;
};

struct MessageStarted {
    // "sending": the row and the link are committed, go ahead and send; "claim_lost": the step's
    // claim passed to another claimant (nothing written, nothing may be sent); "closed": the
    // recovery is no longer active (no message); "opted_out": the recipient opted out of the
    // channel (no message); "started": an earlier attempt left a row (its status decides: begin()).
    std::string verdict;
    long long notificationId = 0;
    std::string linkExpiresAt;   // ISO 8601 UTC, when "sending"
};

class NotificationStore {
public:
    // With `cache`, isOptedOut answers come from it; opt-outs written here invalidate it.
    explicit NotificationStore(PgPool& pool, OrgDataCache* cache = nullptr) : pool_(pool), cache_(cache) {}
    NotificationStart begin(const StepWork& step, const std::string& channel, const std::string& plugin,
                            const std::string& maskedRecipient);
    // Takes a transiently failed row back to "sending" for one more try; false if another host did.
    bool retake(long long notificationId);
    void finish(long long notificationId, const std::string& status, const std::optional<std::string>& providerMessageId,
                const std::optional<std::string>& error);
    // Records the messages of a claimed batch as sending, and their links, in one statement and one
    // commit; one answer per start, in order. Each row is written only under its step's claim.
    std::vector<MessageStarted> beginBatch(const std::vector<MessageStart>& starts);
    // One page (by id) of the recovery's notifications; nullopt when the org has no such recovery.
    std::optional<JsonPage> listForRecovery(long long orgId, long long recoveryId, long long afterId, int limit);

    // A provider's delivery report for a message it accepted (e.g. Twilio's status callback): the
    // message's status becomes `status` (delivered, undelivered, failed), unless it already reached
    // an end. False when no message of this org and plugin has that id.
    bool recordDelivery(long long orgId, const std::string& plugin, const std::string& providerMessageId,
                        const std::string& status, const std::optional<std::string>& errorCode);
    // Opt-outs, per org and channel. Only the SHA-256 of the address is stored (hashed in SQL).
    bool isOptedOut(long long orgId, const std::string& channel, const std::string& recipient);
    void optOut(long long orgId, const std::string& channel, const std::string& recipient,
                const std::string& maskedRecipient, const std::string& plugin);
    // The same, for the recipient of a message a delivery report names (the address itself is not
    // kept on the message: it is the customer's on the payment).
    void optOutRecipientOf(long long orgId, const std::string& plugin, const std::string& providerMessageId);

private:
    struct Finishing {
        long long id;
        std::string status;
        std::optional<std::string> providerMessageId;
        std::optional<std::string> error;
        std::promise<void> written;
    };

    bool loadOptedOut(long long orgId, const std::string& channel, const std::string& recipient);
    void writeFinishes(std::vector<Finishing*> batch);

    PgPool& pool_;
    OrgDataCache* cache_ = nullptr;
    GroupCommit<Finishing> finishes_;
};

}  // namespace tinko::store
