#include "store/StepStore.h"
#include "store/HotPathSql.h"
#include "store/SqlArrays.h"

#include "security/SecretTokens.h"

#include <algorithm>
#include <set>

namespace tinko::store {

// The earliest moment a step still waiting became claimable: each branch reads from the front of
// its partial index (as kClaimDueSteps's branches do). A due step behind an earlier unfinished one
// of its recovery (put off by a retry) is not waiting for the scheduler, so it does not count.
const char* const hotpath::kOldestWaitingStep =
    "SELECT coalesce(extract(epoch FROM now() - min(w.since)), 0)::float8 FROM ("
    "  (SELECT q.due_at AS since FROM recovery_steps q WHERE q.state = 'pending' AND q.due_at <= now()"
    "     AND NOT EXISTS (SELECT 1 FROM recovery_steps x WHERE x.recovery_id = q.recovery_id"
    "                     AND x.sequence < q.sequence AND x.state IN ('pending', 'running'))"
    "   ORDER BY q.due_at LIMIT 1)"
    "  UNION ALL"
    "  (SELECT q.lease_until FROM recovery_steps q WHERE q.state = 'running' AND q.lease_until < now()"
    "   ORDER BY q.lease_until LIMIT 1)) w";

double StepStore::oldestWaitingStepAgeSeconds() {
    return pool_.with([](PgConnection& c) {
        return std::stod(c.query(hotpath::kOldestWaitingStep).at(0)[0].value_or("0"));
    });
}

// Claims up to $7 due steps at once (the free room of this host's scheduler). Each branch of `due`
// reads only claimable rows through its own partial index (pending by due_at, running by
// lease_until), so steps not yet due cost nothing to poll (migrations/0019_step_claim_batches.sql).
const char* const hotpath::kClaimDueSteps =
    "WITH due AS ("
    "  (SELECT q.id FROM recovery_steps q WHERE q.state = 'pending' AND q.due_at <= now()"
    // Orgs whose steps already fill their share of this host's in-flight bound wait (scheduler/FairShare.h).
    "     AND q.org_id <> ALL($3::bigint[])"
    // A recovery's steps run one after another: only its first unfinished step can be
    // claimed, so a later step never races an earlier one (two charges, a message after payment).
    "     AND NOT EXISTS (SELECT 1 FROM recovery_steps x WHERE x.recovery_id = q.recovery_id"
    "                     AND x.sequence < q.sequence AND x.state IN ('pending', 'running'))"
    "   ORDER BY q.due_at LIMIT $7::int * 4)"
    "  UNION ALL"
    "  (SELECT q.id FROM recovery_steps q WHERE q.state = 'running' AND q.lease_until < now()"
    "     AND q.org_id <> ALL($3::bigint[])"
    "   ORDER BY q.lease_until LIMIT $7::int * 4)),"
    // At most the room each org has left on this host ($4/$5; an org running nothing here: $6),
    // twice what is wanted, so that a host racing this one still finds some unlocked.
    " picked AS ("
    "  SELECT d.id FROM (SELECT q.id, q.org_id, q.due_at, row_number() OVER (PARTITION BY q.org_id ORDER BY q.due_at, q.id) AS nth"
    "                    FROM recovery_steps q WHERE q.id IN (SELECT id FROM due)) d"
    "  WHERE d.nth <= coalesce((SELECT h.room FROM unnest($4::bigint[], $5::int[]) AS h(org, room) WHERE h.org = d.org_id), $6::int)"
    "  ORDER BY d.due_at, d.id LIMIT $7::int * 2),"
    // Locks only those (a lock is a write), checking again that each is still claimable.
    " locked AS ("
    "  SELECT q.id, q.due_at FROM recovery_steps q"
    "  WHERE q.id IN (SELECT id FROM picked)"
    "    AND ((q.state = 'pending' AND q.due_at <= now()) OR (q.state = 'running' AND q.lease_until < now()))"
    "  FOR UPDATE SKIP LOCKED),"
    " claimed AS ("
    "  UPDATE recovery_steps s SET state = 'running', leased_by = $1,"
    "    lease_until = now() + make_interval(secs => $2::int), attempts = s.attempts + 1"
    "  WHERE s.id IN (SELECT id FROM locked ORDER BY due_at, id LIMIT $7::int)"
    "  RETURNING s.*)"
    " SELECT c.id::text, c.recovery_id::text, c.org_id::text, c.sequence::text, c.attempts::text,"
    "   c.retry_charge::text, c.channel,"
    "   (c.sequence = (SELECT max(sequence) FROM recovery_steps x WHERE x.recovery_id = c.recovery_id))::text,"
    "   r.state, r.category, r.policy::text, t.ref, t.amount::text, t.currency, t.payment_reference,"
    "   t.customer::text, o.name, t.payment_method, o.slug, r.decided_by_rule->'then'->>'template',"
    "   t.card_key, t.card_network, r.charge_advice::text"
    " FROM claimed c JOIN recoveries r ON r.id = c.recovery_id JOIN transactions t ON t.id = r.transaction_id"
    " JOIN orgs o ON o.id = c.org_id ORDER BY c.due_at, c.id";

// Pushes the lease of each step this host is running (id, attempt) on; returns those renewed.
const char* const hotpath::kRenewStepLeases =
    "UPDATE recovery_steps s SET lease_until = now() + make_interval(secs => $2::int)"
    " FROM unnest($3::bigint[], $4::int[]) AS held(id, attempts)"
    " WHERE s.id = held.id AND s.attempts = held.attempts AND s.leased_by = $1 AND s.state = 'running'"
    " RETURNING s.id::text";

namespace {
// Every write under a claim names it: this host and the attempt it claimed, as parameters $n and
// $n+1. A claim taken over meanwhile matches no row, so the host that lost it writes nothing.
std::string thisClaim(int n) {
    return " AND leased_by = $" + std::to_string(n) + " AND attempts = $" + std::to_string(n + 1) + "::int";
}

StepWork stepWorkOf(const PgConnection::Row& r, const std::string& hostId) {
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
    w.cardKey = r[20];
    w.cardNetwork = r[21];
    w.chargeAdviceJson = r[22];
    w.leasedBy = hostId;
    return w;
}
}  // namespace

std::vector<StepWork> StepStore::claimDueBatch(const std::string& hostId, int leaseSeconds, int most,
                                               const std::map<long long, int>& roomByOrg, int orgRoom) {
    if (most <= 0) return {};
    std::vector<long long> full, orgs;
    std::vector<int> rooms;
    for (const auto& [org, room] : roomByOrg) {
        if (room <= 0) full.push_back(org);
        orgs.push_back(org);
        rooms.push_back(room);
    }
    auto rows = pool_.with([&](PgConnection& c) {
        return c.query(hotpath::kClaimDueSteps, {hostId, std::to_string(leaseSeconds), arrayLiteral(full), arrayLiteral(orgs),
                                                 arrayLiteral(rooms), std::to_string(orgRoom), std::to_string(most)});
    });
    std::vector<StepWork> claimed;
    claimed.reserve(rows.size());
    for (const auto& row : rows) claimed.push_back(stepWorkOf(row, hostId));
    return claimed;
}

std::optional<StepWork> StepStore::claimDue(const std::string& hostId, int leaseSeconds,
                                            const std::vector<long long>& skippedOrgs) {
    std::map<long long, int> roomByOrg;
    for (long long org : skippedOrgs) roomByOrg[org] = 0;
    auto claimed = claimDueBatch(hostId, leaseSeconds, 1, roomByOrg, 1);
    if (claimed.empty()) return std::nullopt;
    return claimed.front();
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
    std::set<long long> kept;
    for (const auto& row : renewed) kept.insert(std::stoll(*row[0]));
    std::vector<long long> lost;
    for (long long id : ids)
        if (!kept.count(id)) lost.push_back(id);
    return lost;
}

// Ends many steps in one transaction. Each row names its claim (host and attempt): a claim taken
// over meanwhile (the lease ran out and another host claimed the step) matches no row, so the host
// that lost it overwrites nothing. state: done/failed (an end, with outcome and detail), pending
// (retry after delay_seconds, outcome retry_scheduled), cancelled (outcome left as it was).
const char* const hotpath::kEndSteps =
    "UPDATE recovery_steps s SET state = e.state,"
    "  outcome = CASE WHEN e.state = 'cancelled' THEN s.outcome ELSE e.outcome END,"
    "  outcome_detail = CASE WHEN e.state = 'cancelled' THEN s.outcome_detail ELSE e.detail::jsonb END,"
    "  completed_at = CASE WHEN e.state = 'pending' THEN s.completed_at ELSE now() END,"
    "  due_at = CASE WHEN e.state = 'pending' THEN now() + make_interval(secs => e.delay_seconds) ELSE s.due_at END,"
    "  leased_by = NULL, lease_until = NULL"
    " FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[])"
    "   AS e(id, leased_by, attempts, state, outcome, detail, delay_seconds)"
    " WHERE s.id = e.id AND s.leased_by = e.leased_by AND s.attempts = e.attempts"
    " RETURNING s.id::text";

// A recovery whose step ended (done or failed) is exhausted once no step is left to run and
// nothing recovered the payment.
const char* const hotpath::kExhaustRecoveries =
    "UPDATE recoveries r SET state = 'exhausted', closed_at = now()"
    " WHERE r.id = ANY($1::bigint[]) AND r.state = 'active'"
    " AND NOT EXISTS (SELECT 1 FROM recovery_steps x WHERE x.recovery_id = r.id AND x.state IN ('pending', 'running'))";

bool StepStore::end(StepEnd ending) {
    Waiting me{std::move(ending), {}};
    auto answer = me.stored.get_future();
    ends_.submit(me, [this](const std::vector<Waiting*>& batch) { writeEnds(batch); });
    return answer.get();
}

void StepStore::writeEnds(const std::vector<Waiting*>& batch) {
    std::vector<Waiting*> byStep(batch);
    // One lock order for every writer: by step id, then by recovery id below.
    std::sort(byStep.begin(), byStep.end(), [](const Waiting* a, const Waiting* b) { return a->end.step.stepId < b->end.step.stepId; });
    std::vector<long long> ids;
    std::vector<int> attempts, delays;
    std::vector<std::string> hosts, states, outcomes, details;
    for (const Waiting* w : byStep) {
        const StepEnd& e = w->end;
        ids.push_back(e.step.stepId);
        hosts.push_back(e.step.leasedBy);
        attempts.push_back(e.step.attempts);
        states.push_back(e.state);
        outcomes.push_back(e.outcome);
        details.push_back(e.detailJson.empty() ? "{}" : e.detailJson);
        delays.push_back(e.delaySeconds);
    }
    try {
        std::set<long long> stored = pool_.transaction([&](PgConnection& c) {
            std::set<long long> ended;
            for (const auto& row : c.query(hotpath::kEndSteps, {arrayLiteral(ids), textArrayLiteral(hosts), arrayLiteral(attempts),
                                                                 textArrayLiteral(states), textArrayLiteral(outcomes),
                                                                 textArrayLiteral(details), arrayLiteral(delays)}))
                ended.insert(std::stoll(*row[0]));
            std::set<long long> recoveries;
            for (const Waiting* w : byStep)
                if (ended.count(w->end.step.stepId) && (w->end.state == "done" || w->end.state == "failed"))
                    recoveries.insert(w->end.step.recoveryId);
            if (!recoveries.empty())
                c.query(hotpath::kExhaustRecoveries, {arrayLiteral(std::vector<long long>(recoveries.begin(), recoveries.end()))});
            return ended;
        });
        for (Waiting* w : batch) w->stored.set_value(stored.count(w->end.step.stepId) > 0);
    } catch (...) {
        for (Waiting* w : batch) w->stored.set_exception(std::current_exception());
    }
}

bool StepStore::complete(const StepWork& step, const std::string& outcome, const std::string& detailJson) {
    return end({step, "done", outcome, detailJson, 0});
}

bool StepStore::fail(const StepWork& step, const std::string& detailJson) {
    return end({step, "failed", "failed", detailJson, 0});
}

bool StepStore::retryLater(const StepWork& step, int delaySeconds, const std::string& detailJson) {
    return end({step, "pending", "retry_scheduled", detailJson, delaySeconds});
}

bool StepStore::cancel(const StepWork& step) { return end({step, "cancelled", "", "{}", 0}); }

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

// A message's end, written together with the ends other steps reach meanwhile (group commit:
// the first caller writes the queue until it is empty, the others wait for its answer).
const char* const hotpath::kFinishNotifications =
    "UPDATE notifications n SET status = f.status, provider_message_id = COALESCE(f.provider_message_id, n.provider_message_id),"
    "  error = f.error, updated_at = now()"
    " FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS f(id, status, provider_message_id, error)"
    " WHERE n.id = f.id";

void NotificationStore::finish(long long notificationId, const std::string& status,
                               const std::optional<std::string>& providerMessageId, const std::optional<std::string>& error) {
    Finishing me{notificationId, status, providerMessageId, error, {}};
    auto done = me.written.get_future();
    finishes_.submit(me, [this](const std::vector<Finishing*>& batch) { writeFinishes(batch); });
    done.get();
}

void NotificationStore::writeFinishes(std::vector<Finishing*> batch) {
    std::sort(batch.begin(), batch.end(), [](const Finishing* a, const Finishing* b) { return a->id < b->id; });
    std::vector<long long> ids;
    std::vector<std::optional<std::string>> statuses, messageIds, errors;
    for (const Finishing* f : batch) {
        ids.push_back(f->id);
        statuses.push_back(f->status);
        messageIds.push_back(f->providerMessageId);
        errors.push_back(f->error);
    }
    try {
        pool_.with([&](PgConnection& c) {
            c.query(hotpath::kFinishNotifications,
                    {arrayLiteral(ids), textArrayLiteral(statuses), textArrayLiteral(messageIds), textArrayLiteral(errors)});
        });
        for (Finishing* f : batch) f->written.set_value();
    } catch (...) {
        for (Finishing* f : batch) f->written.set_exception(std::current_exception());
    }
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
