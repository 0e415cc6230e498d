#pragma once
// tinko/helpers/money.hpp: Tinko's amounts in a provider's decimal format, and back. Tinko counts
// integer minor units of ISO 4217 (USD 1250 is $12.50, JPY 500 is ¥500, KWD 1234 is 1.234 KD);
// many providers (PayPal, Mollie, Adyen's display fields...) want a decimal string instead.
//
//     helpers::amountToDecimal(1250, "USD")        -> "12.50"
//     helpers::amountToDecimal(500, "JPY")         -> "500"
//     helpers::amountToDecimal(1234, "KWD")        -> "1.234"
//     helpers::decimalToAmount("12.5", "USD")      -> 1250
//
// A provider that allows fewer digits than ISO for some currency (PayPal takes HUF and TWD without
// decimals) builds on currencyExponent, formatDecimal and parseDecimal with its own digit count.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::sdk::helpers {

// The ISO 4217 minor-unit exponent of a currency code (upper case): 2 for USD, 0 for JPY, 3 for
// KWD; nullopt for a code the table does not know (withdrawn, a fund or metal code such as XAU,
// or not a currency at all).
inline std::optional<int> currencyExponent(std::string_view code) {
    struct CurrencyRow {
        std::string_view code;
        int exponent;
    };
    // Local, not static, like every table of these headers (see crypto.hpp's sha256).
    // ISO 4217 list one (current codes, 2024), minus funds-only and metal codes. Most currencies have
    // two minor digits; the rows below name every other.
    constexpr CurrencyRow kNotTwoDigits[] = {
        {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"ISK", 0}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"PYG", 0},
        {"RWF", 0}, {"UGX", 0}, {"UYI", 0}, {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
        {"BHD", 3}, {"IQD", 3}, {"JOD", 3}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3}, {"TND", 3},
        {"CLF", 4}, {"UYW", 4},
    };

    constexpr std::string_view kTwoDigits[] = {
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BMD", "BND",
        "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CNY", "COP", "COU",
        "CRC", "CUC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
        "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS",
        "KHR", "KPW", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP",
        "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN",
        "PGK", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE",
        "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS",
        "UAH", "USD", "USN", "UYU", "UZS", "VED", "VES", "WST", "XCD", "XCG", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
    };
    for (const CurrencyRow& row : kNotTwoDigits)
        if (row.code == code) return row.exponent;
    for (std::string_view two : kTwoDigits)
        if (two == code) return 2;
    return std::nullopt;
}

// 10^exponent, for 0 <= exponent <= 18.
inline std::int64_t powerOfTen(int exponent) {
    std::int64_t out = 1;
    for (int i = 0; i < exponent; ++i) out *= 10;
    return out;
}

// `units` with `digits` of them after the decimal point: (1250, 2) -> "12.50", (500, 0) -> "500",
// (-5, 2) -> "-0.05". `digits` is 0 to 18.
inline std::string formatDecimal(std::int64_t units, int digits) {
    const bool negative = units < 0;
    // Unsigned, so that the most negative value has a magnitude too.
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
    const auto scale = static_cast<std::uint64_t>(powerOfTen(digits));
    std::string out = (negative ? "-" : "") + std::to_string(magnitude / scale);
    if (digits == 0) return out;
    std::string fraction = std::to_string(magnitude % scale);
    fraction.insert(0, static_cast<std::size_t>(digits) - fraction.size(), '0');
    return out + "." + fraction;
}

// A plain non-negative decimal ("12", "12.5", "12.50", ".5") in units of 10^-digits: ("12.5", 2)
// -> 1250; nullopt for a sign, an exponent, spaces, more than `digits` fraction digits, "12." or
// a value beyond int64.
inline std::optional<std::int64_t> parseDecimal(std::string_view value, int digits) {
    const std::size_t point = value.find('.');
    const std::string_view whole = value.substr(0, point);
    const std::string_view fraction = point == std::string_view::npos ? std::string_view() : value.substr(point + 1);
    if (point != std::string_view::npos && fraction.empty()) return std::nullopt;   // "12."
    if (whole.empty() && fraction.empty()) return std::nullopt;
    if (fraction.size() > static_cast<std::size_t>(digits)) return std::nullopt;
    std::int64_t out = 0;
    auto append = [&out](char c) {
        if (c < '0' || c > '9') return false;
        const int digit = c - '0';
        if (out > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return false;
        out = out * 10 + digit;
        return true;
    };
    for (char c : whole)
        if (!append(c)) return std::nullopt;
    for (char c : fraction)
        if (!append(c)) return std::nullopt;
    for (std::size_t i = fraction.size(); i < static_cast<std::size_t>(digits); ++i)
        if (!append('0')) return std::nullopt;
    return out;
}

// `minorUnits` of `currency` as a decimal string with the currency's ISO digits: (1250, "USD") ->
// "12.50"; nullopt for a currency currencyExponent does not know.
inline std::optional<std::string> amountToDecimal(std::int64_t minorUnits, std::string_view currency) {
    const std::optional<int> exponent = currencyExponent(currency);
    if (!exponent) return std::nullopt;
    return formatDecimal(minorUnits, *exponent);
}

// Minor units of a provider's decimal string for `currency`: ("30.00", "USD") -> 3000, ("30",
// "USD") -> 3000; nullopt for an unknown currency or what parseDecimal refuses (including more
// digits than the currency has: "1.001" USD).
inline std::optional<std::int64_t> decimalToAmount(std::string_view value, std::string_view currency) {
    const std::optional<int> exponent = currencyExponent(currency);
    if (!exponent) return std::nullopt;
    return parseDecimal(value, *exponent);
}

}  // namespace tinko::sdk::helpers
