#include "store/TemplateStore.h"

namespace tinko::store {

namespace {
const std::string kColumns =
    "id::text, name, channel, locale, subject, text, html, is_default::text,"
    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

notify::MessageTemplate fromRow(const PgConnection::Row& r) {
    notify::MessageTemplate t;
    t.id = std::stoll(*r[0]);
    t.name = *r[1];
    t.channel = *r[2];
    t.locale = *r[3];
    t.subject = r[4];
    t.text = *r[5];
    t.html = r[6];
    t.isDefault = *r[7] == "true";
    t.createdAt = *r[8];
    t.updatedAt = *r[9];
    return t;
}

std::vector<notify::MessageTemplate> rows(const std::vector<PgConnection::Row>& result) {
    std::vector<notify::MessageTemplate> out;
    for (const auto& r : result) out.push_back(fromRow(r));
    return out;
}

// A new default clears the old one first (one default per org and channel is also an index).
void clearOtherDefaults(PgConnection& c, long long orgId, const notify::MessageTemplate& t, long long keepId) {
    if (!t.isDefault) return;
    c.query("UPDATE message_templates SET is_default = false, updated_at = now()"
            " WHERE org_id = $1::bigint AND channel = $2 AND is_default AND id <> $3::bigint RETURNING id",
            {std::to_string(orgId), t.channel, std::to_string(keepId)});
}

std::vector<std::optional<std::string>> values(long long orgId, const notify::MessageTemplate& t) {
    return {std::to_string(orgId), t.name, t.channel, t.locale, t.subject, t.text, t.html, t.isDefault ? "true" : "false"};
}
}  // namespace

std::vector<notify::MessageTemplate> TemplateStore::list(long long orgId, long long afterId, int limit) {
    return pool_.with([&](PgConnection& c) {
        return rows(c.query("SELECT " + kColumns + " FROM message_templates WHERE org_id = $1::bigint AND id > $2::bigint"
                            " ORDER BY message_templates.id LIMIT $3::int",   // the table's id: "id" alone is the text column
                            {std::to_string(orgId), std::to_string(afterId), std::to_string(limit)}));
    });
}

ChannelTemplates TemplateStore::candidates(long long orgId, const std::string& channel,
                                           const std::optional<std::string>& customerLocale,
                                           const std::optional<std::string>& ruleTemplate) {
    // NUL separates the parts: none of them can hold one.
    const std::string key = "templates:" + channel + '\0' + customerLocale.value_or("-") + '\0' +
                            (ruleTemplate ? "=" + *ruleTemplate : std::string("-"));
    return readThrough<ChannelTemplates>(cache_, orgId, key,
                                         [&] { return loadCandidates(orgId, channel, customerLocale, ruleTemplate); });
}

ChannelTemplates TemplateStore::loadCandidates(long long orgId, const std::string& channel,
                                               const std::optional<std::string>& customerLocale,
                                               const std::optional<std::string>& ruleTemplate) {
    const std::optional<std::string> language =
        customerLocale ? std::optional<std::string>(customerLocale->substr(0, customerLocale->find('-'))) : std::nullopt;
    return pool_.with([&](PgConnection& c) {
        // One round trip per message. "picked": a name one of the org's rules picks; the usual
        // choice leaves those out (except the default). Each branch takes the first row in the
        // order chooseTemplate reads (locale, then id), so it decides on these as on all.
        auto result = c.queryNullable(
            "WITH t AS (SELECT m.*, EXISTS (SELECT 1 FROM recovery_rules r WHERE r.org_id = m.org_id"
            "                               AND r.actions->>'template' = m.name) AS picked"
            "           FROM message_templates m WHERE m.org_id = $1::bigint AND m.channel = $2),"
            " usual AS (SELECT * FROM t WHERE is_default OR NOT picked),"
            " rule_set AS (SELECT * FROM t WHERE name = $5::text),"
            " chosen AS ("
            "  (SELECT id FROM usual WHERE locale = $3::text ORDER BY locale, id LIMIT 1)"
            "  UNION (SELECT id FROM usual WHERE locale = $4::text ORDER BY locale, id LIMIT 1)"
            "  UNION (SELECT id FROM usual WHERE split_part(locale, '-', 1) = $4::text ORDER BY locale, id LIMIT 1)"
            "  UNION (SELECT id FROM usual WHERE is_default ORDER BY locale, id LIMIT 1)"
            "  UNION (SELECT id FROM rule_set WHERE locale = $3::text ORDER BY locale, id LIMIT 1)"
            "  UNION (SELECT id FROM rule_set WHERE locale = $4::text ORDER BY locale, id LIMIT 1)"
            "  UNION (SELECT id FROM rule_set WHERE split_part(locale, '-', 1) = $4::text ORDER BY locale, id LIMIT 1))"
            " SELECT " + kColumns + ", picked::text FROM t WHERE id IN (SELECT id FROM chosen) ORDER BY t.locale, t.id",
            {std::to_string(orgId), channel, customerLocale, language, ruleTemplate});
        ChannelTemplates out;
        for (const auto& r : result) {
            out.templates.push_back(fromRow(r));
            if (*r[10] == "true") out.pickedByRules.insert(out.templates.back().name);
        }
        return out;
    });
}

std::optional<long long> TemplateStore::ruleNeeding(long long orgId, long long templateId) {
    return pool_.with([&](PgConnection& c) -> std::optional<long long> {
        auto rows = c.query(
            "SELECT r.id::text FROM message_templates t JOIN recovery_rules r ON r.org_id = t.org_id AND r.actions->>'template' = t.name"
            " WHERE t.org_id = $1::bigint AND t.id = $2::bigint"
            "   AND NOT EXISTS (SELECT 1 FROM message_templates o WHERE o.org_id = t.org_id AND o.name = t.name AND o.id <> t.id)"
            " ORDER BY r.priority, r.id LIMIT 1",
            {std::to_string(orgId), std::to_string(templateId)});
        if (rows.empty()) return std::nullopt;
        return std::stoll(*rows[0][0]);
    });
}

bool TemplateStore::hasName(long long orgId, const std::string& name) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("SELECT 1 FROM message_templates WHERE org_id = $1::bigint AND name = $2 LIMIT 1",
                        {std::to_string(orgId), name}).empty();
    });
}

