#include "store/RecoveryStore.h"

#include "util/Log.h"
#include "store/HotPathSql.h"

namespace tinko::store {

const char* const hotpath::kEventsByRef =
    "SELECT coalesce(json_agg(json_build_object('event_id', e.id, 'source', e.source, 'decline_code', e.decline_code,"
    "  'failure_reason', e.failure_reason, 'category', e.category, 'hardness', e.hardness,"
    "  'amount', e.amount, 'currency', e.currency,"
    "  'occurred_at', to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  'metadata', e.metadata) ORDER BY e.id), '[]')::text, count(*)::text, coalesce(max(e.id), 0)::text,"
    "  (SELECT count(*) FROM transactions t JOIN failure_events f ON f.transaction_id = t.id"
    "    WHERE t.org_id = $1::bigint AND t.ref = $2)::text"
    " FROM (SELECT f.*, t.amount, t.currency FROM transactions t JOIN failure_events f ON f.transaction_id = t.id"
    "       WHERE t.org_id = $1::bigint AND t.ref = $2 AND f.id > $3::bigint ORDER BY f.id LIMIT $4::int) e";

std::optional<JsonPage> RecoveryStore::eventsByRef(long long orgId, const std::string& ref, long long afterId, int limit) {
    return pool_.with([&](PgConnection& c) -> std::optional<JsonPage> {
        auto rows = c.query(
            hotpath::kEventsByRef,
            {std::to_string(orgId), ref, std::to_string(afterId), std::to_string(limit)});
        if (rows.empty() || *rows[0][3] == "0") return std::nullopt;
        return JsonPage{*rows[0][0], std::stoul(*rows[0][1]), std::stoll(*rows[0][2])};
    });
}

namespace {
// One recovery as merchants and ops read it: with its steps, links and notifications.
const char* const kRecoveryJson =
    "SELECT json_build_object("
    "  'id', r.id, 'transaction_ref', t.ref, 'state', r.state, 'category', r.category, 'hardness', r.hardness,"
    "  'amount', t.amount, 'currency', t.currency, 'psp', r.psp, 'policy', r.policy,"
    "  'decided_by_rule', r.decided_by_rule, 'charge_advice', r.charge_advice,"
    "  'created_at', to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  'closed_at', to_char(r.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  'recovered_by', r.recovered_by,"
    "  'new_card_at', to_char(r.new_card_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  'steps', (SELECT coalesce(json_agg(json_build_object('sequence', s.sequence, 'retry_charge', s.retry_charge,"
    "      'channel', s.channel, 'state', s.state, 'attempts', s.attempts, 'outcome', s.outcome,"
    "      'detail', s.outcome_detail,"
    "      'due_at', to_char(s.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "      'completed_at', to_char(s.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
    "      ORDER BY s.sequence), '[]') FROM recovery_steps s WHERE s.recovery_id = r.id),"
    // Each POST .../link adds a link: only the newest 50 are shown, with how many there are.
    "  'links', (SELECT coalesce(json_agg(json_build_object('id', l.id,"
    "      'expires_at', to_char(l.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "      'open_count', l.open_count, 'checkout_reference', l.checkout_reference) ORDER BY l.id), '[]')"
    "      FROM (SELECT * FROM recovery_links WHERE recovery_id = r.id ORDER BY id DESC LIMIT 50) l),"
    "  'links_total', (SELECT count(*) FROM recovery_links WHERE recovery_id = r.id),"
    "  'notifications', (SELECT coalesce(json_agg(json_build_object('id', n.id, 'channel', n.channel,"
    "      'plugin', n.plugin, 'recipient', n.recipient_masked, 'status', n.status,"
    "      'provider_message_id', n.provider_message_id, 'error', n.error) ORDER BY n.id), '[]')"
    "      FROM notifications n WHERE n.recovery_id = r.id)"
    ")::text";
}  // namespace

