#pragma once
// Which of an org's templates a customer gets: the customer's locale exactly ("de-AT"), else its
// language ("de", then any "de-..."), else the org's default for the channel, else none (nullptr:
// the built-in English message).
#include "notify/MessageTemplate.h"

#include <string>
#include <vector>

namespace tinko::notify {

// `templates` are the org's for one channel; `customerLocale` may be empty or malformed (no match).
const MessageTemplate* chooseTemplate(const std::vector<MessageTemplate>& templates, const std::string& customerLocale);

}  // namespace tinko::notify
