#include "notify/Money.h"

#include "notify/Locales.h"
#include "tinko/helpers/money.hpp"

#include <algorithm>
#include <map>

namespace tinko::notify {

namespace {
// How one language writes money (CLDR's standard currency pattern for it).
struct MoneyStyle {
    std::string decimal;
    std::string group;
    bool symbolFirst;        // "$19.99" rather than "19,99 €"
    bool spaceAfterSymbol;   // "€ 19,99" (a symbol written after the number always gets a space)
    int minimumGrouping;     // 2: a four-digit whole part is not grouped (Spanish "1234,56 €")
    bool indianGrouping;     // 12,34,567: groups of two above the first three
};

const MoneyStyle& styleFor(const std::string& locale) {
    static const MoneyStyle english{".", ",", true, false, 1, false};
    static const std::map<std::string, MoneyStyle> styles{
        {"en", english},
        {"de", {",", ".", false, false, 1, false}},
        {"fr", {",", "\u202F", false, false, 1, false}},
        {"es", {",", ".", false, false, 2, false}},
        {"it", {",", ".", false, false, 1, false}},
        {"nl", {",", ".", true, true, 1, false}},
        {"pt", {",", ".", true, true, 1, false}},
        {"ja", {".", ",", true, false, 1, false}},
        {"hi", {".", ",", true, false, 1, true}},
    };
    auto found = styles.find(localeLanguage(locale));
    return found != styles.end() ? found->second : english;
}

std::string grouped(std::string whole, const MoneyStyle& style) {
    if (static_cast<int>(whole.size()) < 4 + (style.minimumGrouping - 1)) return whole;
    std::string out;
    int position = static_cast<int>(whole.size()) - 3;
    std::string tail = whole.substr(static_cast<std::size_t>(position));
    const int step = style.indianGrouping ? 2 : 3;
    while (position > 0) {
        const int start = std::max(0, position - step);
        tail = whole.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(position - start)) + style.group + tail;
        position = start;
    }
    return tail;
}
}  // namespace

// The plugins' ISO 4217 table (the SDK's), so a page and a provider never disagree on the digits.
int minorDigits(const std::string& currency) { return sdk::helpers::currencyExponent(currency).value_or(2); }

std::string formatAmount(long long minor, const std::string& currency) { return formatAmount(minor, currency, "en"); }

std::string formatAmount(long long minor, const std::string& currency, const std::string& locale) {
    static const std::map<std::string, std::string> symbols{
        {"USD", "$"}, {"EUR", "€"}, {"GBP", "£"}, {"INR", "₹"}, {"JPY", "¥"}, {"AUD", "A$"}, {"CAD", "C$"}};
    const MoneyStyle& style = styleFor(locale);
    const int digits = minorDigits(currency);
    const bool negative = minor < 0;
    unsigned long long value = negative ? 0ULL - static_cast<unsigned long long>(minor) : static_cast<unsigned long long>(minor);
    unsigned long long divisor = 1;
    for (int i = 0; i < digits; ++i) divisor *= 10;
    std::string number = grouped(std::to_string(value / divisor), style);
    if (digits > 0) {
        std::string fraction = std::to_string(value % divisor);
        number += style.decimal + std::string(static_cast<std::size_t>(digits) - fraction.size(), '0') + fraction;
    }
    if (negative) number = "-" + number;
    auto symbol = symbols.find(currency);
    const bool isCode = symbol == symbols.end();
    const std::string mark = isCode ? currency : symbol->second;
    if (!style.symbolFirst) return number + " " + mark;
    const bool space = isCode || style.spaceAfterSymbol;
    // English puts the sign before the symbol ("-$19.99"); a spaced symbol keeps it ("€ -19,99").
    if (negative && !space) return "-" + mark + number.substr(1);
    return mark + (space ? " " : "") + number;
}

}  // namespace tinko::notify