std::optional<std::string> RecoveryStore::recoveryByRef(long long orgId, const std::string& ref) {
    return pool_.with([&](PgConnection& c) -> std::optional<std::string> {
        auto rows = c.query(std::string(kRecoveryJson) +
                                " FROM recoveries r JOIN transactions t ON t.id = r.transaction_id"
                                " WHERE t.org_id = $1::bigint AND t.ref = $2 ORDER BY r.id DESC LIMIT 1",
                            {std::to_string(orgId), ref});
        if (rows.empty()) return std::nullopt;
        return *rows[0][0];
    });
}

std::optional<std::string> RecoveryStore::recoveryById(long long orgId, long long recoveryId) {
    return pool_.with([&](PgConnection& c) -> std::optional<std::string> {
        auto rows = c.query(std::string(kRecoveryJson) +
                                " FROM recoveries r JOIN transactions t ON t.id = r.transaction_id"
                                " WHERE r.org_id = $1::bigint AND r.id = $2::bigint",
                            {std::to_string(orgId), std::to_string(recoveryId)});
        if (rows.empty()) return std::nullopt;
        return *rows[0][0];
    });
}

JsonPage RecoveryStore::recentRecoveries(long long orgId, long long beforeId, int limit) {
    return pool_.with([&](PgConnection& c) {
        auto rows = c.query(
            "SELECT coalesce(json_agg(json_build_object('id', r.id, 'transaction_ref', t.ref, 'state', r.state,"
            "  'category', r.category, 'hardness', r.hardness, 'amount', t.amount, 'currency', t.currency, 'psp', r.psp,"
            "  'created_at', to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
            "  'closed_at', to_char(r.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
            "  ORDER BY r.id DESC), '[]')::text, count(*)::text, coalesce(min(r.id), 0)::text"
            " FROM (SELECT * FROM recoveries WHERE org_id = $1::bigint AND ($2::bigint = 0 OR id < $2::bigint)"
            "       ORDER BY id DESC LIMIT $3::int) r"
            " JOIN transactions t ON t.id = r.transaction_id",
            {std::to_string(orgId), std::to_string(beforeId), std::to_string(limit)});
        return JsonPage{*rows.at(0)[0], std::stoul(*rows.at(0)[1]), std::stoll(*rows.at(0)[2])};
    });
}

bool RecoveryStore::cancel(long long orgId, long long recoveryId) {
    return pool_.transaction([&](PgConnection& c) {
        auto changed = c.query("UPDATE recoveries SET state = 'cancelled', closed_at = now()"
                               " WHERE id = $1::bigint AND org_id = $2::bigint AND state = 'active' RETURNING id",
                               {std::to_string(recoveryId), std::to_string(orgId)});
        if (changed.empty()) return false;
        c.query("UPDATE recovery_steps SET state = 'cancelled', completed_at = now() WHERE recovery_id = $1::bigint"
                " AND state = 'pending'", {std::to_string(recoveryId)});
        c.query("INSERT INTO audit_log (org_id, actor, action, subject) VALUES ($1::bigint, 'org', 'recovery.cancelled',"
                " 'recovery:' || $2)", {std::to_string(orgId), std::to_string(recoveryId)});
        return true;
    });
}

bool RecoveryStore::retryNow(long long orgId, long long recoveryId) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("UPDATE recovery_steps SET due_at = now() WHERE id = (SELECT s.id FROM recovery_steps s"
                        " JOIN recoveries r ON r.id = s.recovery_id WHERE r.id = $1::bigint AND r.org_id = $2::bigint"
                        " AND r.state = 'active' AND s.state = 'pending' ORDER BY s.sequence LIMIT 1) RETURNING id",
                        {std::to_string(recoveryId), std::to_string(orgId)}).empty();
    });
}

bool RecoveryStore::belongsTo(long long orgId, long long recoveryId) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("SELECT 1 FROM recoveries WHERE id = $1::bigint AND org_id = $2::bigint",
                        {std::to_string(recoveryId), std::to_string(orgId)}).empty();
    });
}

