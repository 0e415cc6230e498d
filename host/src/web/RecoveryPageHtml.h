#pragma once
// The recovery page's HTML, as pure functions of what the customer should see, so the markup
// (escaping, brand colours, language, the accessible structure) is unit-tested without a server.
// One layout: a band in the merchant's colour with its name, a <main> with one <h1>, text at
// 4.5:1 or more, visible focus, targets at least 44 px high, and no script: paying is a plain
// form post. The words come from web/PageText in the customer's language.
#include "web/BrandColours.h"
#include "web/PageText.h"

#include <map>
#include <optional>
#include <string>

namespace tinko::web {

struct Merchant {
    std::string name;
    std::optional<std::string> brandColour;   // #rrggbb, or the default
};

struct PaymentDue {
    std::string token;      // the link's token: the form posts to /r/{token}/pay
    std::string amount;     // formatted for the currency and language, e.g. "19,99 €"
    std::string expires;    // e.g. "2026-11-25 10:00 UTC"
    // Also offer "Use another card" (a form posting to /r/{token}/new-card): the org's PSP can save
    // a new payment method and the failed payment names one to charge again.
    bool offerNewCard = false;
};

// The page that asks for the payment.
std::string payPageHtml(const PageText& text, const Merchant& merchant, const PaymentDue& due);
// A page that only says something (unknown, expired, paid, closed links; thank you): `title` and
// `message` with `values` ({{expires}}; {{merchant}} is filled in).
std::string messagePageHtml(const PageText& text, const Merchant& merchant, Phrase title, Phrase message,
                            const std::map<std::string, std::string>& values = {});
// The PSP declined at its checkout: nothing was charged, try again.
std::string declinedPageHtml(const PageText& text, const Merchant& merchant, const std::string& token);

}  // namespace tinko::web
