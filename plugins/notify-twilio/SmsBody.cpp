#include "SmsBody.h"

#include "tinko/sdk.hpp"

#include <cctype>
#include <cstdint>
#include <vector>

namespace tinko::twilio {

namespace {

// [start, end) in characters.
struct Span {
    std::size_t start = 0;
    std::size_t end = 0;
    std::size_t length() const { return end - start; }
    bool operator==(const Span& other) const { return start == other.start && end == other.end; }
};

// The text as characters: where each starts in the bytes (plus the end), and which are whitespace.
struct Characters {
    std::vector<std::size_t> offsets;   // size() == count + 1
    std::vector<bool> space;

    explicit Characters(std::string_view text) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            const auto byte = static_cast<unsigned char>(text[i]);
            if ((byte & 0xC0) == 0x80) continue;   // a continuation byte
            offsets.push_back(i);
            space.push_back(byte < 0x80 && std::isspace(byte));
        }
        offsets.push_back(text.size());
    }
    std::size_t count() const { return offsets.size() - 1; }
    // The character index at byte `offset`, which starts a character.
    std::size_t at(std::size_t offset) const {
        std::size_t lo = 0, hi = count();
        while (lo < hi) {
            const std::size_t mid = (lo + hi) / 2;
            if (offsets[mid] < offset) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
};

bool startsWithNoCase(std::string_view text, std::size_t at, std::string_view prefix) {
    if (text.size() - at < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[at + i])) != prefix[i]) return false;
    return true;
}

// Every http(s) link, as characters: from the scheme to the next whitespace.
std::vector<Span> findLinks(std::string_view text, const Characters& chars) {
    std::vector<Span> links;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!startsWithNoCase(text, i, "http://") && !startsWithNoCase(text, i, "https://")) {
            ++i;
            continue;
        }
        const std::size_t start = chars.at(i);
        std::size_t end = start;
        while (end < chars.count() && !chars.space[end]) ++end;
        links.push_back({start, end});
        i = chars.offsets[end];
    }
    return links;
}

bool insideLink(std::size_t cut, const std::vector<Span>& links) {
    for (const Span& link : links)
        if (link.start < cut && cut < link.end) return true;
    return false;
}

// Where to cut so that at most `budget` characters stay: the last whitespace boundary in the later
// half of the budget, else the last character boundary; never inside a link.
std::size_t cutPoint(const Characters& chars, const std::vector<Span>& links, std::size_t budget) {
    for (std::size_t c = budget; c > 0 && c >= budget / 2; --c)
        if ((chars.space[c] || chars.space[c - 1]) && !insideLink(c, links)) return c;
    std::size_t c = budget;
    while (c > 0 && insideLink(c, links)) --c;
    return c;
}

}  // namespace

bool isValidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t cp = 0;
        if (lead < 0x80) length = 1, cp = lead;
        else if ((lead & 0xE0) == 0xC0) length = 2, cp = lead & 0x1F;
        else if ((lead & 0xF0) == 0xE0) length = 3, cp = lead & 0x0F;
        else if ((lead & 0xF8) == 0xF0) length = 4, cp = lead & 0x07;
        else return false;
        if (text.size() - i < length) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (next & 0x3F);
        }
        const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < smallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;   // overlong, surrogate
        i += length;
    }
    return true;
}

std::size_t countCharacters(std::string_view text) {
    std::size_t n = 0;
    for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

std::string fitSmsBody(std::string_view text, std::size_t maxCharacters) {
    const Characters chars(text);
    if (chars.count() <= maxCharacters) return std::string(text);

    const std::vector<Span> links = findLinks(text, chars);
    for (const Span& link : links)
        if (link.length() + 1 > maxCharacters)
            throw sdk::invalidInput("text holds a link of " + std::to_string(link.length()) + " characters; an SMS takes " +
                                    std::to_string(maxCharacters) + " and a link is never cut");

    // Links the cut would drop go after the mark; each one moved there shortens the budget, which
    // may move the cut before another link: repeat until the set of moved links settles.
    std::vector<Span> moved;
    std::size_t cut = 0;
    for (;;) {
        std::size_t movedLength = 0;
        for (const Span& link : moved) movedLength += 1 + link.length();   // a space before each
        if (movedLength + 1 > maxCharacters)
            throw sdk::invalidInput("text holds more links than an SMS of " + std::to_string(maxCharacters) +
                                    " characters takes whole");
        cut = cutPoint(chars, links, maxCharacters - 1 - movedLength);
        std::vector<Span> after;
        for (const Span& link : links)
            if (link.start >= cut) after.push_back(link);
        if (after == moved) break;
        moved = std::move(after);
    }

    std::size_t keep = cut;
    while (keep > 0 && chars.space[keep - 1]) --keep;
    std::string out(text.substr(0, chars.offsets[keep]));
    out += kCutMark;
    for (const Span& link : moved) {
        out += ' ';
        out += text.substr(chars.offsets[link.start], chars.offsets[link.end] - chars.offsets[link.start]);
    }
    return out;
}

}  // namespace tinko::twilio
