#pragma once
// An org's own message template: Mustache text for one channel and locale (API.md
// /v1/templates). A template is checked when it is saved, so sending never meets one that does not
// compile or names a variable nobody fills in; the variables are kTemplateVariables.
#include "notify/MessageTemplates.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tinko::notify {

struct MessageTemplate {
    long long id = 0;
    std::string name;
    std::string channel;                   // email | sms
    std::string locale;                    // canonical (notify/Locales.h), e.g. "de-AT"
    std::optional<std::string> subject;    // email only, required there
    std::string text;
    std::optional<std::string> html;       // email only
    bool isDefault = false;                // the org's fallback for this channel
    std::string createdAt;                 // set by the store
    std::string updatedAt;
};

// Why the Mustache in `source` cannot be used, or nullopt: it must compile (kainjow), every tag
// must name one of kTemplateVariables (as a variable, section or inverted section; "." only
// inside a section), and partials are refused (there are none to include). With `html`, the
// unescaped forms {{{name}}} and {{&name}} are refused too.
std::optional<std::string> mustacheProblem(const std::string& source, bool html = false);

// Every reason `t` cannot be saved, per field ("channel", "locale", "subject", "text", "html").
std::vector<std::pair<std::string, std::string>> templateProblems(const MessageTemplate& t);

// The message `t` gives with `data`; every value in the HTML is escaped, also through {{{name}}}
// or {{&name}} in a template stored before those were refused; subject and text are not.
RenderedMessage renderMessage(const MessageTemplate& t, const TemplateData& data);

}  // namespace tinko::notify
