#include "store/WebhookDeliveryStore.h"

#include "store/MerchantEventStore.h"
#include "store/SqlArrays.h"
#include "util/Log.h"

#include <algorithm>
#include <map>

namespace tinko::store {

namespace {

// Due, unleased (or lease run out), of an enabled endpoint, and the first pending one of its
// endpoint and recovery; earliest due first. Written so the plan walks webhook_deliveries_due in
// order and stops at the limit: the two checks are per-row subplans (OFFSET 0 keeps the planner
// from turning NOT EXISTS into an anti-join over every pending delivery, which cost 30-70 ms a
// claim with 20,000 pending; this way 0.4 ms). The n-th claimed is leased until its attempt must
// have ended (see claimDue).
const std::string kClaimDueDeliveries = std::string(
    "WITH due AS ("
    "  SELECT d.id, d.next_attempt_at FROM webhook_deliveries d"
    "   WHERE d.state = 'pending' AND d.next_attempt_at <= now()"
    "     AND (d.lease_until IS NULL OR d.lease_until < now())"
    "     AND NOT (SELECT w.disabled FROM webhook_endpoints w WHERE w.id = d.endpoint_id)"
    "     AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.endpoint_id = d.endpoint_id"
    "                        AND e.recovery_id = d.recovery_id AND e.state = 'pending' AND e.seq < d.seq OFFSET 0)"
    "   ORDER BY d.next_attempt_at LIMIT $2::int"
    "   FOR UPDATE OF d SKIP LOCKED"
    "), numbered AS ("
    "  SELECT id, row_number() OVER (ORDER BY next_attempt_at, id) AS n FROM due"
    "), claimed AS ("
    "  UPDATE webhook_deliveries d SET leased_by = $1,"
    "         lease_until = now() + make_interval(secs => ((ceil(n.n / $4::numeric) + 1) * $3::int + 5000) / 1000.0)"
    "    FROM numbered n WHERE d.id = n.id"
    "  RETURNING d.id, d.endpoint_id, d.event_id, d.attempts, n.n"
    ")"
    " SELECT c.id::text, c.endpoint_id::text, w.org_id::text, w.url, w.sealed_secret,"
    "        CASE WHEN w.previous_secret_expires_at > now() THEN w.sealed_previous_secret END,"
    "        c.attempts::text, ") + events::kStoredEventColumns +
    "   FROM claimed c JOIN webhook_endpoints w ON w.id = c.endpoint_id JOIN merchant_events e ON e.id = c.event_id"
    "  ORDER BY c.n";

// Many attempts' results in one statement. Each names its claim: a result whose lease ran out
// and passed to another claimant records nothing. Then each endpoint's run of failures: a success
// ends it, the first failure starts it; a 410, or a failure after three days of failures,
// disables the endpoint (only a change is written: the common case touches no endpoint row).
const char* const kRecordResults =
    "WITH r AS ("
    "  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::bigint[])"
    "    AS r(id, claim, outcome, status_code, error, duration_ms, delay_ms)"
    "), updated AS ("
    "  UPDATE webhook_deliveries d SET"
    "     state = CASE r.outcome WHEN 'delivered' THEN 'delivered' WHEN 'retry' THEN 'pending' ELSE 'failed' END,"
    "     attempts = d.attempts + 1,"
    "     next_attempt_at = CASE WHEN r.outcome = 'retry'"
    "                       THEN now() + make_interval(secs => r.delay_ms / 1000.0) ELSE d.next_attempt_at END,"
    "     last_status = r.status_code, last_error = r.error,"
    "     delivered_at = CASE WHEN r.outcome = 'delivered' THEN now() END,"
    "     leased_by = NULL, lease_until = NULL"
    "    FROM r WHERE d.id = r.id AND d.leased_by = r.claim AND d.state = 'pending'"
    "  RETURNING d.id, d.endpoint_id, r.outcome, r.status_code, r.error, r.duration_ms"
    "), attempts AS ("
    "  INSERT INTO webhook_delivery_attempts (delivery_id, status_code, error, duration_ms)"
    "  SELECT id, status_code, error, duration_ms FROM updated"
    "), plan AS ("
    "  SELECT w.id, bool_or(u.outcome = 'delivered') AS ok, bool_or(u.outcome = 'gone') AS gone,"
    "         bool_or(u.outcome = 'gone') AND NOT w.disabled"
    "         OR NOT bool_or(u.outcome = 'delivered') AND NOT w.disabled"
    "            AND coalesce(w.failing_since < now() - interval '3 days', false) AS disable"
    "    FROM updated u JOIN webhook_endpoints w ON w.id = u.endpoint_id"
    "   GROUP BY w.id, w.disabled, w.failing_since"
    "), endpoints AS ("
    "  UPDATE webhook_endpoints w SET"
    "     failing_since = CASE WHEN p.ok THEN NULL ELSE coalesce(w.failing_since, now()) END,"
    "     disabled = w.disabled OR p.disable,"
    "     disabled_reason = CASE WHEN NOT p.disable THEN w.disabled_reason"
    "                            WHEN p.gone THEN 'the endpoint answered 410 Gone'"
    "                            ELSE 'every delivery attempt failed for three days' END,"
    "     disabled_at = CASE WHEN p.disable THEN now() ELSE w.disabled_at END,"
    "     updated_at = CASE WHEN p.disable THEN now() ELSE w.updated_at END"
    "    FROM plan p"
    "   WHERE w.id = p.id AND (p.disable OR (p.ok AND w.failing_since IS NOT NULL) OR (NOT p.ok AND w.failing_since IS NULL))"
    ")"
    " SELECT u.id::text, coalesce(p.disable, false)::text FROM updated u LEFT JOIN plan p ON p.id = u.endpoint_id";

std::optional<std::string> nullableText(const std::optional<int>& v) {
    return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}

}  // namespace

std::vector<ClaimedDelivery> WebhookDeliveryStore::claimDue(const std::string& claimName, int most, int senders,
                                                            int attemptDeadlineMs) {
    if (most <= 0) return {};
    auto rows = pool_.with([&](PgConnection& c) {
        return c.query(kClaimDueDeliveries,
                       {claimName, std::to_string(most), std::to_string(attemptDeadlineMs), std::to_string(std::max(senders, 1))});
    });
    std::vector<ClaimedDelivery> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        ClaimedDelivery d;
        d.id = std::stoll(*row[0]);
        d.claim = claimName;
        d.endpointId = std::stoll(*row[1]);
        d.orgId = std::stoll(*row[2]);
        d.url = *row[3];
        d.sealedSecret = *row[4];
        d.sealedPreviousSecret = row[5];
        d.attempts = std::stoi(*row[6]);
        d.event = readStoredEvent(row, 7);
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<RecordedResult> WebhookDeliveryStore::record(const std::vector<DeliveryResult>& results) {
    // One lock order for every writer.
    std::vector<const DeliveryResult*> byId;
    for (const auto& r : results) byId.push_back(&r);
    std::sort(byId.begin(), byId.end(), [](const DeliveryResult* a, const DeliveryResult* b) { return a->deliveryId < b->deliveryId; });
    std::vector<long long> ids, delays;
    std::vector<int> durations;
    std::vector<std::string> claims, outcomes;
    std::vector<std::optional<std::string>> statuses, errors;
    for (const DeliveryResult* r : byId) {
        ids.push_back(r->deliveryId);
        claims.push_back(r->claim);
        outcomes.push_back(r->outcome);
        statuses.push_back(nullableText(r->statusCode));
        errors.push_back(r->error);
        durations.push_back(r->durationMs);
        delays.push_back(r->delayMs);
    }
    auto rows = pool_.with([&](PgConnection& c) {
        return c.query(kRecordResults, {arrayLiteral(ids), textArrayLiteral(claims), textArrayLiteral(outcomes),
                                        textArrayLiteral(statuses), textArrayLiteral(errors), arrayLiteral(durations),
                                        arrayLiteral(delays)});
    });
    std::map<long long, RecordedResult> recorded;
    for (const auto& row : rows) recorded[std::stoll(*row[0])] = {true, *row[1] == "true"};
    std::vector<RecordedResult> out;
    out.reserve(results.size());
    for (const auto& r : results) out.push_back(recorded.count(r.deliveryId) ? recorded[r.deliveryId] : RecordedResult{});
    return out;
}

}  // namespace tinko::store
