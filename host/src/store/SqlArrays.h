#pragma once
// Array literals for passing many rows' values as one parameter each (read back with unnest).
#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

template <class Number>
std::string arrayLiteral(const std::vector<Number>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
    return out + "}";
}

// A text[] literal: every element quoted, with its quotes and backslashes escaped; NULL for none.
template <class Text>
std::string textArrayLiteral(const std::vector<Text>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        const std::optional<std::string> value(values[i]);
        if (!value) {
            out += "NULL";
            continue;
        }
        out += '"';
        for (char ch : *value) {
            if (ch == '"' || ch == '\\') out += '\\';
            out += ch;
        }
        out += '"';
    }
    return out + "}";
}

}  // namespace tinko::store
