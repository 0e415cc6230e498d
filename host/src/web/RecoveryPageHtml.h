#pragma once
// The recovery page's HTML, as pure functions of what the customer should see, so the markup
// (escaping, brand colours, the accessible structure) is unit-tested without a server. One layout:
// a band in the merchant's colour with its name, a <main> with one <h1>, text at 4.5:1 or more,
// visible focus, targets at least 44 px high, and no script: paying is a plain form post.
#include "web/BrandColours.h"

#include <optional>
#include <string>

namespace tinko::web {

struct Merchant {
    std::string name;
    std::optional<std::string> brandColour;   // #rrggbb, or the default
};

struct PaymentDue {
    std::string token;      // the link's token: the form posts to /r/{token}/pay
    std::string amount;     // formatted for the currency, e.g. "$19.99"
    std::string expires;    // e.g. "25 Nov 2026, 10:00 UTC"
};

// The page that asks for the payment.
std::string payPageHtml(const Merchant& merchant, const PaymentDue& due);
// A page that only says something (unknown, expired, paid, closed links; thank you).
std::string messagePageHtml(const Merchant& merchant, const std::string& title, const std::string& message);
// The PSP declined at its checkout: nothing was charged, try again.
std::string declinedPageHtml(const Merchant& merchant, const std::string& token);

}  // namespace tinko::web
