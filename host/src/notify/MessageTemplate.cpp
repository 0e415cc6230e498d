#include "notify/MessageTemplate.h"

#include "notify/Locales.h"

#include <kainjow/mustache.hpp>

#include <algorithm>

namespace tinko::notify {

namespace {
std::string trimmed(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string knownList() {
    std::string out;
    for (const auto& v : kTemplateVariables) out += (out.empty() ? "" : ", ") + v;
    return out;
}

// The tags of a template kainjow accepted, walked the way Mustache reads them (kainjow keeps its
// parse tree private): {{name}}, {{{name}}}, {{&name}}, {{#name}}, {{^name}}, {{/name}},
// {{!comment}}, {{>partial}} and {{=<% %>=}} delimiter changes.
// `html`: the source is an HTML body, where {{{name}}} and {{&name}} would put a customer's raw
// text (their name, which they choose) into the mail; only escaped {{name}} is allowed there.
std::optional<std::string> tagProblem(const std::string& source, bool html) {
    std::string open = "{{", close = "}}";
    int depth = 0;
    std::size_t at = 0;
    while ((at = source.find(open, at)) != std::string::npos) {
        std::size_t start = at + open.size();
        std::string end = close;
        if (open == "{{" && start < source.size() && source[start] == '{') end = "}" + close;   // {{{name}}}
        const std::size_t stop = source.find(end, start);
        if (stop == std::string::npos) return std::nullopt;   // kainjow has said it compiles
        std::string tag = trimmed(source.substr(start, stop - start));
        at = stop + end.size();
        const char kind = tag.empty() ? ' ' : tag[0];
        if (kind == '!') continue;
        if (kind == '=') {
            std::string inner = trimmed(tag.substr(1, tag.size() >= 2 ? tag.size() - 2 : 0));
            const auto space = inner.find_first_of(" \t");
            if (space == std::string::npos) return std::nullopt;
            open = inner.substr(0, space);
            close = trimmed(inner.substr(space));
            continue;
        }
        if (kind == '>') return "includes the partial '" + trimmed(tag.substr(1)) + "'; partials are not supported";
        if (kind == '/') {
            --depth;
            continue;
        }
        std::string name = (kind == '#' || kind == '^' || kind == '&' || kind == '{') ? trimmed(tag.substr(1)) : tag;
        if (kind == '{') name = trimmed(name.substr(0, name.find('}')));
        if (html && (kind == '{' || kind == '&'))
            return "uses the unescaped variable '" + (kind == '{' ? "{{{" + name + "}}}" : "{{&" + name + "}}") +
                   "'; in HTML every variable is escaped: write {{" + name + "}}";
        const bool known = std::find(kTemplateVariables.begin(), kTemplateVariables.end(), name) != kTemplateVariables.end();
        if (!known && !(name == "." && depth > 0))
            return "uses the unknown variable '" + name + "'; the variables are " + knownList();
        if (kind == '#' || kind == '^') ++depth;
    }
    return std::nullopt;
}
}  // namespace

std::optional<std::string> mustacheProblem(const std::string& source, bool html) {
    kainjow::mustache::mustache compiled(source);
    if (!compiled.is_valid()) return "does not compile: " + compiled.error_message();
    return tagProblem(source, html);
}

std::vector<std::pair<std::string, std::string>> templateProblems(const MessageTemplate& t) {
    std::vector<std::pair<std::string, std::string>> errors;
    if (trimmed(t.name).empty()) errors.emplace_back("name", "must not be empty");
    const bool email = t.channel == "email";
    if (!email && t.channel != "sms") errors.emplace_back("channel", "must be \"email\" or \"sms\"");
    if (!canonicalLocale(t.locale))
        errors.emplace_back("locale", "must be a BCP 47 language tag such as \"en\" or \"de-AT\"");
    if (email && (!t.subject || trimmed(*t.subject).empty())) errors.emplace_back("subject", "is required for email");
    if (!email && t.subject) errors.emplace_back("subject", "only email has a subject");
    if (!email && t.html) errors.emplace_back("html", "only email has HTML");
    if (trimmed(t.text).empty()) errors.emplace_back("text", "must not be empty");
    const std::pair<const char*, const std::optional<std::string>> sources[] = {
        {"subject", t.subject}, {"text", t.text}, {"html", t.html}};
    for (const auto& [field, source] : sources)
        if (source)
            if (auto problem = mustacheProblem(*source, std::string(field) == "html")) errors.emplace_back(field, *problem);
    return errors;
}

RenderedMessage renderMessage(const MessageTemplate& t, const TemplateData& data) {
    // The org's HTML gets every value escaped before Mustache sees it, and Mustache escapes
    // nothing more: so {{{name}}} and {{&name}}, in a template stored before they were refused,
    // cannot put a customer's raw text into the mail either.
    TemplateData escaped;
    for (const auto& [key, value] : data) escaped[key] = kainjow::mustache::html_escape<std::string>(value);
    return {t.subject ? renderTemplate(*t.subject, data, false) : "", renderTemplate(t.text, data, false),
            t.html ? renderTemplate(*t.html, escaped, false) : ""};
}

}  // namespace tinko::notify
