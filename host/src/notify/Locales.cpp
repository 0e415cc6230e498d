#include "notify/Locales.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace tinko::notify {

namespace {
std::vector<std::string> subtags(const std::string& tag) {
    std::vector<std::string> parts{""};
    for (char c : tag) {
        if (c == '-' || c == '_') parts.emplace_back();
        else parts.back() += c;
    }
    return parts;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

std::optional<std::string> canonicalLocale(const std::string& tag) {
    if (tag.empty() || tag.size() > 35) return std::nullopt;
    auto parts = subtags(tag);
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string part = lower(parts[i]);
        const bool alnum = !part.empty() && part.size() <= 8 &&
                           std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isalnum(c); });
        if (!alnum) return std::nullopt;
        if (i == 0) {
            if (part.size() < 2 || part.size() > 3 ||
                !std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isalpha(c); }))
                return std::nullopt;
        } else if (part.size() == 2 && std::isalpha(static_cast<unsigned char>(part[0]))) {
            for (auto& c : part) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));   // region: AT
        } else if (part.size() == 4 && std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isalpha(c); })) {
            part[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(part[0])));          // script: Hant
        }
        out += (i == 0 ? "" : "-") + part;
    }
    return out;
}

std::string localeLanguage(const std::string& tag) { return lower(subtags(tag).front()); }

}  // namespace tinko::notify
