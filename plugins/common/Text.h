#pragma once
// Small string helpers for reading what providers and orgs send.
#include <string_view>

namespace tinko::plugins::common {

// `text` without the white space (isspace) at its start and end.
std::string_view trim(std::string_view text);

bool startsWith(std::string_view text, std::string_view prefix);

}  // namespace tinko::plugins::common
