#include "store/PolicyStore.h"

#include "timing/TimingJson.h"
#include "util/Log.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace tinko::store {

namespace {
const char* kColumns =
    "id::text, name, max_retries::text, initial_delay_seconds::text, backoff_multiplier::text, max_delay_seconds::text,"
    " channels::text, retry_charge::text, link_ttl_seconds::text, is_active::text, max_step_attempts::text,"
    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), timing::text";

std::string channelsJson(const std::vector<std::string>& channels) {
    std::string out = "[";
    for (std::size_t i = 0; i < channels.size(); ++i) out += (i ? "," : "") + log::jsonQuote(channels[i]);
    return out + "]";
}

StoredPolicy fromRow(const PgConnection::Row& r) {
    StoredPolicy s;
    s.id = std::stoll(*r[0]);
    s.policy.name = *r[1];
    s.policy.maxRetries = std::stoi(*r[2]);
    s.policy.initialDelaySeconds = std::stoll(*r[3]);
    s.policy.backoffMultiplier = std::stod(*r[4]);
    s.policy.maxDelaySeconds = std::stoll(*r[5]);
    Poco::JSON::Parser parser;
    s.policy.channels.clear();
    for (const auto& c : *parser.parse(*r[6]).extract<Poco::JSON::Array::Ptr>()) s.policy.channels.push_back(c.toString());
    s.policy.retryCharge = *r[7] == "true";
    s.policy.linkTtlSeconds = std::stoll(*r[8]);
    s.active = *r[9] == "true";
    s.policy.maxStepAttempts = std::stoi(*r[10]);
    s.createdAt = *r[11];
    s.updatedAt = *r[12];
    timing::readTiming(*Poco::JSON::Parser().parse(*r[13]).extract<Poco::JSON::Object::Ptr>(), s.policy.timing);   // written valid by the API
    return s;
}

std::vector<std::string> params(long long orgId, const recovery::RetryPolicy& p, bool active) {
    std::ostringstream multiplier;
    multiplier.precision(17);
    multiplier << p.backoffMultiplier;
    return {std::to_string(orgId), p.name, std::to_string(p.maxRetries), std::to_string(p.initialDelaySeconds),
            multiplier.str(), std::to_string(p.maxDelaySeconds), channelsJson(p.channels),
            p.retryCharge ? "true" : "false", std::to_string(p.linkTtlSeconds), active ? "true" : "false",
            std::to_string(p.maxStepAttempts), "{" + timing::timingJsonFields(p.timing) + "}"};
}
}  // namespace

std::string policyJson(const StoredPolicy& s) {
    std::ostringstream out;
    out.precision(17);
    out << "{\"id\":" << (s.id ? std::to_string(s.id) : "null") << ",\"name\":" << log::jsonQuote(s.policy.name)
        << ",\"max_retries\":" << s.policy.maxRetries << ",\"initial_delay_seconds\":" << s.policy.initialDelaySeconds
        << ",\"backoff_multiplier\":" << s.policy.backoffMultiplier << ",\"max_delay_seconds\":" << s.policy.maxDelaySeconds
        << ",\"channels\":" << channelsJson(s.policy.channels) << ",\"retry_charge\":" << (s.policy.retryCharge ? "true" : "false")
         << ",\"link_ttl_seconds\":" << s.policy.linkTtlSeconds
        << ",\"max_step_attempts\":" << s.policy.maxStepAttempts << "," << timing::timingJsonFields(s.policy.timing)
        << ",\"is_active\":" << (s.active ? "true" : "false")
        << ",\"is_default\":" << (s.id == 0 ? "true" : "false") << "}";
    return out.str();
}

StoredPolicy PolicyStore::create(long long orgId, const recovery::RetryPolicy& policy, bool active) {
    OrgDataWrite written(cache_, orgId);
    return pool_.transaction([&](PgConnection& c) {
        if (active) c.query("UPDATE retry_policies SET is_active = false, updated_at = now() WHERE org_id = $1::bigint AND is_active",
                            {std::to_string(orgId)});
        auto rows = c.query(std::string("INSERT INTO retry_policies (org_id, name, max_retries, initial_delay_seconds,"
                                        " backoff_multiplier, max_delay_seconds, channels, retry_charge, link_ttl_seconds, is_active, max_step_attempts, timing)"
                                        " VALUES ($1::bigint, $2, $3::int, $4::bigint, $5::float8, $6::bigint, $7::jsonb,"
                                        " $8::boolean, $9::bigint, $10::boolean, $11::int, $12::jsonb) RETURNING ") + kColumns,
                            params(orgId, policy, active));
        return fromRow(rows.at(0));
    });
}

