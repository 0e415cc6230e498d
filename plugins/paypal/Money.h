#pragma once
// Amounts between Tinko and PayPal. Tinko counts integer minor units of ISO 4217 (USD 1250 is
// $12.50, JPY 500 is ¥500, KWD 1234 is 1.234 KD); PayPal wants a decimal string with as many
// digits after the point as it allows for the currency. Usually that is the ISO exponent, but
// PayPal takes no decimals at all for HUF and TWD (its currency-codes page), though ISO gives them
// two: 10000 HUF minor units are "100" at PayPal, and 10050 cannot be sent.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::paypal {

struct CurrencyDigits {
    int iso;      // ISO 4217 minor-unit exponent: Tinko's amounts
    int paypal;   // digits PayPal accepts after the decimal point (<= iso)
};

// The digits of an ISO 4217 code (upper case), or nullopt for a code the table does not know
// (withdrawn, a fund or metal code such as XAU, or not a currency at all).
std::optional<CurrencyDigits> currencyDigits(std::string_view code);

// PayPal's "value" for `minorUnits` of `currency`: "12.50", "500", "1.234". Throws
// sdk::Error(TINKO_ERR_INVALID_INPUT) for an unknown currency, an amount that is not positive, or
// one PayPal cannot take (a HUF amount with fillér).
std::string formatAmount(std::int64_t minorUnits, std::string_view currency);

// Tinko's minor units for PayPal's "value" of `currency` ("30.00" USD -> 3000, "30" HUF ->
// 3000); nullopt when the currency is unknown or the text is not a plain non-negative decimal
// with at most the currency's digits.
std::optional<std::int64_t> parseAmount(std::string_view value, std::string_view currency);

}  // namespace tinko::paypal
