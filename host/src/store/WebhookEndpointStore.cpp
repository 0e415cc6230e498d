#include "store/WebhookEndpointStore.h"

#include "store/SqlArrays.h"

namespace tinko::store {

namespace {
std::string utc(const std::string& column) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

const std::string kColumns = "id::text, org_id::text, url, array_to_string(events, ','), description, disabled::text,"
                             " disabled_reason, " + utc("disabled_at") + ", " +
                             utc("CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END") +
                             ", " + utc("created_at") + ", " + utc("updated_at");

std::vector<std::string> splitEvents(const std::string& text) {
    std::vector<std::string> out;   // the types hold no commas (api/WebhookEndpointInput checks them)
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

WebhookEndpoint fromRow(const PgConnection::Row& r) {
    WebhookEndpoint e;
    e.id = std::stoll(*r[0]);
    e.orgId = std::stoll(*r[1]);
    e.url = *r[2];
    e.events = splitEvents(*r[3]);
    e.description = r[4];
    e.disabled = *r[5] == "true";
    e.disabledReason = r[6];
    e.disabledAt = r[7];
    e.previousSecretExpiresAt = r[8];
    e.createdAt = *r[9];
    e.updatedAt = *r[10];
    return e;
}

// A delivery as the API shows it: the event, its state, the attempts (the latest 25, oldest
// first; `attempt_count` counts them all), and the next attempt while one is due.
std::string deliveryJson(bool withEndpointUrl) {
    return "json_build_object('id', d.id, 'endpoint_id', d.endpoint_id," +
           std::string(withEndpointUrl ? " 'endpoint_url', w.url," : "") +
           " 'event_id', 'evt_' || d.event_id, 'event_type', e.type, 'state', d.state,"
           " 'attempt_count', d.attempts, 'last_status', d.last_status, 'last_error', d.last_error,"
           " 'attempts', coalesce((SELECT json_agg(json_build_object('attempted_at', " + utc("a.attempted_at") + ","
           "   'status_code', a.status_code, 'error', a.error, 'duration_ms', a.duration_ms) ORDER BY a.id)"
           "   FROM (SELECT * FROM webhook_delivery_attempts WHERE delivery_id = d.id ORDER BY id DESC LIMIT 25) a), '[]'::json),"
           " 'next_attempt_at', CASE WHEN d.state = 'pending' THEN " + utc("d.next_attempt_at") + " END,"
           " 'delivered_at', " + utc("d.delivered_at") + ", 'created_at', " + utc("d.created_at") + ")";
}

// What the org did, for the audit log (the endpoint's id as subject; never a secret).
std::string audited(const std::string& action) {
    return " a AS (INSERT INTO audit_log (org_id, actor, action, subject)"
           " SELECT org_id, 'org', '" + action + "', 'webhook_endpoint:' || id FROM changed)";
}

JsonPage pageOf(const std::vector<PgConnection::Row>& rows) {
    return JsonPage{*rows.at(0)[0], std::stoul(*rows.at(0)[1]), std::stoll(*rows.at(0)[2])};
}
}  // namespace

WebhookEndpointStore::Created WebhookEndpointStore::create(long long orgId, const std::string& url,
                                                           const std::vector<std::string>& events,
                                                           const std::optional<std::string>& description,
                                                           const std::string& sealedSecret, int maxPerOrg) {
    return pool_.transaction([&](PgConnection& c) {
        // Serialises the org's creations, so the count below is the one the insert adds to.
        c.query("SELECT id FROM orgs WHERE id = $1::bigint FOR NO KEY UPDATE", {std::to_string(orgId)});
        auto rows = c.queryNullable(
            "WITH changed AS (INSERT INTO webhook_endpoints (org_id, url, events, description, sealed_secret)"
            "   SELECT $1::bigint, $2, $3::text[], $4, $5"
            "   WHERE (SELECT count(*) FROM webhook_endpoints WHERE org_id = $1::bigint) < $6::int RETURNING *)," +
                audited("webhook_endpoint.created") + " SELECT " + kColumns + " FROM changed",
            {std::to_string(orgId), url, textArrayLiteral(events), description, sealedSecret, std::to_string(maxPerOrg)});
        return Created{rows.empty() ? std::nullopt : std::optional<WebhookEndpoint>(fromRow(rows[0]))};
    });
}

std::vector<WebhookEndpoint> WebhookEndpointStore::list(long long orgId, long long afterId, int limit) {
    return pool_.with([&](PgConnection& c) {
        std::vector<WebhookEndpoint> out;
        for (const auto& r : c.query("SELECT " + kColumns + " FROM webhook_endpoints WHERE org_id = $1::bigint"
                                     " AND webhook_endpoints.id > $2::bigint ORDER BY webhook_endpoints.id LIMIT $3::int",
                                     {std::to_string(orgId), std::to_string(afterId), std::to_string(limit)}))
            out.push_back(fromRow(r));
        return out;
    });
}

std::optional<WebhookEndpoint> WebhookEndpointStore::find(long long orgId, long long id) {
    return pool_.with([&](PgConnection& c) -> std::optional<WebhookEndpoint> {
        auto rows = c.query("SELECT " + kColumns + " FROM webhook_endpoints WHERE webhook_endpoints.id = $1::bigint"
                            " AND org_id = $2::bigint",
                            {std::to_string(id), std::to_string(orgId)});
        if (rows.empty()) return std::nullopt;
        return fromRow(rows[0]);
    });
}

std::optional<WebhookEndpoint> WebhookEndpointStore::update(long long orgId, long long id, const WebhookEndpointUpdate& change) {
    const std::optional<std::string> disabled =
        change.disabled ? std::optional<std::string>(*change.disabled ? "true" : "false") : std::nullopt;
    return pool_.with([&](PgConnection& c) -> std::optional<WebhookEndpoint> {
        // A change of `disabled` by a person: disabling records when (no reason: Tinko did not do
        // it), enabling clears both; the same value again changes nothing.
        auto rows = c.queryNullable(
            "WITH changed AS (UPDATE webhook_endpoints SET url = coalesce($3, url), events = coalesce($4::text[], events),"
            " description = CASE WHEN $5::boolean THEN $6 ELSE description END,"
            " disabled_reason = CASE WHEN $7::boolean IS NULL OR $7::boolean = disabled THEN disabled_reason END,"
            " disabled_at = CASE WHEN $7::boolean IS NULL OR $7::boolean = disabled THEN disabled_at"
            "                    WHEN $7::boolean THEN now() END,"
            " disabled = coalesce($7::boolean, disabled), updated_at = now()"
            " WHERE id = $1::bigint AND org_id = $2::bigint RETURNING *)," +
                audited("webhook_endpoint.updated") + " SELECT " + kColumns + " FROM changed",
            {std::to_string(id), std::to_string(orgId), change.url,
             change.events ? std::optional<std::string>(textArrayLiteral(*change.events)) : std::nullopt,
             change.descriptionGiven ? "true" : "false", change.description, disabled});
        if (rows.empty()) return std::nullopt;
        return fromRow(rows[0]);
    });
}

bool WebhookEndpointStore::remove(long long orgId, long long id) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("WITH changed AS (DELETE FROM webhook_endpoints WHERE id = $1::bigint AND org_id = $2::bigint"
                        " RETURNING id, org_id)," + audited("webhook_endpoint.deleted") + " SELECT id FROM changed",
                        {std::to_string(id), std::to_string(orgId)})
                    .empty();
    });
}

