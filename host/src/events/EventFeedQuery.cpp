#include "events/EventFeedQuery.h"

#include "events/EventTypes.h"
#include "http/Pagination.h"

#include <algorithm>

namespace tinko::events {

namespace {
std::optional<int> parseLimit(const std::string& text) {
    if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const int limit = std::stoi(text);
    if (limit < 1 || limit > http::kMaxPageLimit) return std::nullopt;
    return limit;
}

std::vector<std::string> splitCommas(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        parts.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) return parts;
        start = comma + 1;
    }
}

http::Problem queryProblem(std::vector<http::FieldError> errors) {
    http::Problem p = http::problems::validation(std::move(errors));
    p.status = 400;
    p.title = "Invalid query parameters";
    return p;
}
}  // namespace

std::variant<FeedRequest, http::Problem> parseFeedRequest(const std::map<std::string, std::string>& query) {
    FeedRequest request;
    request.limit = http::kDefaultPageLimit;
    std::vector<http::FieldError> errors;
    if (query.count("after") && query.count("cursor"))
        errors.push_back({"cursor", "give either after or cursor (the same thing), not both"});
    for (const auto& [key, value] : query) {
        if (key == "limit") {
            if (auto limit = parseLimit(value)) request.limit = *limit;
            else errors.push_back({"limit", "must be an integer from 1 to " + std::to_string(http::kMaxPageLimit)});
        } else if (key == "after" || key == "cursor") {
            if (auto id = parseEventId(value)) request.afterId = *id;
            else errors.push_back({key, "must be an event id such as evt_123 (the id of the last event you read)"});
        } else if (key == "type") {
            for (const auto& type : splitCommas(value)) {
                if (!isMerchantEventType(type)) {
                    std::string known;
                    for (const auto& t : merchantEventTypes()) known += (known.empty() ? "" : ", ") + t;
                    errors.push_back({"type", "'" + type.substr(0, 64) + "' is not an event type; give one or more of " +
                                                  known + ", separated by commas"});
                    break;
                }
                // Once each: the store reads each type's events separately.
                if (std::find(request.types.begin(), request.types.end(), type) == request.types.end())
                    request.types.push_back(type);
            }
        } else {
            errors.push_back({key, "unknown query parameter; allowed: type, after, limit"});
        }
    }
    if (!errors.empty()) return queryProblem(std::move(errors));
    return request;
}

http::Problem unknownFeedCursor(const std::string& parameter, const std::string& given) {
    return queryProblem({{parameter, "no event " + given + " in this org's feed; pass the id of an event it listed"}});
}

std::string feedPageBody(const std::vector<StoredEvent>& events, int limit) {
    const bool more = events.size() > static_cast<std::size_t>(limit);
    const std::size_t listed = more ? static_cast<std::size_t>(limit) : events.size();
    std::string body = "{\"data\":[";
    for (std::size_t i = 0; i < listed; ++i) body += (i ? "," : "") + eventEnvelope(events[i]);
    body += "],\"next_cursor\":";
    body += more ? "\"" + eventIdText(events[listed - 1].id) + "\"" : "null";
    return body + "}";
}

}  // namespace tinko::events
