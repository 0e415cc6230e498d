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

std::vector<notify::MessageTemplate> TemplateStore::list(long long orgId) {
    return pool_.with([&](PgConnection& c) {
        return rows(c.query("SELECT " + kColumns + " FROM message_templates WHERE org_id = $1::bigint ORDER BY channel, locale, message_templates.id",
                            {std::to_string(orgId)}));
    });
}

ChannelTemplates TemplateStore::forChannel(long long orgId, const std::string& channel) {
    return pool_.with([&](PgConnection& c) {
        // One round trip per message: the templates, each with whether one of the org's rules picks its name.
        auto result = c.query("SELECT " + kColumns + ", (name IN (SELECT actions->>'template' FROM recovery_rules"
                              " WHERE org_id = $1::bigint AND actions ? 'template'))::text"
                              " FROM message_templates WHERE org_id = $1::bigint AND channel = $2 ORDER BY locale, message_templates.id",
                              {std::to_string(orgId), channel});
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
    return pool_.with([&](PgConnection& c) {
        return !c.query("DELETE FROM message_templates WHERE org_id = $1::bigint AND id = $2::bigint RETURNING id",
                        {std::to_string(orgId), std::to_string(id)})
                    .empty();
    });
}

}  // namespace tinko::store
