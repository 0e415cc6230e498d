#pragma once
// GET /v1/events: its query parameters read into a request (or the 400 naming each bad one), and
// a page of events written as the list answer. Pure, so both are unit-tested without a server.
#include "events/EventEnvelope.h"
#include "http/Problem.h"

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tinko::events {

struct FeedRequest {
    std::vector<std::string> types;    // empty: every type; else each named once
    std::optional<long long> afterId;  // continue after this event (its merchant_events.id)
    int limit = 50;
};

// `type` (one type, or several separated by commas), `after` (an event id, "evt_<n>"; `cursor`,
// the lists' usual name, is taken as the same), `limit` (1..200). Anything else is a 400.
std::variant<FeedRequest, http::Problem> parseFeedRequest(const std::map<std::string, std::string>& query);

// The 400 for an `after` that is not an event of the caller's feed (unknown, not yet listed, or
// another org's: the same answer, so it reveals nothing).
http::Problem unknownFeedCursor(const std::string& parameter, const std::string& given);

// {"data":[envelopes...],"next_cursor":...}: `events` holds up to limit + 1 events in feed order;
// the one beyond the limit only says there are more, and then next_cursor is the last listed
// event's id (null when the feed ends here, as on every list's last page).
std::string feedPageBody(const std::vector<StoredEvent>& events, int limit);

}  // namespace tinko::events
