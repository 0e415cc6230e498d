#include "store/StepStore.h"
#include "store/HotPathSql.h"

#include "security/SecretTokens.h"

#include <algorithm>

namespace tinko::store {

const char* const hotpath::kClaimDueSteps =
    "WITH claimed AS ("
    "  UPDATE recovery_steps s SET state = 'running', leased_by = $1,"
    "    lease_until = now() + make_interval(secs => $2::int), attempts = s.attempts + 1"
    "  WHERE s.id IN (SELECT q.id FROM recovery_steps q"
    "                 WHERE ((q.state = 'pending' AND q.due_at <= now()) OR (q.state = 'running' AND q.lease_until < now()))"
    // Orgs whose steps already fill their share of this host's workers wait (scheduler/FairShare.h).
    "                   AND q.org_id <> ALL($3::bigint[])"
    // A recovery's steps run one after another: only its first unfinished step can be
    // claimed, so a later step never races an earlier one (two charges, a message after payment).
    "                   AND q.sequence = (SELECT min(x.sequence) FROM recovery_steps x"
    "                                     WHERE x.recovery_id = q.recovery_id AND x.state IN ('pending', 'running'))"
    "                 ORDER BY q.due_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
    "  RETURNING s.*)"
    " SELECT c.id::text, c.recovery_id::text, c.org_id::text, c.sequence::text, c.attempts::text,"
    "   c.retry_charge::text, c.channel,"
    "   (c.sequence = (SELECT max(sequence) FROM recovery_steps x WHERE x.recovery_id = c.recovery_id))::text,"
    "   r.state, r.category, r.policy::text, t.ref, t.amount::text, t.currency, t.payment_reference,"
    "   t.customer::text, o.name, t.payment_method, o.slug, r.decided_by_rule->'then'->>'template'"
    " FROM claimed c JOIN recoveries r ON r.id = c.recovery_id JOIN transactions t ON t.id = r.transaction_id"
    " JOIN orgs o ON o.id = c.org_id";

// Pushes the lease of each step this host is running (id, attempt) on; returns those renewed.
const char* const hotpath::kRenewStepLeases =
    "UPDATE recovery_steps s SET lease_until = now() + make_interval(secs => $2::int)"
    " FROM unnest($3::bigint[], $4::int[]) AS held(id, attempts)"
    " WHERE s.id = held.id AND s.attempts = held.attempts AND s.leased_by = $1 AND s.state = 'running'"
    " RETURNING s.id::text";

namespace {
std::string arrayLiteral(const std::vector<long long>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
    return out + "}";
}

// Every write that ends a claim names it: this host and the attempt it claimed, as parameters $n
// and $n+1. A claim taken over meanwhile (the lease ran out and another host, or worker, claimed
// the step) matches no row, so the host that lost it overwrites nothing.
std::string thisClaim(int n) {
    return " AND leased_by = $" + std::to_string(n) + " AND attempts = $" + std::to_string(n + 1) + "::int";
}
}  // namespace

std::optional<StepWork> StepStore::claimDue(const std::string& hostId, int leaseSeconds,
                                            const std::vector<long long>& skippedOrgs) {
    return pool_.with([&](PgConnection& c) -> std::optional<StepWork> {
        auto rows = c.query(hotpath::kClaimDueSteps, {hostId, std::to_string(leaseSeconds), arrayLiteral(skippedOrgs)});
        if (rows.empty()) return std::nullopt;
        const auto& r = rows[0];
        StepWork w;
        w.stepId = std::stoll(*r[0]);
        w.recoveryId = std::stoll(*r[1]);
        w.orgId = std::stoll(*r[2]);
        w.sequence = std::stoi(*r[3]);
        w.attempts = std::stoi(*r[4]);
        w.retryCharge = *r[5] == "true";
        w.channel = r[6];
        w.isLastStep = *r[7] == "true";
        w.recoveryState = *r[8];
        w.category = *r[9];
        w.policyJson = *r[10];
        w.transactionRef = *r[11];
        w.amount = std::stoll(*r[12]);
        w.currency = *r[13];
        w.paymentReference = r[14];
        w.customerJson = *r[15];
        w.orgName = *r[16];
        w.paymentMethod = r[17];
        w.orgSlug = *r[18];
        w.ruleTemplate = r[19];
        w.leasedBy = hostId;
        return w;
    });
}

std::vector<long long> StepStore::renewLeases(const std::string& hostId, int leaseSeconds,
                                              const std::map<long long, int>& attemptByStep) {
    std::vector<long long> ids, attempts;
    for (const auto& [id, attempt] : attemptByStep) {
        ids.push_back(id);
        attempts.push_back(attempt);
    }
    auto renewed = pool_.with([&](PgConnection& c) {
        return c.query(hotpath::kRenewStepLeases, {hostId, std::to_string(leaseSeconds), arrayLiteral(ids), arrayLiteral(attempts)});
    });
    std::vector<long long> lost;
    for (long long id : ids) {
        const bool kept = std::any_of(renewed.begin(), renewed.end(), [&](const auto& row) { return std::stoll(*row[0]) == id; });
        if (!kept) lost.push_back(id);
    }
    return lost;
}

namespace {
std::vector<std::string> withClaim(const StepWork& step, std::vector<std::string> params) {
    params.push_back(step.leasedBy);
    params.push_back(std::to_string(step.attempts));
    return params;
}

bool finishStep(PgPool& pool, const StepWork& step, const std::string& state, const std::string& outcome,
                const std::string& detailJson) {
    return pool.transaction([&](PgConnection& c) {
        auto finished = c.query(std::string("UPDATE recovery_steps SET state = $4, outcome = $2, outcome_detail = $3::jsonb,"
                                            " completed_at = now(), leased_by = NULL, lease_until = NULL WHERE id = $1::bigint") +
                                    thisClaim(5) + " RETURNING id",
                                withClaim(step, {std::to_string(step.stepId), outcome, detailJson, state}));
        if (finished.empty()) return false;
        // Exhausted once no step is left to run and nothing recovered the payment.
        c.query("UPDATE recoveries SET state = 'exhausted', closed_at = now() WHERE id = $1::bigint AND state = 'active'"
                " AND NOT EXISTS (SELECT 1 FROM recovery_steps WHERE recovery_id = $1::bigint AND state IN ('pending', 'running'))",
                {std::to_string(step.recoveryId)});
        return true;
    });
}
}  // namespace

bool StepStore::complete(const StepWork& step, const std::string& outcome, const std::string& detailJson) {
    return finishStep(pool_, step, "done", outcome, detailJson);
}

bool StepStore::fail(const StepWork& step, const std::string& detailJson) {
    return finishStep(pool_, step, "failed", "failed", detailJson);
}

bool StepStore::retryLater(const StepWork& step, int delaySeconds, const std::string& detailJson) {
    return pool_.with([&](PgConnection& c) {
        return !c.query(std::string("UPDATE recovery_steps SET state = 'pending', due_at = now() + make_interval(secs => $2::int),"
                                    " outcome = 'retry_scheduled', outcome_detail = $3::jsonb, leased_by = NULL, lease_until = NULL"
                                    " WHERE id = $1::bigint") +
                            thisClaim(4) + " RETURNING id",
                        withClaim(step, {std::to_string(step.stepId), std::to_string(delaySeconds), detailJson}))
                    .empty();
    });
}

bool StepStore::cancel(const StepWork& step) {
    return pool_.with([&](PgConnection& c) {
        return !c.query(std::string("UPDATE recovery_steps SET state = 'cancelled', completed_at = now(), leased_by = NULL,"
                                    " lease_until = NULL WHERE id = $1::bigint") +
                            thisClaim(2) + " RETURNING id",
                        withClaim(step, {std::to_string(step.stepId)}))
                    .empty();
    });
}

NotificationStart NotificationStore::begin(const StepWork& step, const std::string& channel, const std::string& plugin,
                                           const std::string& maskedRecipient) {
    return pool_.with([&](PgConnection& c) {
        // Only under the step's claim: a host that lost it (it stalled past its lease) starts no
        // send, and leaves the message to the claimant that took the step over.
        auto inserted = c.query(
            "INSERT INTO notifications (org_id, recovery_id, step_id, channel, plugin, recipient_masked, status)"
            " SELECT $1::bigint, $2::bigint, $3::bigint, $4, $5, $6, 'sending'"
            " WHERE EXISTS (SELECT 1 FROM recovery_steps WHERE id = $3::bigint" + thisClaim(7) + ")"
            " ON CONFLICT (step_id, channel) DO NOTHING RETURNING id::text",
            {std::to_string(step.orgId), std::to_string(step.recoveryId), std::to_string(step.stepId), channel, plugin,
             maskedRecipient, step.leasedBy, std::to_string(step.attempts)});
        if (!inserted.empty()) return NotificationStart{std::stoll(*inserted[0][0]), ""};
        if (c.query("SELECT 1 FROM recovery_steps WHERE id = $1::bigint" + thisClaim(2),
                    {std::to_string(step.stepId), step.leasedBy, std::to_string(step.attempts)}).empty())
            return NotificationStart{0, "claim_lost"};
        auto existing = c.query("SELECT id::text, status FROM notifications WHERE step_id = $1::bigint AND channel = $2",
                                {std::to_string(step.stepId), channel});
        return NotificationStart{std::stoll(*existing.at(0)[0]), *existing.at(0)[1]};
    });
}

bool NotificationStore::retake(long long notificationId) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("UPDATE notifications SET status = 'sending', updated_at = now()"
                        " WHERE id = $1::bigint AND status = 'failed' RETURNING id",
                        {std::to_string(notificationId)}).empty();
    });
}

