#pragma once
// Keyset pagination for every list: `limit` (1..200, default 50) and an opaque `cursor` that the
// previous page returned as `next_cursor` (null on the last page). A list ordered by something
// else than its id (rules, by priority) carries that rank in the cursor too.
#include "http/Problem.h"

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tinko::http {

constexpr int kDefaultPageLimit = 50, kMaxPageLimit = 200;

struct PageRequest {
    long long afterId = 0;
    std::optional<long long> afterRank;   // set by a cursor of a list ordered by (rank, id)
    int limit = kDefaultPageLimit;
};

std::variant<PageRequest, Problem> parsePageRequest(const std::map<std::string, std::string>& query);

// The cursor that continues after the row with `lastId` (and `rank`, for lists ordered by it).
std::string cursorAfter(long long lastId);
std::string cursorAfter(long long rank, long long lastId);

// {"data":[items...],"next_cursor":cursor-or-null} from items already in JSON; `nextCursor` is
// given only when the page is full (there may be more).
std::string pageBody(const std::vector<std::string>& itemsJson, const PageRequest& page, const std::string& nextCursor);
// The same from a JSON array of `count` items; `leadingFields` (e.g. "\"transaction_ref\":\"x\",")
// come before "data".
std::string pageBody(const std::string& itemsArray, std::size_t count, const PageRequest& page, const std::string& nextCursor,
                     const std::string& leadingFields = "");

}  // namespace tinko::http
