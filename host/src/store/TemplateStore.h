#pragma once
// An org's message templates (table message_templates, notify/MessageTemplate.h). At most one
// template per org, channel and locale, and at most one default per org and channel: saving a
// default clears the others of that channel.
#include "notify/MessageTemplate.h"
#include "store/PgPool.h"

#include <optional>
#include <vector>

namespace tinko::store {

class TemplateStore {
public:
    explicit TemplateStore(PgPool& pool) : pool_(pool) {}

    // By channel, then locale.
    std::vector<notify::MessageTemplate> list(long long orgId);
    std::vector<notify::MessageTemplate> forChannel(long long orgId, const std::string& channel);
    std::optional<notify::MessageTemplate> find(long long orgId, long long id);
    // nullopt when the org already has a template for that channel and locale.
    std::optional<notify::MessageTemplate> create(long long orgId, const notify::MessageTemplate& t);
    // Replaced { nullopt, false } when there is no such template; { nullopt, true } when another
    // template of the org has that channel and locale.
    struct Replaced {
        std::optional<notify::MessageTemplate> saved;
        bool localeTaken = false;
    };
    Replaced replace(long long orgId, long long id, const notify::MessageTemplate& t);
    bool remove(long long orgId, long long id);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