std::optional<long long> RecoveryStore::markRecovered(long long orgId, const std::optional<long long>& recoveryId,
                                                      const std::optional<std::string>& transactionRef, const std::string& via) {
    return pool_.transaction([&](PgConnection& c) -> std::optional<long long> {
        auto rows = c.queryNullable(
            "UPDATE recoveries r SET state = 'recovered', closed_at = now(), recovered_amount = t.amount, recovered_via = $4"
            " FROM transactions t WHERE t.id = r.transaction_id AND r.org_id = $1::bigint AND r.state IN ('active', 'exhausted')"
            " AND (r.id = $2::bigint OR ($2 IS NULL AND t.ref = $3)) RETURNING r.id::text",
            {std::to_string(orgId), recoveryId ? std::optional<std::string>(std::to_string(*recoveryId)) : std::nullopt,
             transactionRef, via});
        if (rows.empty()) return std::nullopt;
        const std::string id = *rows[0][0];
        c.query("UPDATE recovery_steps SET state = 'cancelled', completed_at = now(), outcome = 'recovered_elsewhere'"
                " WHERE recovery_id = $1::bigint AND state IN ('pending', 'running')", {id});
        c.query("INSERT INTO audit_log (org_id, actor, action, subject, details) VALUES ($1::bigint, 'system',"
                " 'recovery.recovered', 'recovery:' || $2, jsonb_build_object('via', $3::text))",
                {std::to_string(orgId), id, via});
        return std::stoll(id);
    });
}

std::optional<std::pair<long long, std::string>> RecoveryStore::recoveryForRef(long long orgId, const std::string& ref) {
    return pool_.with([&](PgConnection& c) -> std::optional<std::pair<long long, std::string>> {
        auto rows = c.query("SELECT r.id::text, r.policy::text FROM recoveries r JOIN transactions t ON t.id = r.transaction_id"
                            " WHERE t.org_id = $1::bigint AND t.ref = $2 ORDER BY r.id DESC LIMIT 1",
                            {std::to_string(orgId), ref});
        if (rows.empty()) return std::nullopt;
        return std::make_pair(std::stoll(*rows[0][0]), *rows[0][1]);
    });
}

std::string RecoveryStore::stats(long long orgId, const std::optional<http::DateRange>& range) {
    // Without a range the bounds are +-infinity: one statement (and one prepared plan) serves both.
    // Read from the daily rollups and the deltas not folded yet (migrations/0011_analytics_rollups.sql).
    const std::string from = range ? range->from : "-infinity", to = range ? range->to : "infinity";
    return pool_.with([&](PgConnection& c) {
        // The recovery rate counts closed recoveries only: open ones have not had their chance yet,
        // and those a rule skipped were never tried.
        return *c.query(
            "WITH f AS (SELECT fact, a, b, n, amount FROM analytics_facts"
            "           WHERE org_id = $1::bigint AND fact IN ('started_category', 'started_recovered', 'event')"
            "             AND day BETWEEN $2::date AND $3::date),"
            " r AS (SELECT b AS state, sum(n) AS n FROM f WHERE fact = 'started_category' GROUP BY 1 HAVING sum(n) <> 0)"
            "SELECT json_build_object("
            "  'by_state', (SELECT coalesce(json_object_agg(state, n ORDER BY state), '{}') FROM r),"
            "  'recovery_rate', (SELECT CASE WHEN coalesce(sum(n) FILTER (WHERE state NOT IN ('active', 'skipped')), 0) = 0 THEN NULL ELSE"
            "      round(coalesce(sum(n) FILTER (WHERE state = 'recovered'), 0)"
            "            / sum(n) FILTER (WHERE state NOT IN ('active', 'skipped')), 4) END FROM r),"
            "  'recovered_amount', (SELECT coalesce(json_object_agg(a, total ORDER BY a), '{}') FROM"
            "      (SELECT a, sum(amount) AS total FROM f WHERE fact = 'started_recovered' GROUP BY 1 HAVING sum(n) <> 0) a),"
            "  'events', (SELECT coalesce(sum(n), 0) FROM f WHERE fact = 'event')"
            ")::text",
            {std::to_string(orgId), from, to}).at(0)[0];
    });
}

