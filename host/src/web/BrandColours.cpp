#include "web/BrandColours.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace tinko::web {

namespace {
int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

double linear(int channel) {
    const double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

const Rgb kWhite{255, 255, 255};
// Black, not a softer dark grey: with black, one of the two always reaches 4.5:1 (the worst brand
// colour gives 4.58), while #111 would leave mid-tones at 4.35.
const Rgb kBlack{0, 0, 0};

// The colour scaled towards black until it reaches `ratio` against white.
Rgb darkenedUntil(Rgb colour, double ratio) {
    for (int step = 0; step < 100 && contrastRatio(colour, kWhite) < ratio; ++step)
        colour = {colour.r * 9 / 10, colour.g * 9 / 10, colour.b * 9 / 10};
    return colour;
}
}  // namespace

std::optional<Rgb> parseHexColour(const std::string& text) {
    if (text.empty() || text[0] != '#' || (text.size() != 4 && text.size() != 7)) return std::nullopt;
    int digits[6];
    const std::size_t n = text.size() - 1;
    for (std::size_t i = 0; i < n; ++i)
        if ((digits[i] = hexDigit(text[i + 1])) < 0) return std::nullopt;
    if (n == 3) return Rgb{digits[0] * 17, digits[1] * 17, digits[2] * 17};
    return Rgb{digits[0] * 16 + digits[1], digits[2] * 16 + digits[3], digits[4] * 16 + digits[5]};
}

std::string hexOf(const Rgb& colour) {
    char out[8];
    std::snprintf(out, sizeof out, "#%02x%02x%02x", colour.r, colour.g, colour.b);
    return out;
}

double relativeLuminance(const Rgb& colour) {
    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b);
}

double contrastRatio(const Rgb& a, const Rgb& b) {
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

ButtonColours buttonColoursFor(const std::optional<std::string>& brandColour) {
    const Rgb brand = (brandColour ? parseHexColour(*brandColour) : std::nullopt)
                          .value_or(*parseHexColour(kDefaultBrandColour));
    const double onWhite = contrastRatio(brand, kWhite), onDark = contrastRatio(brand, kBlack);
    ButtonColours out;
    out.background = hexOf(brand);
    out.text = onWhite >= onDark ? "#ffffff" : "#000000";
    out.contrast = std::max(onWhite, onDark);
    out.accent = hexOf(darkenedUntil(brand, 3.0));
    return out;
}

}  // namespace tinko::web
