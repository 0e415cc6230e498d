#pragma once
// The merchant's brand colour on the recovery page, kept readable: WCAG 2.1 contrast (relative
// luminance, ratio (L1 + 0.05) / (L2 + 0.05)) decides the text colour on the brand-coloured pay
// button, so any colour a merchant picks still gives a button whose label reaches 4.5:1.
#include <optional>
#include <string>

namespace tinko::web {

struct Rgb {
    int r = 0, g = 0, b = 0;
};

// "#1F4FD1", "#1f4fd1" or "#abc" -> the colour; anything else -> nullopt.
std::optional<Rgb> parseHexColour(const std::string& text);
// Lower-case "#rrggbb".
std::string hexOf(const Rgb& colour);

double relativeLuminance(const Rgb& colour);
double contrastRatio(const Rgb& a, const Rgb& b);

struct ButtonColours {
    std::string background;   // "#rrggbb": the brand colour
    std::string text;         // "#ffffff" or "#000000", whichever reads better on it
    double contrast = 0;      // text against background
    std::string accent;       // for the page's top band and focus ring: the brand colour, or a darker
                              // one when the brand is too light to see on white (3:1, WCAG 1.4.11)
};

// The page's default when the org set no colour.
inline const char* const kDefaultBrandColour = "#1f4fd1";

ButtonColours buttonColoursFor(const std::optional<std::string>& brandColour);

}  // namespace tinko::web
