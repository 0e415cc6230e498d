#pragma once
// tinko/helpers/form.hpp: application/x-www-form-urlencoded, both ways, for flat forms: providers
// take their parameters so (Stripe, Twilio, Mollie) and post callbacks so (Twilio). A name given
// twice is a list.
//
//     helpers::FormParams form = {{"To", "+14155552345"}, {"Body", "Hi there"}};
//     request.body = helpers::encodeForm(form);   // "To=%2B14155552345&Body=Hi%20there"
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinko::sdk::helpers {

// (name, value) in the order sent.
using FormParams = std::vector<std::pair<std::string, std::string>>;

namespace form_detail {

inline bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

inline int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A form component decoded: '+' is a space, %XX a byte; nullopt when a % escape is malformed.
inline std::optional<std::string> formDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int high = hexDigit(text[i + 1]);
            const int low = hexDigit(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace form_detail

// Percent-encodes every byte but A-Z a-z 0-9 - . _ ~ (RFC 3986's unreserved set), as UTF-8
// bytes, with upper-case hex; a space becomes %20.
inline std::string percentEncode(std::string_view text) {
    constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (form_detail::unreserved(c)) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
    return out;
}

// "To=%2B14155552345&Body=Hi%20there", in the order given.
inline std::string encodeForm(const FormParams& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out += '&';
        out += percentEncode(name);
        out += '=';
        out += percentEncode(value);
    }
    return out;
}

// The pairs of a form body ('+' is a space, %XX a byte); nullopt when a % escape is malformed.
inline std::optional<FormParams> decodeForm(std::string_view body) {
    FormParams pairs;
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.find('&', start);
        if (end == std::string_view::npos) end = body.size();
        const std::string_view item = body.substr(start, end - start);
        start = end + 1;
        if (item.empty()) continue;
        const std::size_t equals = item.find('=');
        auto name = form_detail::formDecode(item.substr(0, equals));
        auto value = form_detail::formDecode(equals == std::string_view::npos ? std::string_view() : item.substr(equals + 1));
        if (!name || !value) return std::nullopt;
        pairs.emplace_back(std::move(*name), std::move(*value));
    }
    return pairs;
}

// The value of the first pair named `name`, or nullopt.
inline std::optional<std::string> formValue(const FormParams& params, std::string_view name) {
    for (const auto& [n, v] : params)
        if (n == name) return v;
    return std::nullopt;
}

}  // namespace tinko::sdk::helpers
