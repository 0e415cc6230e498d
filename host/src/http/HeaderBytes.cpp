#include "http/HeaderBytes.h"

#include "util/Utf8.h"

#include <array>
#include <cctype>

namespace tinko::http {

namespace {
bool isControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

bool isTokenChar(unsigned char c) {
    static const std::string extra = "!#$%&'*+-.^_`|~";
    return std::isalnum(c) || extra.find(static_cast<char>(c)) != std::string::npos;
}

std::string hexByte(unsigned char c) {
    static const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[c >> 4] + digits[c & 0xF];
}
}  // namespace

bool isKnownMethod(const std::string& method) {
    static const std::array<const char*, 9> known{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"};
    for (const char* k : known)
        if (method == k) return true;
    return false;
}

std::string methodLabel(const std::string& method) { return isKnownMethod(method) ? method : "other"; }

std::optional<std::string> requestTargetProblem(const std::string& target) {
    for (std::size_t i = 0; i < target.size(); ++i) {
        const auto c = static_cast<unsigned char>(target[i]);
        if (c <= 0x20 || c >= 0x7F)
            return "the request target may hold only printable ASCII (percent-encode other bytes); byte " + hexByte(c) +
                   " at offset " + std::to_string(i);
    }
    return std::nullopt;
}

std::optional<std::string> headerNameProblem(const std::string& name) {
    if (name.empty()) return std::string("a header name is empty");
    for (char c : name)
        if (!isTokenChar(static_cast<unsigned char>(c)))
            return "a header name may hold only letters, digits and !#$%&'*+-.^_`|~ (got byte " +
                   hexByte(static_cast<unsigned char>(c)) + ")";
    return std::nullopt;
}

std::optional<std::string> headerValueProblem(const std::string& value) {
    if (auto at = util::firstInvalidUtf8(value))
        return "is not valid UTF-8 (byte " + hexByte(static_cast<unsigned char>(value[*at])) + " at offset " +
               std::to_string(*at) + ")";
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (isControl(c) && c != '\t') return "holds the control character " + hexByte(c) + " at offset " + std::to_string(i);
    }
    return std::nullopt;
}

std::optional<std::string> textProblem(const std::string& text) {
    if (auto at = util::firstInvalidUtf8(text))
        return "is not valid UTF-8 (byte " + hexByte(static_cast<unsigned char>(text[*at])) + " at offset " +
               std::to_string(*at) + ")";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (isControl(c)) return "holds the control character " + hexByte(c) + " at offset " + std::to_string(i);
    }
    return std::nullopt;
}

bool isSafeResponseHeaderValue(const std::string& value) {
    return value.find_first_of(std::string("\r\n\0", 3)) == std::string::npos;
}

std::optional<std::string> unsafeResponseHeader(const HttpResponse& response) {
    if (!isSafeResponseHeaderValue(response.contentType)) return std::string("Content-Type");
    for (const auto& [name, value] : response.headers)
        if (headerNameProblem(name) || !isSafeResponseHeaderValue(value)) return util::toValidUtf8(name);
    return std::nullopt;
}

}  // namespace tinko::http
