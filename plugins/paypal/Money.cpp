#include "Money.h"

#include "tinko/helpers/money.hpp"
#include "tinko/sdk.hpp"

namespace tinko::paypal {

namespace helpers = sdk::helpers;

namespace {

// PayPal's "This currency does not support decimals" (developer.paypal.com, currency codes).
constexpr std::string_view kPayPalWithoutDecimals[] = {"HUF", "TWD"};

}  // namespace

std::optional<CurrencyDigits> currencyDigits(std::string_view code) {
    const std::optional<int> iso = helpers::currencyExponent(code);
    if (!iso) return std::nullopt;
    for (std::string_view none : kPayPalWithoutDecimals)
        if (none == code) return CurrencyDigits{*iso, 0};
    return CurrencyDigits{*iso, *iso};
}

std::string formatAmount(std::int64_t minorUnits, std::string_view currency) {
    const std::optional<CurrencyDigits> digits = currencyDigits(currency);
    if (!digits) throw sdk::invalidInput("currency " + std::string(currency) + " is not an ISO 4217 currency this plugin knows");
    if (minorUnits <= 0) throw sdk::invalidInput("amount must be a positive integer in minor units");
    const std::int64_t dropped = helpers::powerOfTen(digits->iso - digits->paypal);   // minor digits PayPal does not take
    if (minorUnits % dropped != 0)
        throw sdk::invalidInput("PayPal takes " + std::string(currency) + " amounts without decimals; " +
                                std::to_string(minorUnits) + " minor units is not a whole number");
    return helpers::formatDecimal(minorUnits / dropped, digits->paypal);
}

std::optional<std::int64_t> parseAmount(std::string_view value, std::string_view currency) {
    return helpers::decimalToAmount(value, currency);
}

}  // namespace tinko::paypal
