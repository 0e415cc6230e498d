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
    return pool_.with([&](PgConnection& c) {
        std::vector<recovery::Rule> rules;
        for (const auto& r : c.query(std::string("SELECT ") + kColumns +
                                         " FROM recovery_rules WHERE org_id = $1::bigint"
                                         // Qualified: a bare name would sort by the text output column (10 before 2).
                                         " ORDER BY recovery_rules.priority, recovery_rules.id",
                                     {std::to_string(orgId)}))
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

recovery::Rule RuleStore::create(long long orgId, recovery::Rule rule) {
    return pool_.with([&](PgConnection& c) {
        rule.id = std::stoll(*c.query("INSERT INTO recovery_rules (org_id, priority, conditions, actions)"
                                      " VALUES ($1::bigint, $2::int, $3::jsonb, $4::jsonb) RETURNING id::text",
                                      {std::to_string(orgId), std::to_string(rule.priority),
                                       recovery::conditionsJson(rule.when), recovery::actionsJson(rule.then)})
                                  .at(0)[0]);
        return rule;
    });
}

std::optional<recovery::Rule> RuleStore::replace(long long orgId, long long id, recovery::Rule rule) {
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
    return pool_.with([&](PgConnection& c) {
        return !c.query("DELETE FROM recovery_rules WHERE org_id = $1::bigint AND id = $2::bigint RETURNING id",
                        {std::to_string(orgId), std::to_string(id)})
                    .empty();
    });
}

}  // namespace tinko::store
