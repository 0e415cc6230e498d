#include "web/RecoveryPages.h"

#include "notify/Money.h"
#include "plugins/Capabilities.h"
#include "recovery/WebhookUrl.h"
#include "security/SecretTokens.h"
#include "util/Log.h"
#include "web/RecoveryPageHtml.h"

#include <Poco/JSON/Parser.h>

#include <chrono>
#include <sstream>

namespace tinko::web {

using namespace tinko::http;

namespace {
HttpResponse html(int status, const std::string& body) {
    HttpResponse r;
    r.status = status;
    r.contentType = "text/html; charset=utf-8";
    r.body = body;
    // No script runs on these pages and nothing may frame them; styles are inline (the brand colour).
    r.withHeader("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'")
        .withHeader("X-Frame-Options", "DENY")
        .withHeader("Referrer-Policy", "no-referrer")
        .withHeader("Cache-Control", "no-store");
    return r;
}

Merchant merchantOf(const store::LinkView& link) { return {link.orgName, link.brandColor}; }

// The customer's language: the failed payment's customer.locale, else what the browser asks for.
const PageText& languageOf(const HttpRequest& req, const store::LinkView* link) {
    std::vector<std::string> preferences;
    if (link) {
        try {
            Poco::JSON::Parser parser;
            auto customer = parser.parse(link->customerJson).extract<Poco::JSON::Object::Ptr>();
            if (customer) preferences.push_back(customer->optValue<std::string>("locale", ""));
        } catch (const Poco::Exception&) {
            // stored by the intake, so JSON; the browser's language then
        }
    }
    auto accept = req.headers.find("accept-language");
    if (accept != req.headers.end())
        for (auto& tag : acceptedLanguages(accept->second)) preferences.push_back(std::move(tag));
    return pageTextFor(preferences);
}

HttpResponse messagePage(int status, const PageText& text, const store::LinkView& link, Phrase title, Phrase message) {
    return html(status, messagePageHtml(text, merchantOf(link), title, message, {{"expires", link.expiresAt}}));
}

HttpResponse unknownLink(const HttpRequest& req) {
    const PageText& text = languageOf(req, nullptr);
    return html(404, messagePageHtml(text, {text.phrases.at(Phrase::SecurePayment), std::nullopt}, Phrase::UnknownTitle,
                                     Phrase::UnknownText));
}

std::optional<store::LinkView> lookup(store::LinkStore& links, const std::string& token) {
    if (token.size() < 20 || token.size() > 64) return std::nullopt;
    return links.find(security::sha256Hex(token));
}

// Whether the payment may still be made: an exhausted recovery has sent its last message, whose
// link stays good until it expires; a cancelled or unrecoverable one takes nothing more.
bool collecting(const store::LinkView& link) {
    return link.recoveryState == "active" || link.recoveryState == "exhausted";
}

// Only a checked URL goes into Location: a PSP answer (or a peer posing as the PSP) must not inject
// headers or send the customer elsewhere. A refused URL gets the "try later" page.
HttpResponse checkoutRedirect(const plugins::EgressPolicy& egress, const std::vector<std::string>& checkoutHosts,
                              const std::string& url, const PageText& text, const store::LinkView& link,
                              const std::string& plugin) {
    if (const std::string why = egress.checkoutUrlProblem(checkoutHosts, url); !why.empty()) {
        log::warn("tinko.web", "refused the PSP's checkout URL",
                  {{"recovery", std::to_string(link.recoveryId)}, {"plugin", plugin}, {"reason", why}});
        return messagePage(502, text, link, Phrase::ProviderDownTitle, Phrase::ProviderDownLater);
    }
    HttpResponse r;
    r.status = 303;
    r.contentType = "text/plain";
    r.withHeader("Location", url);
    return r;
}

long long unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A create_checkout request for this link's payment, answered into the page's own words when the
// PSP fails (its text goes to the log only). `keyPrefix` keeps Pay's and "Use another card"'s
// idempotency keys apart: Stripe refuses a key reused with other parameters. At most one checkout
// per link, kind and minute: a double click reuses the provider's answer.
struct CheckoutCall {
    std::optional<Poco::JSON::Object::Ptr> answer;   // none: the PSP failed
    long long now = 0;
};
CheckoutCall createCheckout(plugins::PluginLease& lease, const plugins::OrgPluginConfigs::Resolved& psp,
                            const store::LinkView& link, const std::string& publicUrl, const std::string& token,
                            const std::string& keyPrefix, Poco::JSON::Object request) {
    CheckoutCall call{std::nullopt, unixNow()};
    Poco::JSON::Parser parser;
    request.set("config", psp.config);
    request.set("recovery_id", std::to_string(link.recoveryId));
    request.set("transaction_ref", link.transactionRef);
    request.set("amount", link.amount);
    request.set("currency", link.currency);
    request.set("customer", parser.parse(link.customerJson));
    request.set("success_url", publicUrl + "/r/" + token + "/done");
    request.set("cancel_url", publicUrl + "/r/" + token);
    request.set("webhook_url", recovery::webhookUrl(publicUrl, psp.pluginName, link.orgSlug));
    request.set("expires_at", std::min(link.expiresAtUnix, call.now + 24 * 3600));
    request.set("idempotency_key", keyPrefix + std::to_string(link.linkId) + "-" + std::to_string(call.now / 60));
    std::ostringstream body;
    request.stringify(body);
    auto answer = lease.call(plugins::Operation::CreateCheckout, body.str());
    if (!answer.ok) {
        log::warn("tinko.web", "checkout creation failed",
                  {{"recovery", std::to_string(link.recoveryId)}, {"kind", keyPrefix}, {"error", answer.error.message}});
        return call;
    }
    try {
        call.answer = parser.parse(answer.json).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
        call.answer = Poco::JSON::Object::Ptr(new Poco::JSON::Object);   // no URL: refused like any unusable one
    }
    return call;
}

// Whether the page offers "Use another card": the recovery is active (an exhausted one has no
// steps left to charge the card with: its page offers Pay only), the org's PSP can save a payment
// method, and the failed payment names the PSP's payment the new card is charged for.
bool offersNewCard(const store::LinkView& link, plugins::OrgPluginConfigs& configs, plugins::PluginRegistry& registry) {
    if (link.recoveryState != "active" || !link.paymentReference) return false;
    auto psp = configs.resolve(link.orgId, "psp");
    auto lease = psp ? registry.lease(psp->pluginName) : std::nullopt;
    return lease && plugins::savesPaymentMethods(lease->generation().instance());
}

// Pages for links that cannot take a payment (paid, closed, expired); nullopt when it can.
std::optional<HttpResponse> closedPage(const PageText& text, const store::LinkView& link) {
    if (link.recoveryState == "recovered") return messagePage(200, text, link, Phrase::PaidTitle, Phrase::PaidText);
    if (!collecting(link)) return messagePage(410, text, link, Phrase::ClosedTitle, Phrase::ClosedText);
    if (link.expired) return messagePage(410, text, link, Phrase::ExpiredTitle, Phrase::ExpiredText);
    return std::nullopt;
}
}  // namespace

void registerRecoveryPages(Router& router, store::LinkStore& links, store::RecoveryStore& recoveries,
                           plugins::OrgPluginConfigs& configs, plugins::PluginRegistry& registry,
                           const plugins::EgressPolicy& egress, const std::string& publicUrl) {
    router.add("GET", "/r/{token}", Access::Public, [&](const HttpRequest& req) {
        auto link = lookup(links, req.param("token"));
        if (!link) return unknownLink(req);
        const PageText& text = languageOf(req, &*link);
        if (auto closed = closedPage(text, *link)) return *closed;
        links.recordOpen(link->linkId);
        return html(200, payPageHtml(text, merchantOf(*link),
                                     {req.param("token"), notify::formatAmount(link->amount, link->currency, text.language),
                                      link->expiresAt, offersNewCard(*link, configs, registry)}));
    });

    router.add("POST", "/r/{token}/pay", Access::Public, [&, publicUrl](const HttpRequest& req) {
        const std::string& token = req.param("token");
        auto link = lookup(links, token);
        if (!link) return unknownLink(req);
        const PageText& text = languageOf(req, &*link);
        if (auto closed = closedPage(text, *link)) return *closed;
        links.recordPayClick(link->linkId);
        auto psp = configs.resolve(link->orgId, "psp");
        auto lease = psp ? registry.lease(psp->pluginName) : std::nullopt;
        const std::vector<std::string> noHosts;
        const auto& checkoutHosts = lease ? lease->generation().egress().checkoutHosts : noHosts;
        auto redirect = [&](const std::string& url) {
            return checkoutRedirect(egress, checkoutHosts, url, text, *link, psp ? psp->pluginName : "");
        };
        if (link->liveCheckoutUrl) return redirect(*link->liveCheckoutUrl);

        if (!lease)
            return messagePage(503, text, *link, Phrase::UnavailableTitle, Phrase::UnavailableText);
        auto call = createCheckout(*lease, *psp, *link, publicUrl, token, "tinko-link-", Poco::JSON::Object());
        if (!call.answer) return messagePage(502, text, *link, Phrase::ProviderDownTitle, Phrase::ProviderDownRetry);
        const auto& checkout = *call.answer;
        const std::string url = checkout->optValue<std::string>("checkout_url", "");
        if (!egress.checkoutUrlProblem(checkoutHosts, url).empty()) return redirect(url);   // the refusal page
        links.saveCheckout(link->linkId, url, checkout->optValue<std::string>("provider_reference", ""),
                           checkout->optValue<long long>("expires_at", call.now + 1800));
        return redirect(url);
    });

    // "Use another card": a checkout in setup mode, where the customer saves a new card and nothing
    // is charged; the PSP's webhook (payment_method_saved, recovery/WebhookIntake) then has Tinko
    // charge it at once. Not a pay click (attribution: the recovery is new_card's, not the link's),
    // and not kept as the link's checkout (Pay must not land on a setup page).
    router.add("POST", "/r/{token}/new-card", Access::Public, [&, publicUrl](const HttpRequest& req) {
        const std::string& token = req.param("token");
        auto link = lookup(links, token);
        if (!link) return unknownLink(req);
        const PageText& text = languageOf(req, &*link);
        if (auto closed = closedPage(text, *link)) return *closed;
        auto psp = configs.resolve(link->orgId, "psp");
        auto lease = psp ? registry.lease(psp->pluginName) : std::nullopt;
        if (!lease) return messagePage(503, text, *link, Phrase::UnavailableTitle, Phrase::UnavailableText);
        // Not offered for this payment (its page shows no such button): the request's fault, not
        // the server's, so a 4xx.
        if (link->recoveryState != "active" || !link->paymentReference ||
            !plugins::savesPaymentMethods(lease->generation().instance()))
            return messagePage(409, text, *link, Phrase::UnavailableTitle, Phrase::UnavailableText);
        Poco::JSON::Object setup;
        setup.set("mode", "setup");
        setup.set("payment_reference", *link->paymentReference);
        auto call = createCheckout(*lease, *psp, *link, publicUrl, token, "tinko-new-card-", setup);
        if (!call.answer) return messagePage(502, text, *link, Phrase::ProviderDownTitle, Phrase::ProviderDownRetry);
        const std::string url = (*call.answer)->optValue<std::string>("checkout_url", "");
        return checkoutRedirect(egress, lease->generation().egress().checkoutHosts, url, text, *link, psp->pluginName);
    });

    router.add("GET", "/r/{token}/done", Access::Public, [&](const HttpRequest& req) {
        auto link = lookup(links, req.param("token"));
        if (!link) return unknownLink(req);
        const PageText& text = languageOf(req, &*link);
        const HttpResponse confirming = messagePage(200, text, *link, Phrase::ConfirmingTitle, Phrase::ConfirmingText);
        if (!collecting(*link) || !link->checkoutReference) return closedPage(text, *link).value_or(confirming);
        auto psp = configs.resolve(link->orgId, "psp");
        auto lease = psp ? registry.lease(psp->pluginName) : std::nullopt;
        if (!lease || !lease->generation().instance().offers(plugins::Operation::CompleteCheckout)) return confirming;

        Poco::JSON::Object request;
        request.set("config", psp->config);
        request.set("recovery_id", std::to_string(link->recoveryId));
        request.set("provider_reference", *link->checkoutReference);
        Poco::JSON::Object query;
        for (const auto& [name, value] : req.query) query.set(name, value);
        request.set("query", query);
        // A key per return: the provider keeps a declined capture's answer under its key, and the
        // customer may approve again with another card. A capture repeated after success is
        // harmless (PayPal answers ORDER_ALREADY_CAPTURED, which the plugin reports as succeeded).
        const long long now = unixNow();
        request.set("idempotency_key", "tinko-complete-" + std::to_string(link->linkId) + "-" + std::to_string(now));
        std::ostringstream body;
        request.stringify(body);
        auto answer = lease->call(plugins::Operation::CompleteCheckout, body.str());
        if (!answer.ok) {
            log::warn("tinko.web", "completing the checkout failed",
                      {{"recovery", std::to_string(link->recoveryId)}, {"error", answer.error.message}});
            if (answer.error.category == TINKO_ERR_AUTH)
                return messagePage(400, text, *link, Phrase::NotConfirmedTitle, Phrase::NotConfirmedText);
            return confirming;   // the provider's webhook still tells the end
        }
        Poco::JSON::Parser parser;
        auto result = parser.parse(answer.json).extract<Poco::JSON::Object::Ptr>();
        const std::string outcome = result->optValue<std::string>("outcome", "pending");
        if (outcome == "succeeded") {
            recoveries.markRecovered(link->orgId, link->recoveryId, std::nullopt, "checkout:" + psp->pluginName);
            return messagePage(200, text, *link, Phrase::ReceivedTitle, Phrase::ReceivedText);
        }
        if (outcome == "declined")
            return html(402, declinedPageHtml(text, merchantOf(*link), req.param("token")));
        return confirming;
    });
}

}  // namespace tinko::web