std::optional<notify::MessageTemplate> TemplateStore::find(long long orgId, long long id) {
    return pool_.with([&](PgConnection& c) -> std::optional<notify::MessageTemplate> {
        auto found = c.query("SELECT " + kColumns + " FROM message_templates WHERE org_id = $1::bigint AND id = $2::bigint",
                             {std::to_string(orgId), std::to_string(id)});
        if (found.empty()) return std::nullopt;
        return fromRow(found[0]);
    });
}

std::optional<notify::MessageTemplate> TemplateStore::create(long long orgId, const notify::MessageTemplate& t) {
    OrgDataWrite written(cache_, orgId);
    // Thrown inside the transaction so that a default cleared for the new template comes back.
    struct LocaleTaken {};
    try {
        return pool_.transaction([&](PgConnection& c) -> notify::MessageTemplate {
            clearOtherDefaults(c, orgId, t, 0);
            auto inserted = c.queryNullable(
                "INSERT INTO message_templates (org_id, name, channel, locale, subject, text, html, is_default)"
                " VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8::boolean)"
                " ON CONFLICT (org_id, name, channel, locale) DO NOTHING RETURNING " + kColumns,
                values(orgId, t));
            if (inserted.empty()) throw LocaleTaken{};
            return fromRow(inserted[0]);
        });
    } catch (const LocaleTaken&) {
        return std::nullopt;
    }
}

TemplateStore::Replaced TemplateStore::replace(long long orgId, long long id, const notify::MessageTemplate& t) {
    OrgDataWrite written(cache_, orgId);
    return pool_.transaction([&](PgConnection& c) -> Replaced {
        auto taken = c.query("SELECT id FROM message_templates WHERE org_id = $1::bigint AND channel = $2 AND locale = $3"
                             " AND name = $4 AND id <> $5::bigint",
                             {std::to_string(orgId), t.channel, t.locale, t.name, std::to_string(id)});
        if (!taken.empty()) return {std::nullopt, true};
        clearOtherDefaults(c, orgId, t, id);
        auto params = values(orgId, t);
        params.push_back(std::to_string(id));
        auto updated = c.queryNullable(
            "UPDATE message_templates SET name = $2, channel = $3, locale = $4, subject = $5, text = $6, html = $7,"
            " is_default = $8::boolean, updated_at = now() WHERE org_id = $1::bigint AND id = $9::bigint RETURNING " + kColumns,
            params);
        if (updated.empty()) return {std::nullopt, false};
        return {fromRow(updated[0]), false};
    });
}

bool TemplateStore::remove(long long orgId, long long id) {
    OrgDataWrite written(cache_, orgId);
    return pool_.with([&](PgConnection& c) {
        return !c.query("DELETE FROM message_templates WHERE org_id = $1::bigint AND id = $2::bigint RETURNING id",
                        {std::to_string(orgId), std::to_string(id)})
                    .empty();
    });
}

}  // namespace tinko::store
