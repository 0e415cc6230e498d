#pragma once
// Amounts for people: integer minor units shown with the currency's own number of decimals
// (ISO 4217: JPY has none, KWD has three) and its symbol where one is common.
#include <string>

namespace tinko::notify {

int minorDigits(const std::string& currency);
// e.g. (1999, "USD") -> "$19.99", (1500, "JPY") -> "¥1,500", (1234, "KWD") -> "KWD 1.234"
std::string formatAmount(long long minor, const std::string& currency);

}  // namespace tinko::notify