bool RecoveryStore::isActive(long long recoveryId) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("SELECT 1 FROM recoveries WHERE id = $1::bigint AND state = 'active'", {std::to_string(recoveryId)}).empty();
    });
}

RecoveryStore::NewCardOutcome RecoveryStore::saveNewCard(long long orgId, const std::optional<long long>& recoveryId,
                                                         const std::optional<std::string>& transactionRef, const NewCard& card) {
    return pool_.transaction([&](PgConnection& c) {
        // The recovery's row lock orders concurrent deliveries for it (two webhooks for one card).
        auto found = c.queryNullable(
            "SELECT r.id::text, r.transaction_id::text FROM recoveries r JOIN transactions t ON t.id = r.transaction_id"
            " WHERE r.org_id = $1::bigint AND r.state = 'active' AND (r.id = $2::bigint OR ($2 IS NULL AND t.ref = $3))"
            " ORDER BY r.id DESC LIMIT 1 FOR UPDATE OF r",
            {std::to_string(orgId), recoveryId ? std::optional<std::string>(std::to_string(*recoveryId)) : std::nullopt,
             transactionRef});
        if (found.empty()) return NewCardOutcome::NoActiveRecovery;
        const std::string rid = *found[0][0], tid = *found[0][1];
        if (c.query("INSERT INTO recovery_new_cards (recovery_id, payment_method) VALUES ($1::bigint, $2)"
                    " ON CONFLICT DO NOTHING RETURNING 1", {rid, card.paymentMethod}).empty())
            return NewCardOutcome::AlreadySaved;
        c.queryNullable("UPDATE transactions SET payment_method = $2, card_network = $3,"
                        " card_key = CASE WHEN $4::text IS NOT NULL THEN 'fp:' || $4 ELSE 'pm:' || $2 END WHERE id = $1::bigint",
                        {tid, card.paymentMethod, card.cardNetwork, card.fingerprint});
        // The charge goes before the steps still waiting (the scheduler runs a recovery's steps in
        // sequence order): they move one place down, through numbers no step has, as the
        // UNIQUE (recovery_id, sequence) is checked row by row.
        auto first = c.query("SELECT coalesce(min(sequence) FILTER (WHERE state = 'pending'), max(sequence) + 1, 1)::text"
                             " FROM recovery_steps WHERE recovery_id = $1::bigint", {rid});
        const std::string sequence = *first.at(0)[0];
        c.query("UPDATE recovery_steps SET sequence = sequence + 1000000 WHERE recovery_id = $1::bigint AND sequence >= $2::int",
                {rid, sequence});
        auto step = c.query("INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)"
                            " VALUES ($1::bigint, $2::bigint, $3::int, true, NULL, now(), 'pending') RETURNING id::text",
                            {rid, std::to_string(orgId), sequence});
        c.query("UPDATE recovery_steps SET sequence = sequence - 1000000 + 1 WHERE recovery_id = $1::bigint AND sequence >= 1000000",
                {rid});
        c.query("UPDATE recovery_new_cards SET step_id = $3::bigint WHERE recovery_id = $1::bigint AND payment_method = $2",
                {rid, card.paymentMethod, *step.at(0)[0]});
        // The decline advice in force was the old card's: later messages no longer ask for another
        // card, and the new card's own declines bring their own advice.
        c.query("UPDATE recoveries SET new_card_at = now(), charge_advice = NULL WHERE id = $1::bigint", {rid});
        c.query("INSERT INTO audit_log (org_id, actor, action, subject) VALUES ($1::bigint, 'system', 'recovery.new_card',"
                " 'recovery:' || $2)", {std::to_string(orgId), rid});
        return NewCardOutcome::ChargeScheduled;
    });
}

}  // namespace tinko::store