std::optional<std::string> WebhookEndpointStore::rotateSecret(long long orgId, long long id, const std::string& newSealedSecret) {
    return pool_.with([&](PgConnection& c) -> std::optional<std::string> {
        auto rows = c.query("WITH changed AS (UPDATE webhook_endpoints SET sealed_previous_secret = sealed_secret,"
                            " sealed_secret = $3, previous_secret_expires_at = now() + interval '24 hours', updated_at = now()"
                            " WHERE id = $1::bigint AND org_id = $2::bigint RETURNING id, org_id, previous_secret_expires_at)," +
                                audited("webhook_endpoint.secret_rotated") + " SELECT " + utc("previous_secret_expires_at") +
                                " FROM changed",
                            {std::to_string(id), std::to_string(orgId), newSealedSecret});
        if (rows.empty()) return std::nullopt;
        return *rows[0][0];
    });
}

std::optional<SealedEndpointSecrets> WebhookEndpointStore::sealedSecrets(long long orgId, long long id) {
    return pool_.with([&](PgConnection& c) -> std::optional<SealedEndpointSecrets> {
        auto rows = c.query("SELECT sealed_secret, CASE WHEN previous_secret_expires_at > now() THEN sealed_previous_secret END"
                            " FROM webhook_endpoints WHERE id = $1::bigint AND org_id = $2::bigint",
                            {std::to_string(id), std::to_string(orgId)});
        if (rows.empty()) return std::nullopt;
        return SealedEndpointSecrets{*rows[0][0], rows[0][1]};
    });
}