void NotificationStore::finish(long long notificationId, const std::string& status,
                               const std::optional<std::string>& providerMessageId, const std::optional<std::string>& error) {
    pool_.with([&](PgConnection& c) {
        c.queryNullable("UPDATE notifications SET status = $2, provider_message_id = COALESCE($3, provider_message_id),"
                        " error = $4, updated_at = now() WHERE id = $1::bigint",
                        {std::to_string(notificationId), status, providerMessageId, error});
    });
}

std::optional<JsonPage> NotificationStore::listForRecovery(long long orgId, long long recoveryId, long long afterId, int limit) {
    return pool_.with([&](PgConnection& c) -> std::optional<JsonPage> {
        auto found = c.query("SELECT 1 FROM recoveries WHERE id = $1::bigint AND org_id = $2::bigint",
                             {std::to_string(recoveryId), std::to_string(orgId)});
        if (found.empty()) return std::nullopt;
        auto rows = c.query(
            "SELECT coalesce(json_agg(json_build_object('id', id, 'step_id', step_id, 'channel', channel, 'plugin', plugin,"
            " 'recipient', recipient_masked, 'status', status, 'provider_message_id', provider_message_id, 'error', error,"
            " 'created_at', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) ORDER BY id), '[]')::text,"
            " count(*)::text, coalesce(max(id), 0)::text"
            " FROM (SELECT * FROM notifications WHERE recovery_id = $1::bigint AND id > $2::bigint ORDER BY id LIMIT $3::int) n",
            {std::to_string(recoveryId), std::to_string(afterId), std::to_string(limit)});
        return JsonPage{*rows[0][0], std::stoul(*rows[0][1]), std::stoll(*rows[0][2])};
    });
}

