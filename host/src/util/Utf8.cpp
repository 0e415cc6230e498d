#include "util/Utf8.h"

namespace tinko::util {

namespace {
// Length of the well-formed sequence starting at `i`, or 0 when none starts there.
std::size_t sequenceLength(const std::string& s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b = byte(i);
    if (b < 0x80) return 1;
    std::size_t length;
    unsigned char low = 0x80, high = 0xBF;   // allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) length = 2;
    else if (b == 0xE0) length = 3, low = 0xA0;           // no overlong 3-byte forms
    else if (b == 0xED) length = 3, high = 0x9F;          // no UTF-16 surrogates
    else if (b >= 0xE1 && b <= 0xEF) length = 3;
    else if (b == 0xF0) length = 4, low = 0x90;           // no overlong 4-byte forms
    else if (b == 0xF4) length = 4, high = 0x8F;          // nothing above U+10FFFF
    else if (b >= 0xF1 && b <= 0xF3) length = 4;
    else return 0;
    if (i + length > s.size()) return 0;
    if (byte(i + 1) < low || byte(i + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    return length;
}
}  // namespace

std::optional<std::size_t> firstInvalidUtf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = sequenceLength(text, i);
        if (n == 0) return i;
        i += n;
    }
    return std::nullopt;
}

std::string toValidUtf8(const std::string& text) {
    if (isValidUtf8(text)) return text;
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = sequenceLength(text, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text, i, n);
            i += n;
        }
    }
    return out;
}

}  // namespace tinko::util
