#include "store/CardRetryStore.h"

#include "store/HotPathSql.h"

namespace tinko::store {

// The card's rows (its network's, else '*'), each judged on the card's attempts in its window:
// `attempts` rules count every attempt in the window; `stop_advice` rules count the attempts
// after the latest MAC 03/21 answer in the window (and apply only when there is one). Reads the
// card's attempts once, through card_charge_attempts_card (org, card, time).
const char* const hotpath::kCardLimitRefusal =
    "WITH lim AS ("
    "  SELECT * FROM card_retry_limits WHERE network = CASE WHEN EXISTS"
    "    (SELECT 1 FROM card_retry_limits WHERE network = $3) THEN $3 ELSE '*' END),"
    " a AS ("
    "  SELECT at, stop_advice FROM card_charge_attempts WHERE org_id = $1::bigint AND card_key = $2"
    "    AND at > now() - make_interval(secs => (SELECT max(window_seconds) FROM lim)::double precision)),"
    " judged AS ("
    "  SELECT l.network, l.rule, l.max_attempts, l.window_seconds, l.source, l.counts,"
    "    (SELECT max(at) FROM a WHERE a.stop_advice AND a.at > now() - make_interval(secs => l.window_seconds::double precision)) AS stopped_at,"
    "    (SELECT count(*) FROM a WHERE a.at > now() - make_interval(secs => l.window_seconds::double precision)) AS in_window"
    "  FROM lim l)"
    " SELECT network, rule, max_attempts::text, window_seconds::text, source,"
    "   CASE WHEN counts = 'attempts' THEN in_window ELSE (SELECT count(*) FROM a WHERE a.at > stopped_at) END::text"
    " FROM judged"
    " WHERE (counts = 'attempts' AND in_window >= max_attempts)"
    "    OR (counts = 'stop_advice' AND stopped_at IS NOT NULL"
    "        AND (SELECT count(*) FROM a WHERE a.at > stopped_at) >= max_attempts)"
    " ORDER BY counts = 'stop_advice' DESC, window_seconds, rule LIMIT 1";

namespace {
const char* kLimitColumns =
    "network, rule, counts, max_attempts::text, window_seconds::text, default_max_attempts::text,"
    " default_window_seconds::text, source, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

CardRetryLimit limitOf(const PgConnection::Row& r) {
    return {*r[0], *r[1], *r[2], std::stoi(*r[3]), std::stoll(*r[4]), std::stoi(*r[5]), std::stoll(*r[6]), *r[7], *r[8]};
}
}  // namespace

std::vector<CardRetryLimit> CardRetryStore::limits() {
    return pool_.with([&](PgConnection& c) {
        std::vector<CardRetryLimit> out;
        for (const auto& r : c.query(std::string("SELECT ") + kLimitColumns + " FROM card_retry_limits ORDER BY network = '*', network, rule"))
            out.push_back(limitOf(r));
        return out;
    });
}

std::optional<CardRetryLimit> CardRetryStore::limit(const std::string& network, const std::string& rule) {
    return pool_.with([&](PgConnection& c) -> std::optional<CardRetryLimit> {
        auto rows = c.query(std::string("SELECT ") + kLimitColumns + " FROM card_retry_limits WHERE network = $1 AND rule = $2",
                            {network, rule});
        if (rows.empty()) return std::nullopt;
        return limitOf(rows[0]);
    });
}

bool CardRetryStore::tighten(const std::string& network, const std::string& rule, int maxAttempts, long long windowSeconds,
                             const std::string& actor) {
    return pool_.with([&](PgConnection& c) {
        // The guard repeats the table's CHECK so a loosening writes nothing (and no audit row).
        auto rows = c.query(
            "WITH changed AS ("
            "  UPDATE card_retry_limits SET max_attempts = $3::int, window_seconds = $4::bigint, updated_at = now()"
            "  WHERE network = $1 AND rule = $2 AND $3::int <= default_max_attempts AND $3::int >= 0"
            "    AND $4::bigint >= default_window_seconds"
            "  RETURNING network, rule, max_attempts, window_seconds),"
            " audited AS ("
            "  INSERT INTO audit_log (org_id, actor, action, subject, details)"
            "  SELECT NULL, $5, 'card_retry_limit.tightened', 'card_retry_limit:' || network || '/' || rule,"
            "    jsonb_build_object('max_attempts', max_attempts, 'window_seconds', window_seconds) FROM changed)"
            " SELECT 1 FROM changed",
            {network, rule, std::to_string(maxAttempts), std::to_string(windowSeconds), actor});
        return !rows.empty();
    });
}

std::optional<CardLimitRefusal> CardRetryStore::refusal(long long orgId, const std::string& cardKey,
                                                        const std::optional<std::string>& cardNetwork) {
    return pool_.with([&](PgConnection& c) -> std::optional<CardLimitRefusal> {
        auto rows = c.query(hotpath::kCardLimitRefusal,
            {std::to_string(orgId), cardKey, cardNetwork.value_or("")});
        if (rows.empty()) return std::nullopt;
        const auto& r = rows[0];
        return CardLimitRefusal{*r[0], *r[1], std::stoi(*r[2]), std::stoll(*r[3]), std::stoll(*r[5]), *r[4]};
    });
}

void CardRetryStore::recordAttempt(long long orgId, const std::string& cardKey, const std::optional<std::string>& cardNetwork,
                                   bool stopAdvice) {
    pool_.with([&](PgConnection& c) {
        c.queryNullable("INSERT INTO card_charge_attempts (org_id, card_key, card_network, source, stop_advice)"
                        " VALUES ($1::bigint, $2, $3, 'charge_retry', $4::boolean)",
                        {std::to_string(orgId), cardKey, cardNetwork, std::string(stopAdvice ? "true" : "false")});
    });
}

void CardRetryStore::adviseLaterSteps(long long recoveryId, int sequence, const std::string& adviceJson, bool stop,
                                      long long delaySeconds) {
    const std::string recovery = std::to_string(recoveryId), after = std::to_string(sequence);
    pool_.transaction([&](PgConnection& c) {
        c.query("UPDATE recoveries SET charge_advice = $2::jsonb WHERE id = $1::bigint", {recovery, adviceJson});
        if (stop) {
            c.query("UPDATE recovery_steps SET retry_charge = false"
                    " WHERE recovery_id = $1::bigint AND state = 'pending' AND sequence > $2::int AND retry_charge",
                    {recovery, after});
        } else {
            c.query(
                "WITH p AS (SELECT now() + make_interval(secs => $3::double precision) AS nb),"
                " q AS (SELECT p.nb,"
                "   EXISTS (SELECT 1 FROM recovery_steps WHERE recovery_id = $1::bigint AND state = 'pending'"
                "           AND sequence > $2::int AND retry_charge AND due_at >= p.nb) AS any_after,"
                "   (SELECT max(sequence) FROM recovery_steps WHERE recovery_id = $1::bigint AND state = 'pending'"
                "           AND sequence > $2::int) AS last_seq FROM p)"
                " UPDATE recovery_steps s SET"
                "   retry_charge = s.retry_charge AND (s.due_at >= q.nb OR (NOT q.any_after AND s.sequence = q.last_seq)),"
                "   due_at = CASE WHEN s.retry_charge AND NOT q.any_after AND s.sequence = q.last_seq AND s.due_at < q.nb"
                "            THEN q.nb ELSE s.due_at END"
                " FROM q WHERE s.recovery_id = $1::bigint AND s.state = 'pending' AND s.sequence > $2::int",
                {recovery, after, std::to_string(delaySeconds)});
        }
        // Steps left with neither a charge nor a message have nothing to do.
        c.query("UPDATE recovery_steps SET state = 'cancelled', outcome_detail = jsonb_build_object('advice', $2::jsonb)"
                " WHERE recovery_id = $1::bigint AND state = 'pending' AND NOT retry_charge AND channel IS NULL",
                {recovery, adviceJson});
        return 0;
    });
}

}  // namespace tinko::store
