#include "PathTemplate.h"

#include "FormEncoding.h"

#include <vector>

namespace tinko::fakes {

namespace {
std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = path.find('/', start);
        parts.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) return parts;
        start = slash + 1;
    }
}
}  // namespace

std::optional<std::map<std::string, std::string>> matchPath(std::string_view pattern, std::string_view path) {
    const auto expected = segments(pattern), actual = segments(path);
    if (expected.size() != actual.size()) return std::nullopt;
    std::map<std::string, std::string> values;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const std::string_view p = expected[i], a = actual[i];
        const std::size_t open = p.find('{'), close = p.find('}');
        if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
            if (p != a) return std::nullopt;
            continue;
        }
        const std::string_view prefix = p.substr(0, open), suffix = p.substr(close + 1);
        if (a.size() <= prefix.size() + suffix.size() || a.substr(0, prefix.size()) != prefix ||
            a.substr(a.size() - suffix.size()) != suffix)
            return std::nullopt;
        auto decoded = percentDecode(a.substr(prefix.size(), a.size() - prefix.size() - suffix.size()));
        if (!decoded || decoded->empty()) return std::nullopt;
        values[std::string(p.substr(open + 1, close - open - 1))] = *decoded;
    }
    return values;
}

}  // namespace tinko::fakes
