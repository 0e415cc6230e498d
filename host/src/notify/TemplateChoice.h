#pragma once
// Which of an org's templates a customer gets: the customer's locale exactly ("de-AT"), else its
// language ("de", then any "de-..."), else the org's default for the channel, else none (nullptr:
// the built-in English message).
//
// Rules may pick a set: the org's templates of one name (a rule's then.template). The set is tried
// first, by the customer's locale (exactly, then its language); when it has nothing in that
// language the usual choice applies. Templates whose name a rule picks are kept for the payments
// their rule decides: the usual choice leaves them out (except the channel's default).
#include "notify/MessageTemplate.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tinko::notify {

// `templates` are the org's for one channel; `customerLocale` may be empty or malformed (no match);
// `ruleTemplate` is the name the deciding rule picked (nullopt: none); `pickedByRules` the names any
// of the org's rules pick.
const MessageTemplate* chooseTemplate(const std::vector<MessageTemplate>& templates, const std::string& customerLocale,
                                      const std::optional<std::string>& ruleTemplate,
                                      const std::set<std::string>& pickedByRules);

}  // namespace tinko::notify
