#include "store/RuleStore.h"

#include "recovery/RuleJson.h"

#include <Poco/JSON/Parser.h>

namespace tinko::store {

namespace {
const char* kColumns = "id::text, priority::text, conditions::text, actions::text";

recovery::Rule fromRow(const PgConnection::Row& r) {
    Poco::JSON::Parser parser;
    Poco::JSON::Object body;
    body.set("priority", std::stoi(*r[1]));
    body.set("when", parser.parse(*r[2]));
    parser.reset();
    body.set("then", parser.parse(*r[3]));
    recovery::Rule rule = recovery::ruleFromJson(body).rule;   // stored rules were checked when saved
    rule.id = std::stoll(*r[0]);
    return rule;
}
}  // namespace

std::vector<recovery::Rule> RuleStore::list(long long orgId) {
    return readThrough<std::vector<recovery::Rule>>(cache_, orgId, "rules", [&] { return loadList(orgId); });
}

std::vector<recovery::Rule> RuleStore::loadList(long long orgId) {
    return pool_.with([&](PgConnection& c) {
        std::vector<recovery::Rule> rules;
        for (const auto& r : c.query(std::string("SELECT ") + kColumns +
                                         " FROM recovery_rules WHERE org_id = $1::bigint"
                                         // qualified: "priority" and "id" alone are the text columns above
                                         " ORDER BY recovery_rules.priority, recovery_rules.id",
                                     {std::to_string(orgId)}))
            rules.push_back(fromRow(r));
        return rules;
    });
}

std::vector<recovery::Rule> RuleStore::page(long long orgId, std::optional<long long> afterPriority, long long afterId,
                                            int limit) {
    return pool_.with([&](PgConnection& c) {
        std::vector<recovery::Rule> rules;
        for (const auto& r : c.queryNullable(std::string("SELECT ") + kColumns +
                                                 " FROM recovery_rules WHERE org_id = $1::bigint"
                                                 " AND ($2::bigint IS NULL OR (priority, id) > ($2::bigint, $3::bigint))"
                                                 " ORDER BY recovery_rules.priority, recovery_rules.id LIMIT $4::int",
                                             {std::to_string(orgId),
                                              afterPriority ? std::optional<std::string>(std::to_string(*afterPriority)) : std::nullopt,
                                              std::to_string(afterId), std::to_string(limit)}))
            rules.push_back(fromRow(r));
        return rules;
    });
}

std::optional<recovery::Rule> RuleStore::find(long long orgId, long long id) {
    return pool_.with([&](PgConnection& c) -> std::optional<recovery::Rule> {
        auto rows = c.query(std::string("SELECT ") + kColumns + " FROM recovery_rules WHERE org_id = $1::bigint AND id = $2::bigint",
                            {std::to_string(orgId), std::to_string(id)});
        if (rows.empty()) return std::nullopt;
        return fromRow(rows[0]);
    });
}

std::optional<recovery::Rule> RuleStore::create(long long orgId, recovery::Rule rule) {
    OrgDataWrite written(cache_, orgId);
    return pool_.with([&](PgConnection& c) -> std::optional<recovery::Rule> {
        auto rows = c.query("INSERT INTO recovery_rules (org_id, priority, conditions, actions)"
                            " SELECT $1::bigint, $2::int, $3::jsonb, $4::jsonb"
                            " WHERE (SELECT count(*) FROM recovery_rules WHERE org_id = $1::bigint) < $5::int RETURNING id::text",
                            {std::to_string(orgId), std::to_string(rule.priority), recovery::conditionsJson(rule.when),
                             recovery::actionsJson(rule.then), std::to_string(kMaxRulesPerOrg)});
        if (rows.empty()) return std::nullopt;
        rule.id = std::stoll(*rows.at(0)[0]);
        return rule;
    });
}

std::optional<recovery::Rule> RuleStore::replace(long long orgId, long long id, recovery::Rule rule) {
    OrgDataWrite written(cache_, orgId);
    return pool_.with([&](PgConnection& c) -> std::optional<recovery::Rule> {
        auto rows = c.query("UPDATE recovery_rules SET priority = $3::int, conditions = $4::jsonb, actions = $5::jsonb,"
                            " updated_at = now() WHERE org_id = $1::bigint AND id = $2::bigint RETURNING id",
                            {std::to_string(orgId), std::to_string(id), std::to_string(rule.priority),
                             recovery::conditionsJson(rule.when), recovery::actionsJson(rule.then)});
        if (rows.empty()) return std::nullopt;
        rule.id = id;
        return rule;
    });
}

bool RuleStore::remove(long long orgId, long long id) {
    OrgDataWrite written(cache_, orgId);
    return pool_.with([&](PgConnection& c) {
        return !c.query("DELETE FROM recovery_rules WHERE org_id = $1::bigint AND id = $2::bigint RETURNING id",
                        {std::to_string(orgId), std::to_string(id)})
                    .empty();
    });
}

}  // namespace tinko::store