JsonPage WebhookEndpointStore::deliveries(long long orgId, long long endpointId, long long beforeId, int limit) {
    return pool_.with([&](PgConnection& c) {
        return pageOf(c.query(
            "SELECT coalesce(json_agg(" + deliveryJson(false) + " ORDER BY d.id DESC), '[]')::text, count(*)::text,"
            " coalesce(min(d.id), 0)::text"
            " FROM (SELECT * FROM webhook_deliveries WHERE endpoint_id = $2::bigint AND org_id = $1::bigint"
            "       AND ($3::bigint = 0 OR id < $3::bigint) ORDER BY id DESC LIMIT $4::int) d"
            " JOIN merchant_events e ON e.id = d.event_id",
            {std::to_string(orgId), std::to_string(endpointId), std::to_string(beforeId), std::to_string(limit)}));
    });
}

JsonPage WebhookEndpointStore::orgDeliveries(long long orgId, long long beforeId, int limit) {
    return pool_.with([&](PgConnection& c) {
        return pageOf(c.query(
            "SELECT coalesce(json_agg(" + deliveryJson(true) + " ORDER BY d.id DESC), '[]')::text, count(*)::text,"
            " coalesce(min(d.id), 0)::text"
            " FROM (SELECT * FROM webhook_deliveries WHERE org_id = $1::bigint"
            "       AND endpoint_id = ANY (ARRAY(SELECT id FROM webhook_endpoints WHERE org_id = $1::bigint))"
            "       AND ($2::bigint = 0 OR id < $2::bigint) ORDER BY id DESC LIMIT $3::int) d"
            " JOIN merchant_events e ON e.id = d.event_id JOIN webhook_endpoints w ON w.id = d.endpoint_id",
            {std::to_string(orgId), std::to_string(beforeId), std::to_string(limit)}));
    });
}

std::optional<std::string> WebhookEndpointStore::delivery(long long orgId, long long deliveryId) {
    return pool_.with([&](PgConnection& c) -> std::optional<std::string> {
        auto rows = c.query("SELECT " + deliveryJson(false) + "::text FROM webhook_deliveries d"
                            " JOIN merchant_events e ON e.id = d.event_id WHERE d.id = $1::bigint AND d.org_id = $2::bigint",
                            {std::to_string(deliveryId), std::to_string(orgId)});
        if (rows.empty()) return std::nullopt;
        return *rows[0][0];
    });
}

WebhookEndpointStore::RetryOutcome WebhookEndpointStore::retryDelivery(long long orgId, long long deliveryId) {
    return pool_.with([&](PgConnection& c) {
        // One statement: the endpoint's state is read with the row it changes.
        auto rows = c.query("WITH target AS (SELECT d.id, w.disabled FROM webhook_deliveries d"
                            "                JOIN webhook_endpoints w ON w.id = d.endpoint_id"
                            "                WHERE d.id = $1::bigint AND d.org_id = $2::bigint),"
                            " changed AS (UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now()"
                            "             WHERE id IN (SELECT id FROM target WHERE NOT disabled) RETURNING id)"
                            " SELECT disabled::text, (SELECT count(*) FROM changed)::text FROM target",
                            {std::to_string(deliveryId), std::to_string(orgId)});
        if (rows.empty()) return RetryOutcome::NotFound;
        return *rows[0][0] == "true" ? RetryOutcome::EndpointDisabled : RetryOutcome::Scheduled;
    });
}

}  // namespace tinko::store
