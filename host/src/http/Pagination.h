#pragma once
// Keyset pagination for lists: `limit` (1..200, default 50) and an opaque `cursor` that the
// previous page returned as `next_cursor`.
#include "http/Problem.h"

#include <map>
#include <optional>
#include <string>
#include <variant>

namespace tinko::http {

struct PageRequest {
    long long afterId = 0;
    int limit = 50;
};

std::variant<PageRequest, Problem> parsePageRequest(const std::map<std::string, std::string>& query);

// The cursor that continues after the row with `lastId`.
std::string cursorAfter(long long lastId);

}  // namespace tinko::http
