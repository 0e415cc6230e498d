#include "notify/MessageTemplates.h"

#include <kainjow/mustache.hpp>

#include <stdexcept>

namespace tinko::notify {

const std::vector<std::string> kTemplateVariables{"customer_name", "amount", "merchant_name", "link", "expires_at", "attempt",
                                                   "another_card"};

namespace {
const char* kEmailSubject = "Your payment to {{merchant_name}} did not go through";
const char* kEmailText =
    "Hello {{customer_name}},\n\n"
    "your payment of {{amount}} to {{merchant_name}} did not go through. You can complete it here:\n\n"
    "{{link}}\n\n"
    "{{#another_card}}{{another_card}}\n\n{{/another_card}}"
    "The link is valid until {{expires_at}}.\n\n"
    "Thank you,\n{{merchant_name}}\n";
const char* kEmailHtml =
    "<!doctype html><html><body style=\"font-family:sans-serif;color:#1a1a1a\">"
    "<p>Hello {{customer_name}},</p>"
    "<p>your payment of <strong>{{amount}}</strong> to {{merchant_name}} did not go through.</p>"
    "<p><a href=\"{{link}}\" style=\"display:inline-block;padding:12px 20px;background:#1f4fd1;color:#ffffff;"
    "text-decoration:none;border-radius:6px\">Complete your payment</a></p>"
    "{{#another_card}}<p>{{another_card}}</p>{{/another_card}}"
    "<p style=\"color:#555\">The link is valid until {{expires_at}}.</p>"
    "<p>Thank you,<br>{{merchant_name}}</p></body></html>";
const char* kSms = "{{merchant_name}}: your payment of {{amount}} did not go through. Complete it here: {{link}}{{#another_card}} {{another_card}}{{/another_card}}";
}  // namespace

std::string renderTemplate(const std::string& templateText, const TemplateData& data, bool escapeHtml) {
    kainjow::mustache::mustache compiled(templateText);
    if (!compiled.is_valid()) throw std::runtime_error("the template does not compile: " + compiled.error_message());
    kainjow::mustache::data context;
    for (const auto& [key, value] : data) context.set(key, value);
    if (!escapeHtml) compiled.set_custom_escape([](const std::string& s) { return s; });
    return compiled.render(context);
}

RenderedMessage renderDefaultEmail(const TemplateData& data) {
    return {renderTemplate(kEmailSubject, data, false), renderTemplate(kEmailText, data, false),
            renderTemplate(kEmailHtml, data, true)};
}

RenderedMessage renderDefaultSms(const TemplateData& data) { return {"", renderTemplate(kSms, data, false), ""}; }

}  // namespace tinko::notify
