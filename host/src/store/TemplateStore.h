#pragma once
// An org's message templates (table message_templates, notify/MessageTemplate.h). At most one
// template per org, name, channel and locale (a name is a set a rule can pick), and at most one
// default per org and channel: saving a default clears the others of that channel.
#include "notify/MessageTemplate.h"
#include "store/OrgDataCache.h"
#include "store/PgPool.h"

#include <optional>
#include <set>
#include <vector>

namespace tinko::store {

// An org's templates of one channel, and the names its rules pick (notify/TemplateChoice.h).
struct ChannelTemplates {
    std::vector<notify::MessageTemplate> templates;   // by locale, then oldest first
    std::set<std::string> pickedByRules;
};

class TemplateStore {
public:
    // With `cache`, the hot-path reads come from it and every write here invalidates it.
    explicit TemplateStore(PgPool& pool, OrgDataCache* cache = nullptr) : pool_(pool), cache_(cache) {}

    // One page: at most `limit` templates with ids above `afterId`, by id.
    std::vector<notify::MessageTemplate> list(long long orgId, long long afterId, int limit);
    // The few templates notify::chooseTemplate could pick for one message (at most seven rows,
    // however many templates the org has): per group it considers (the rule's set, the usual
    // choice, the default) the first in the customer's exact locale, in its language alone, and in
    // any locale of its language. `customerLocale` is canonical or nullopt (malformed or absent).
    ChannelTemplates candidates(long long orgId, const std::string& channel, const std::optional<std::string>& customerLocale,
                                const std::optional<std::string>& ruleTemplate);
    // Whether the org has a template of this name (a rule's then.template must name one).
    bool hasName(long long orgId, const std::string& name);
    // A rule that picks this template's name, when no other template has that name: deleting or
    // renaming the template would leave the rule's set empty.
    std::optional<long long> ruleNeeding(long long orgId, long long templateId);
    std::optional<notify::MessageTemplate> find(long long orgId, long long id);
    // nullopt when the org already has a template of that name for that channel and locale.
    std::optional<notify::MessageTemplate> create(long long orgId, const notify::MessageTemplate& t);
    // Replaced { nullopt, false } when there is no such template; { nullopt, true } when another
    // template of the org has that name, channel and locale.
    struct Replaced {
        std::optional<notify::MessageTemplate> saved;
        bool localeTaken = false;
    };
    Replaced replace(long long orgId, long long id, const notify::MessageTemplate& t);
    bool remove(long long orgId, long long id);

private:
    ChannelTemplates loadCandidates(long long orgId, const std::string& channel, const std::optional<std::string>& customerLocale,
                                    const std::optional<std::string>& ruleTemplate);
    PgPool& pool_;
    OrgDataCache* cache_ = nullptr;
};

}  // namespace tinko::store
