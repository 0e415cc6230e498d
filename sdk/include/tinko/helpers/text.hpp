#pragma once
// tinko/helpers/text.hpp: small string helpers for reading what providers and orgs send.
#include <string_view>

namespace tinko::sdk::helpers {

// `text` without the ASCII white space (space, \t, \n, \v, \f, \r) at its start and end.
inline std::string_view trim(std::string_view text) {
    constexpr std::string_view kSpace = " \t\n\v\f\r";
    const std::size_t first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

inline bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace tinko::sdk::helpers
