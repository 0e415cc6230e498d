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
            if (!limit || *limit < 1 || *limit > kMaxPageLimit)
                errors.push_back({"limit", "must be an integer from 1 to " + std::to_string(kMaxPageLimit)});
            else page.limit = static_cast<int>(*limit);
        } else if (key == "cursor") {
            // c1.<id>, or c1.<rank>_<id> (the rank may be negative: m<digits>).
            std::string rest = value.rfind(kCursorPrefix, 0) == 0 ? value.substr(kCursorPrefix.size()) : "";
            std::optional<long long> rank;
            bool ok = !rest.empty();
            if (const auto sep = rest.find('_'); ok && sep != std::string::npos) {
                const bool negative = rest[0] == 'm';
                rank = parsePositive(rest.substr(negative ? 1 : 0, sep - (negative ? 1 : 0)));
                ok = rank.has_value();
                if (ok && negative) rank = -*rank;
                rest = rest.substr(sep + 1);
            }
            auto id = ok ? parsePositive(rest) : std::nullopt;
            if (!id) errors.push_back({"cursor", "is not a cursor this API returned; pass next_cursor unchanged"});
            else page.afterId = *id, page.afterRank = rank;
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

std::string cursorAfter(long long rank, long long lastId) {
    return kCursorPrefix + (rank < 0 ? "m" + std::to_string(-rank) : std::to_string(rank)) + "_" + std::to_string(lastId);
}

std::string pageBody(const std::string& itemsArray, std::size_t count, const PageRequest& page, const std::string& nextCursor,
                     const std::string& leadingFields) {
    const bool full = count >= static_cast<std::size_t>(page.limit) && !nextCursor.empty();
    return "{" + leadingFields + "\"data\":" + itemsArray + ",\"next_cursor\":" + (full ? "\"" + nextCursor + "\"" : "null") + "}";
}

std::string pageBody(const std::vector<std::string>& itemsJson, const PageRequest& page, const std::string& nextCursor) {
    std::string array = "[";
    for (std::size_t i = 0; i < itemsJson.size(); ++i) array += (i ? "," : "") + itemsJson[i];
    return pageBody(array + "]", itemsJson.size(), page, nextCursor);
}

}  // namespace tinko::http
