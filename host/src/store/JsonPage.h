#pragma once
// One page of a list whose items the database already wrote as JSON (json_agg), with what the
// API needs for its next cursor.
#include <cstddef>
#include <string>

namespace tinko::store {

struct JsonPage {
    std::string items = "[]";   // a JSON array
    std::size_t count = 0;
    long long lastId = 0;       // the id of the last item (the cursor continues after it)
};

}  // namespace tinko::store
