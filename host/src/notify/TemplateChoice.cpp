#include "notify/TemplateChoice.h"

#include "notify/Locales.h"

namespace tinko::notify {

namespace {
template <class Predicate>
const MessageTemplate* first(const std::vector<MessageTemplate>& templates, Predicate matches) {
    for (const auto& t : templates)
        if (matches(t)) return &t;
    return nullptr;
}
}  // namespace

const MessageTemplate* chooseTemplate(const std::vector<MessageTemplate>& templates, const std::string& customerLocale) {
    if (auto locale = canonicalLocale(customerLocale)) {
        const std::string language = localeLanguage(*locale);
        if (auto t = first(templates, [&](const MessageTemplate& t) { return canonicalLocale(t.locale) == locale; })) return t;
        if (auto t = first(templates, [&](const MessageTemplate& t) { return canonicalLocale(t.locale) == language; })) return t;
        if (auto t = first(templates, [&](const MessageTemplate& t) { return localeLanguage(t.locale) == language; })) return t;
    }
    return first(templates, [](const MessageTemplate& t) { return t.isDefault; });
}

}  // namespace tinko::notify
