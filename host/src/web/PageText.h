#pragma once
// The recovery page's words in the customer's language. The customer's locale (from the failed
// payment's customer.locale, else the browser's Accept-Language) picks one of the languages below
// by its language part; any other gets English. Phrases are Mustache: {{merchant}}, {{amount}},
// {{expires}} are filled in (and HTML-escaped) by the page.
#include <map>
#include <string>
#include <vector>

namespace tinko::web {

enum class Phrase {
    SecurePayment,       // the band's text when the merchant is not known
    PayTitle,            // "Complete your payment to {{merchant}}"
    AmountDue,
    PayButton,           // "Pay {{amount}}"
    ContinueToProvider,
    ValidUntil,          // "This link is valid until {{expires}}."
    UnknownTitle, UnknownText,
    PaidTitle, PaidText,
    ClosedTitle, ClosedText,
    ExpiredTitle, ExpiredText,
    UnavailableTitle, UnavailableText,
    ProviderDownTitle, ProviderDownRetry, ProviderDownLater,
    ConfirmingTitle, ConfirmingText,
    ReceivedTitle, ReceivedText,
    NotConfirmedTitle, NotConfirmedText,
    DeclinedTitle, DeclinedText, TryAgain,
    UseAnotherCard,      // the recovery page's second button, where the PSP can save a new card
};

struct PageText {
    std::string language;   // for <html lang> and amounts: "en", "de", ...
    std::map<Phrase, std::string> phrases;
};

// The languages the page speaks; English first.
const std::vector<PageText>& pageLanguages();

// The customer's language: the first of `preferences` (locale tags, in order) whose language part
// the page speaks, else English.
const PageText& pageTextFor(const std::vector<std::string>& preferences);

// The languages of an Accept-Language header, most wanted first ("de-AT,de;q=0.9,en;q=0.5").
std::vector<std::string> acceptedLanguages(const std::string& header);

// `phrase` in `text`'s language, with `values` filled in; HTML-escaped.
std::string say(const PageText& text, Phrase phrase, const std::map<std::string, std::string>& values = {});

}  // namespace tinko::web
