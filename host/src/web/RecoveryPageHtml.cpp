#include "web/RecoveryPageHtml.h"

#include "notify/MessageTemplates.h"

namespace tinko::web {

namespace {
// Colours other than the brand's are fixed and checked once: #1a1a1a text and #4a4a4a secondary
// text on #ffffff are 17.4:1 and 8.9:1; the page background #f4f5f7 only frames the card.
const char* const kLayout = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1a1a1a}
header{background:{{brand}};color:{{brandText}};padding:1rem 1.25rem}
header p{margin:0 auto;max-width:28rem;font-weight:600;font-size:1.1rem}
main{max-width:28rem;margin:1.5rem auto;padding:1.5rem 1.25rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.3rem;line-height:1.3;margin:0 0 1rem}
dl{margin:0 0 1.5rem}
dt{color:#4a4a4a;font-size:.95rem}
dd{margin:0;font-size:2.25rem;font-weight:700;overflow-wrap:anywhere}
button{display:block;width:100%;min-height:3rem;padding:.9rem 1rem;font:inherit;font-size:1.125rem;font-weight:600;
color:{{brandText}};background:{{brand}};border:0;border-radius:8px;cursor:pointer}
button:hover{filter:brightness(.95)}
button:focus-visible{outline:3px solid {{accent}};outline-offset:3px}
.muted{color:#4a4a4a;font-size:.95rem}
@media (max-width:30rem){main{margin:0;border-radius:0;box-shadow:none}}
</style></head>
<body><header><p>{{merchant}}</p></header><main>{{{content}}}</main></body></html>
)";

std::string layout(const Merchant& merchant, const std::string& title, const std::string& content) {
    const ButtonColours colours = buttonColoursFor(merchant.brandColour);
    return notify::renderTemplate(kLayout,
                                  {{"title", title}, {"merchant", merchant.name}, {"brand", colours.background},
                                   {"brandText", colours.text}, {"accent", colours.accent}, {"content", content}},
                                  true);
}
}  // namespace

std::string payPageHtml(const Merchant& merchant, const PaymentDue& due) {
    const std::string content = notify::renderTemplate(
        "<h1>Complete your payment to {{merchant}}</h1>"
        "<dl><dt id=\"amount-label\">Amount due</dt><dd id=\"amount\">{{amount}}</dd></dl>"
        "<form method=\"post\" action=\"/r/{{token}}/pay\">"
        "<button type=\"submit\" aria-describedby=\"where\">Pay {{amount}}</button></form>"
        "<p class=\"muted\" id=\"where\">You will continue to our payment provider to pay securely.</p>"
        "<p class=\"muted\">This link is valid until {{expires}}.</p>",
        {{"merchant", merchant.name}, {"amount", due.amount}, {"token", due.token}, {"expires", due.expires}}, true);
    return layout(merchant, "Pay " + merchant.name, content);
}

std::string messagePageHtml(const Merchant& merchant, const std::string& title, const std::string& message) {
    return layout(merchant, title,
                  notify::renderTemplate("<h1>{{title}}</h1><p class=\"muted\">{{message}}</p>",
                                         {{"title", title}, {"message", message}}, true));
}

std::string declinedPageHtml(const Merchant& merchant, const std::string& token) {
    const std::string title = "The payment did not go through";
    return layout(merchant, title,
                  notify::renderTemplate(
                      "<h1>{{title}}</h1><p class=\"muted\">Nothing was charged. You can try again with another "
                      "payment method.</p><form method=\"get\" action=\"/r/{{token}}\"><button type=\"submit\">Try again"
                      "</button></form>",
                      {{"title", title}, {"token", token}}, true));
}

}  // namespace tinko::web