namespace {
// SQL for the hex SHA-256 of parameter $n, the form opt-outs are stored in.
std::string sha256Of(int n) { return "encode(sha256(convert_to($" + std::to_string(n) + ", 'UTF8')), 'hex')"; }
}  // namespace

bool NotificationStore::recordDelivery(long long orgId, const std::string& plugin, const std::string& providerMessageId,
                                       const std::string& status, const std::optional<std::string>& errorCode) {
    return pool_.with([&](PgConnection& c) {
        // A late "sent" never overwrites "delivered"; an end state is kept once reached.
        auto rows = c.queryNullable(
            "UPDATE notifications SET status = CASE WHEN status IN ('delivered', 'undelivered', 'failed') THEN status"
            "                                       WHEN $4 = 'sent' THEN status ELSE $4 END,"
            "  error = COALESCE('provider error ' || $5, error), updated_at = now()"
            " WHERE org_id = $1::bigint AND plugin = $2 AND provider_message_id = $3 RETURNING id",
            {std::to_string(orgId), plugin, providerMessageId, status, errorCode});
        return !rows.empty();
    });
}

bool NotificationStore::isOptedOut(long long orgId, const std::string& channel, const std::string& recipient) {
    // The cache keys the address by its hash too.
    return readThrough<bool>(cache_, orgId, "optout:" + channel + '\0' + security::sha256Hex(recipient),
                             [&] { return loadOptedOut(orgId, channel, recipient); });
}

bool NotificationStore::loadOptedOut(long long orgId, const std::string& channel, const std::string& recipient) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("SELECT 1 FROM recipient_opt_outs WHERE org_id = $1::bigint AND channel = $2"
                        " AND recipient_sha256 = " + sha256Of(3),
                        {std::to_string(orgId), channel, recipient})
                    .empty();
    });
}

void NotificationStore::optOut(long long orgId, const std::string& channel, const std::string& recipient,
                               const std::string& maskedRecipient, const std::string& plugin) {
    OrgDataWrite written(cache_, orgId);
    pool_.with([&](PgConnection& c) {
        c.query("INSERT INTO recipient_opt_outs (org_id, channel, recipient_sha256, recipient_masked, plugin)"
                " VALUES ($1::bigint, $2, " + sha256Of(3) + ", $4, $5) ON CONFLICT DO NOTHING",
                {std::to_string(orgId), channel, recipient, maskedRecipient, plugin});
    });
}

void NotificationStore::optOutRecipientOf(long long orgId, const std::string& plugin, const std::string& providerMessageId) {
    OrgDataWrite written(cache_, orgId);
    pool_.with([&](PgConnection& c) {
        c.query("INSERT INTO recipient_opt_outs (org_id, channel, recipient_sha256, recipient_masked, plugin)"
                " SELECT n.org_id, n.channel,"
                "   encode(sha256(convert_to(t.customer ->> CASE n.channel WHEN 'email' THEN 'email' ELSE 'phone' END, 'UTF8')), 'hex'),"
                "   n.recipient_masked, n.plugin"
                " FROM notifications n JOIN recoveries r ON r.id = n.recovery_id JOIN transactions t ON t.id = r.transaction_id"
                " WHERE n.org_id = $1::bigint AND n.plugin = $2 AND n.provider_message_id = $3"
                "   AND t.customer ->> CASE n.channel WHEN 'email' THEN 'email' ELSE 'phone' END IS NOT NULL"
                " ON CONFLICT DO NOTHING",
                {std::to_string(orgId), plugin, providerMessageId});
    });
}

}  // namespace tinko::store
