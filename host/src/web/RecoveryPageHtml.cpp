#include "web/RecoveryPageHtml.h"

#include "notify/MessageTemplates.h"

namespace tinko::web {

namespace {
// Colours other than the brand's are fixed and checked once: #1a1a1a text and #4a4a4a secondary
// text on #ffffff are 17.4:1 and 8.9:1; the page background #f4f5f7 only frames the card.
const char* const kLayout = R"(<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{{title}}}</title>
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
button.secondary{margin-top:.75rem;color:#1a1a1a;background:#fff;border:2px solid #4a4a4a}
button:focus-visible{outline:3px solid {{accent}};outline-offset:3px}
.muted{color:#4a4a4a;font-size:.95rem}
@media (max-width:30rem){main{margin:0;border-radius:0;box-shadow:none}}
</style></head>
<body><header><p>{{merchant}}</p></header><main>{{{content}}}</main></body></html>
)";

// `titleHtml` and `contentHtml` are markup already (phrases come escaped from say()).
std::string layout(const PageText& text, const Merchant& merchant, const std::string& titleHtml, const std::string& contentHtml) {
    const ButtonColours colours = buttonColoursFor(merchant.brandColour);
    return notify::renderTemplate(kLayout,
                                  {{"lang", text.language}, {"title", titleHtml}, {"merchant", merchant.name},
                                   {"brand", colours.background}, {"brandText", colours.text}, {"accent", colours.accent},
                                   {"content", contentHtml}},
                                  true);
}

std::string markup(const std::string& pattern, const std::map<std::string, std::string>& parts) {
    return notify::renderTemplate(pattern, parts, false);   // the parts are escaped already
}

std::string escaped(const std::string& text) { return notify::renderTemplate("{{v}}", {{"v", text}}, true); }
}  // namespace

std::string payPageHtml(const PageText& text, const Merchant& merchant, const PaymentDue& due) {
    const std::map<std::string, std::string> values{{"merchant", merchant.name}, {"amount", due.amount}, {"expires", due.expires}};
    const std::string content = markup(
        "<h1>{{title}}</h1>"
        "<dl><dt id=\"amount-label\">{{amountDue}}</dt><dd id=\"amount\">{{amount}}</dd></dl>"
        "<form method=\"post\" action=\"/r/{{token}}/pay\">"
        "<button type=\"submit\" aria-describedby=\"where\">{{button}}</button></form>"
        "{{newCard}}"
        "<p class=\"muted\" id=\"where\">{{continue}}</p>"
        "<p class=\"muted\">{{validUntil}}</p>",
        {{"title", say(text, Phrase::PayTitle, values)}, {"amountDue", say(text, Phrase::AmountDue)},
         {"amount", escaped(due.amount)}, {"token", escaped(due.token)},
         {"button", say(text, Phrase::PayButton, values)}, {"continue", say(text, Phrase::ContinueToProvider)},
         {"validUntil", say(text, Phrase::ValidUntil, values)},
         {"newCard", due.offerNewCard ? markup("<form method=\"post\" action=\"/r/{{token}}/new-card\">"
                                               "<button type=\"submit\" class=\"secondary\" aria-describedby=\"where\">{{label}}</button></form>",
                                               {{"token", escaped(due.token)}, {"label", say(text, Phrase::UseAnotherCard)}})
                                      : ""}});
    return layout(text, merchant, say(text, Phrase::PayTitle, values), content);
}

std::string messagePageHtml(const PageText& text, const Merchant& merchant, Phrase title, Phrase message,
                            const std::map<std::string, std::string>& values) {
    auto filled = values;
    filled["merchant"] = merchant.name;
    const std::string titleHtml = say(text, title, filled);
    return layout(text, merchant, titleHtml,
                  markup("<h1>{{title}}</h1><p class=\"muted\">{{message}}</p>", {{"title", titleHtml}, {"message", say(text, message, filled)}}));
}

std::string declinedPageHtml(const PageText& text, const Merchant& merchant, const std::string& token) {
    const std::string titleHtml = say(text, Phrase::DeclinedTitle);
    return layout(text, merchant, titleHtml,
                  markup("<h1>{{title}}</h1><p class=\"muted\">{{text}}</p><form method=\"get\" action=\"/r/{{token}}\">"
                         "<button type=\"submit\">{{again}}</button></form>",
                         {{"title", titleHtml}, {"text", say(text, Phrase::DeclinedText)},
                          {"token", escaped(token)}, {"again", say(text, Phrase::TryAgain)}}));
}

}  // namespace tinko::web
