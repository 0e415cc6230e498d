#pragma once
// The messages a customer receives, rendered with Mustache (kainjow's header-only library). The
// defaults ship in the binary; every variable a template may use is listed in kTemplateVariables.
#include <map>
#include <string>
#include <vector>

namespace tinko::notify {

// customer_name, amount (formatted for people), merchant_name, link, expires_at, attempt, and
// another_card (a sentence asking for another card when no more charges of the card will be tried;
// unset otherwise, so {{#another_card}}...{{/another_card}} shows only then)
extern const std::vector<std::string> kTemplateVariables;

struct RenderedMessage {
    std::string subject;   // email only
    std::string text;
    std::string html;      // email only
};

using TemplateData = std::map<std::string, std::string>;

// Renders `templateText`; throws std::runtime_error naming the problem if it does not compile.
std::string renderTemplate(const std::string& templateText, const TemplateData& data, bool escapeHtml);

RenderedMessage renderDefaultEmail(const TemplateData& data);
RenderedMessage renderDefaultSms(const TemplateData& data);

}  // namespace tinko::notify