std::vector<StoredPolicy> PolicyStore::list(long long orgId, long long afterId, int limit) {
    return pool_.with([&](PgConnection& c) {
        std::vector<StoredPolicy> out;
        for (const auto& r : c.query(std::string("SELECT ") + kColumns +
                                     " FROM retry_policies WHERE org_id = $1::bigint AND deleted_at IS NULL AND id > $2::bigint"
                                     " ORDER BY retry_policies.id LIMIT $3::int",   // not the text column "id"
                                     {std::to_string(orgId), std::to_string(afterId), std::to_string(limit)}))
            out.push_back(fromRow(r));
        return out;
    });
}

std::optional<StoredPolicy> PolicyStore::find(long long orgId, long long id) {
    return readThrough<std::optional<StoredPolicy>>(cache_, orgId, "policy:" + std::to_string(id),
                                                    [&] { return loadFind(orgId, id); });
}

std::optional<StoredPolicy> PolicyStore::loadFind(long long orgId, long long id) {
    return pool_.with([&](PgConnection& c) -> std::optional<StoredPolicy> {
        auto rows = c.query(std::string("SELECT ") + kColumns +
                                " FROM retry_policies WHERE org_id = $1::bigint AND id = $2::bigint AND deleted_at IS NULL",
                            {std::to_string(orgId), std::to_string(id)});
        if (rows.empty()) return std::nullopt;
        return fromRow(rows[0]);
    });
}

std::optional<StoredPolicy> PolicyStore::replace(long long orgId, long long id, const recovery::RetryPolicy& policy, bool active) {
    OrgDataWrite written(cache_, orgId);
    return pool_.transaction([&](PgConnection& c) -> std::optional<StoredPolicy> {
        if (active)
            c.query("UPDATE retry_policies SET is_active = false, updated_at = now()"
                    " WHERE org_id = $1::bigint AND is_active AND id <> $2::bigint",
                    {std::to_string(orgId), std::to_string(id)});
        auto p = params(orgId, policy, active);
        p.push_back(std::to_string(id));
        auto rows = c.query(std::string("UPDATE retry_policies SET name = $2, max_retries = $3::int,"
                                        " initial_delay_seconds = $4::bigint, backoff_multiplier = $5::float8,"
                                        " max_delay_seconds = $6::bigint, channels = $7::jsonb, retry_charge = $8::boolean,"
                                        " link_ttl_seconds = $9::bigint, is_active = $10::boolean, max_step_attempts = $11::int,"
                                        " timing = $12::jsonb, updated_at = now() WHERE org_id = $1::bigint AND id = $13::bigint AND deleted_at IS NULL RETURNING ") + kColumns,
                            p);
        if (rows.empty()) return std::nullopt;
        return fromRow(rows[0]);
    });
}

bool PolicyStore::deactivate(long long orgId, long long id) {
    OrgDataWrite written(cache_, orgId);
    return pool_.with([&](PgConnection& c) {
        return !c.query("UPDATE retry_policies SET is_active = false, deleted_at = now(), updated_at = now()"
                        " WHERE org_id = $1::bigint AND id = $2::bigint AND deleted_at IS NULL RETURNING id",
                        {std::to_string(orgId), std::to_string(id)}).empty();
    });
}

StoredPolicy PolicyStore::active(long long orgId) {
    return readThrough<StoredPolicy>(cache_, orgId, "policy:active", [&] { return loadActive(orgId); });
}

StoredPolicy PolicyStore::loadActive(long long orgId) {
    return pool_.with([&](PgConnection& c) {
        auto rows = c.query(std::string("SELECT ") + kColumns + " FROM retry_policies WHERE org_id = $1::bigint AND is_active",
                            {std::to_string(orgId)});
        if (!rows.empty()) return fromRow(rows[0]);
        StoredPolicy fallback;
        fallback.policy = recovery::defaultRetryPolicy();
        fallback.active = true;
        return fallback;
    });
}

}  // namespace tinko::store
