#include "notify/TemplateChoice.h"

#include "notify/Locales.h"

namespace tinko::notify {

namespace {
using Candidates = std::vector<const MessageTemplate*>;

template <class Predicate>
const MessageTemplate* first(const Candidates& templates, Predicate matches) {
    for (const auto* t : templates)
        if (matches(*t)) return t;
    return nullptr;
}

template <class Predicate>
Candidates where(const std::vector<MessageTemplate>& templates, Predicate keep) {
    Candidates out;
    for (const auto& t : templates)
        if (keep(t)) out.push_back(&t);
    return out;
}

// The template in the customer's locale, else in its language; nullptr when none is.
const MessageTemplate* inCustomersLanguage(const Candidates& templates, const std::string& customerLocale) {
    auto locale = canonicalLocale(customerLocale);
    if (!locale) return nullptr;
    const std::string language = localeLanguage(*locale);
    if (auto t = first(templates, [&](const MessageTemplate& t) { return canonicalLocale(t.locale) == locale; })) return t;
    if (auto t = first(templates, [&](const MessageTemplate& t) { return canonicalLocale(t.locale) == language; })) return t;
    return first(templates, [&](const MessageTemplate& t) { return localeLanguage(t.locale) == language; });
}

const MessageTemplate* usualChoice(const Candidates& templates, const std::string& customerLocale) {
    if (auto t = inCustomersLanguage(templates, customerLocale)) return t;
    return first(templates, [](const MessageTemplate& t) { return t.isDefault; });
}
}  // namespace

const MessageTemplate* chooseTemplate(const std::vector<MessageTemplate>& templates, const std::string& customerLocale,
                                      const std::optional<std::string>& ruleTemplate,
                                      const std::set<std::string>& pickedByRules) {
    if (ruleTemplate)
        if (auto t = inCustomersLanguage(where(templates, [&](const MessageTemplate& t) { return t.name == *ruleTemplate; }),
                                         customerLocale))
            return t;
    return usualChoice(where(templates, [&](const MessageTemplate& t) { return t.isDefault || !pickedByRules.count(t.name); }),
                       customerLocale);
}

}  // namespace tinko::notify
