#include "http/Pagination.h"

namespace tinko::http {

namespace {
const std::string kCursorPrefix = "c1.";   // versioned, so the encoding can change later

std::optional<long long> parsePositive(const std::string& text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    long long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}
}  // namespace

std::variant<PageRequest, Problem> parsePageRequest(const std::map<std::string, std::string>& query) {
    PageRequest page;
    std::vector<FieldError> errors;
    for (const auto& [key, value] : query) {
        if (key == "limit") {
            auto limit = parsePositive(value);
            if (!limit || *limit < 1 || *limit > 200) errors.push_back({"limit", "must be an integer from 1 to 200"});
            else page.limit = static_cast<int>(*limit);
        } else if (key == "cursor") {
            auto id = value.rfind(kCursorPrefix, 0) == 0 ? parsePositive(value.substr(kCursorPrefix.size())) : std::nullopt;
            if (!id) errors.push_back({"cursor", "is not a cursor this API returned; pass next_cursor unchanged"});
            else page.afterId = *id;
        } else {
            errors.push_back({key, "unknown query parameter; allowed: limit, cursor"});
        }
    }
    if (!errors.empty()) {
        Problem p = problems::validation(std::move(errors));
        p.status = 400;
        p.title = "Invalid query parameters";
        return p;
    }
    return page;
}

std::string cursorAfter(long long lastId) { return kCursorPrefix + std::to_string(lastId); }

}  // namespace tinko::http
