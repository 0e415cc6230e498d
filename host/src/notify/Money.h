#pragma once
// Amounts for people: integer minor units shown with the currency's own number of decimals
// (ISO 4217: JPY has none, KWD has three) and its symbol where one is common.
#include <string>

namespace tinko::notify {

int minorDigits(const std::string& currency);
// The English form, e.g. (1999, "USD") -> "$19.99", (1500, "JPY") -> "¥1,500", (1234, "KWD") -> "KWD 1.234"
std::string formatAmount(long long minor, const std::string& currency);
// The form customers of `locale` (BCP 47, e.g. "de-AT"; only the language counts) expect, after
// CLDR: separators, grouping and where the symbol goes. en, de, fr, es, it, nl, pt, ja and hi are
// known; any other language gets the English form. E.g. (1999, "EUR", "de") -> "19,99 €",
// (123456789, "INR", "hi") -> "₹12,34,567.89", (199999, "EUR", "fr") -> "1 999,99 €" (U+202F groups).
std::string formatAmount(long long minor, const std::string& currency, const std::string& locale);

}  // namespace tinko::notify
