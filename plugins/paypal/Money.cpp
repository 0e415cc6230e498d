#include "Money.h"

#include "tinko/sdk.hpp"

#include <limits>

namespace tinko::paypal {

namespace {

struct CurrencyRow {
    std::string_view code;
    int iso;
};

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

// PayPal's "This currency does not support decimals" (developer.paypal.com, currency codes).
constexpr std::string_view kPayPalWithoutDecimals[] = {"HUF", "TWD"};

std::int64_t powerOfTen(int exponent) {
    std::int64_t out = 1;
    for (int i = 0; i < exponent; ++i) out *= 10;
    return out;
}

}  // namespace

std::optional<CurrencyDigits> currencyDigits(std::string_view code) {
    for (const CurrencyRow& row : kNotTwoDigits)
        if (row.code == code) return CurrencyDigits{row.iso, row.iso};
    for (std::string_view two : kTwoDigits) {
        if (two != code) continue;
        for (std::string_view none : kPayPalWithoutDecimals)
            if (none == code) return CurrencyDigits{2, 0};
        return CurrencyDigits{2, 2};
    }
    return std::nullopt;
}

std::string formatAmount(std::int64_t minorUnits, std::string_view currency) {
    const std::optional<CurrencyDigits> digits = currencyDigits(currency);
    if (!digits) throw sdk::invalidInput("currency " + std::string(currency) + " is not an ISO 4217 currency this plugin knows");
    if (minorUnits <= 0) throw sdk::invalidInput("amount must be a positive integer in minor units");
    const std::int64_t dropped = powerOfTen(digits->iso - digits->paypal);   // minor digits PayPal does not take
    if (minorUnits % dropped != 0)
        throw sdk::invalidInput("PayPal takes " + std::string(currency) + " amounts without decimals; " +
                                std::to_string(minorUnits) + " minor units is not a whole number");
    const std::int64_t units = minorUnits / dropped;
    if (digits->paypal == 0) return std::to_string(units);
    const std::int64_t scale = powerOfTen(digits->paypal);
    std::string fraction = std::to_string(units % scale);
    fraction.insert(0, static_cast<std::size_t>(digits->paypal) - fraction.size(), '0');
    return std::to_string(units / scale) + "." + fraction;
}

std::optional<std::int64_t> parseAmount(std::string_view value, std::string_view currency) {
    const std::optional<CurrencyDigits> digits = currencyDigits(currency);
    if (!digits || value.empty()) return std::nullopt;
    const std::size_t point = value.find('.');
    const std::string_view whole = value.substr(0, point);
    const std::string_view fraction = point == std::string_view::npos ? std::string_view() : value.substr(point + 1);
    if (point != std::string_view::npos && fraction.empty()) return std::nullopt;   // "12."
    if (whole.empty() && fraction.empty()) return std::nullopt;
    if (fraction.size() > static_cast<std::size_t>(digits->iso)) return std::nullopt;
    std::int64_t minor = 0;
    auto append = [&](char c) {
        if (c < '0' || c > '9') return false;
        const int digit = c - '0';
        if (minor > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return false;
        minor = minor * 10 + digit;
        return true;
    };
    for (char c : whole)
        if (!append(c)) return std::nullopt;
    for (char c : fraction)
        if (!append(c)) return std::nullopt;
    for (std::size_t i = fraction.size(); i < static_cast<std::size_t>(digits->iso); ++i)
        if (!append('0')) return std::nullopt;
    return minor;
}

}  // namespace tinko::paypal
