#include "TextEncoding.h"

#include "tinko/helpers/crypto.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace tinko::smtp {

namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

// RFC 2045 6.7: an encoded line is at most 76 characters, the "=" of a soft line break included.
constexpr std::size_t kMaxEncodedLine = 76;
// 42 bytes are 56 base64 characters: "Subject: " + "=?UTF-8?B?" + 56 + "?=" is 77 characters.
constexpr std::size_t kMaxBytesPerEncodedWord = 42;

bool isContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

std::string escaped(unsigned char c) { return {'=', kHexDigits[c >> 4], kHexDigits[c & 0x0F]}; }

// One line of text (without its CRLF) as quoted-printable tokens: a literal character or an =XX.
std::vector<std::string> quotedPrintableTokens(std::string_view line) {
    std::vector<std::string> tokens;
    tokens.reserve(line.size());
    for (std::size_t i = 0; i < line.size(); ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        const bool last = i + 1 == line.size();
        const bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
        tokens.push_back(literal ? std::string(1, static_cast<char>(c)) : escaped(c));
    }
    return tokens;
}

}  // namespace

bool isAscii(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) > 0x7F) return false;
    return true;
}

bool isPrintableAscii(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return false;
    return true;
}

bool isValidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length;
        std::uint32_t codePoint;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            codePoint = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            codePoint = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            codePoint = lead & 0x07;
        } else {
            return false;
        }
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            if (!isContinuationByte(c)) return false;
            codePoint = (codePoint << 6) | (c & 0x3F);
        }
        const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (codePoint < smallest[length]) return false;                    // overlong
        if (codePoint > 0x10FFFF) return false;
        if (codePoint >= 0xD800 && codePoint <= 0xDFFF) return false;      // a UTF-16 surrogate
        i += length;
    }
    return true;
}

bool containsLineBreak(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

std::string toCrlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (text[i] == '\n') {
            out += "\r\n";
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string base64Body(std::string_view bytes) {
    const std::string encoded = sdk::helpers::base64(bytes);
    std::string out;
    out.reserve(encoded.size() + encoded.size() / kMaxEncodedLine * 2 + 2);
    for (std::size_t i = 0; i < encoded.size(); i += kMaxEncodedLine) {
        out.append(encoded, i, kMaxEncodedLine);
        out += "\r\n";
    }
    return out;
}

std::string quotedPrintable(std::string_view crlfText) {
    std::string out;
    out.reserve(crlfText.size() + crlfText.size() / 8);
    std::size_t start = 0;
    while (start < crlfText.size()) {
        std::size_t end = crlfText.find("\r\n", start);
        const bool hardBreak = end != std::string_view::npos;
        if (!hardBreak) end = crlfText.size();

        const std::vector<std::string> tokens = quotedPrintableTokens(crlfText.substr(start, end - start));
        std::size_t lineLength = 0;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            // Leave room for the "=" of a soft break unless this token ends the line.
            const std::size_t limit = i + 1 == tokens.size() ? kMaxEncodedLine : kMaxEncodedLine - 1;
            if (lineLength + tokens[i].size() > limit) {
                out += "=\r\n";
                lineLength = 0;
            }
            out += tokens[i];
            lineLength += tokens[i].size();
        }
        if (hardBreak) out += "\r\n";
        start = hardBreak ? end + 2 : end;
    }
    return out;
}

std::string encodedWords(std::string_view utf8Text) {
    std::string out;
    std::size_t start = 0;
    while (start < utf8Text.size()) {
        std::size_t end = std::min(start + kMaxBytesPerEncodedWord, utf8Text.size());
        // Never cut a UTF-8 sequence: back up to the start of the character at the cut.
        while (end < utf8Text.size() && end > start + 1 && isContinuationByte(static_cast<unsigned char>(utf8Text[end])))
            --end;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + sdk::helpers::base64(utf8Text.substr(start, end - start)) + "?=";
        start = end;
    }
    return out;
}

}  // namespace tinko::smtp
