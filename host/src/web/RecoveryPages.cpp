#include "web/RecoveryPages.h"

#include "notify/Money.h"
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

HttpResponse messagePage(int status, const Merchant& merchant, const std::string& title, const std::string& message) {
    return html(status, messagePageHtml(merchant, title, message));
}

HttpResponse unknownLink() {
    return messagePage(404, {"Secure payment", std::nullopt}, "This link is not valid",
                       "Check that you opened the whole link from your message. If it still does not work, contact the merchant.");
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

// Pages for links that cannot take a payment (paid, closed, expired); nullopt when it can.
std::optional<HttpResponse> closedPage(const store::LinkView& link) {
    if (link.recoveryState == "recovered")
        return messagePage(200, merchantOf(link), "Already paid", "This payment to " + link.orgName + " has been received. Thank you!");
    if (!collecting(link))
        return messagePage(410, merchantOf(link), "This payment is closed", link.orgName + " no longer collects this payment here.");
    if (link.expired)
        return messagePage(410, merchantOf(link), "This link has expired",
                           "The link expired on " + link.expiresAt + ". Contact " + link.orgName + " for a new one.");
    return std::nullopt;
}
}  // namespace

void registerRecoveryPages(Router& router, store::LinkStore& links, store::RecoveryStore& recoveries,
                           plugins::OrgPluginConfigs& configs, plugins::PluginRegistry& registry,
                           const std::string& publicUrl) {
    router.add("GET", "/r/{token}", Access::Public, [&links](const HttpRequest& req) {
        auto link = lookup(links, req.param("token"));
        if (!link) return unknownLink();
        if (auto closed = closedPage(*link)) return *closed;
        links.recordOpen(link->linkId);
        return html(200, payPageHtml(merchantOf(*link), {req.param("token"), notify::formatAmount(link->amount, link->currency),
                                                         link->expiresAt}));
    });

    router.add("POST", "/r/{token}/pay", Access::Public, [&, publicUrl](const HttpRequest& req) {
        const std::string& token = req.param("token");
        auto link = lookup(links, token);
        if (!link) return unknownLink();
        if (auto closed = closedPage(*link)) return *closed;
        links.recordPayClick(link->linkId);
        auto redirect = [](const std::string& url) {
            HttpResponse r;
            r.status = 303;
            r.contentType = "text/plain";
            r.withHeader("Location", url);
            return r;
        };
        if (link->liveCheckoutUrl) return redirect(*link->liveCheckoutUrl);

        auto psp = configs.resolve(link->orgId, "psp");
        auto lease = psp ? registry.lease(psp->pluginName) : std::nullopt;
        if (!lease)
            return messagePage(503, merchantOf(*link), "Payment is not available right now",
                               link->orgName + " cannot take this payment at the moment. Please try again later.");
        const long long now =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        Poco::JSON::Parser parser;
        Poco::JSON::Object request;
        request.set("config", psp->config);
        request.set("recovery_id", std::to_string(link->recoveryId));
        request.set("transaction_ref", link->transactionRef);
        request.set("amount", link->amount);
        request.set("currency", link->currency);
        request.set("customer", parser.parse(link->customerJson));
        request.set("success_url", publicUrl + "/r/" + token + "/done");
        request.set("cancel_url", publicUrl + "/r/" + token);
        request.set("expires_at", std::min(link->expiresAtUnix, now + 24 * 3600));
        // One checkout per link and minute at most: a double click reuses the provider's answer.
        request.set("idempotency_key", "tinko-link-" + std::to_string(link->linkId) + "-" + std::to_string(now / 60));
        std::ostringstream body;
        request.stringify(body);
        auto answer = lease->call(plugins::Operation::CreateCheckout, body.str());
        if (!answer.ok) {
            log::warn("tinko.web", "checkout creation failed",
                      {{"recovery", std::to_string(link->recoveryId)}, {"error", answer.error.message}});
            return messagePage(502, merchantOf(*link), "We could not reach the payment provider",
                               "Nothing was charged. Please go back and try again in a moment.");
        }
        auto checkout = parser.parse(answer.json).extract<Poco::JSON::Object::Ptr>();
        const std::string url = checkout->optValue<std::string>("checkout_url", "");
        if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
            return messagePage(502, merchantOf(*link), "We could not reach the payment provider", "Nothing was charged. Please try again later.");
        links.saveCheckout(link->linkId, url, checkout->optValue<std::string>("provider_reference", ""),
                           checkout->optValue<long long>("expires_at", now + 1800));
        return redirect(url);
    });

    router.add("GET", "/r/{token}/done", Access::Public, [&](const HttpRequest& req) {
        auto link = lookup(links, req.param("token"));
        if (!link) return unknownLink();
        const HttpResponse confirming = messagePage(
            200, merchantOf(*link), "Thank you",
            "Your payment to " + link->orgName + " is being confirmed. You will hear from them if anything else is needed.");
        if (!collecting(*link) || !link->checkoutReference) return closedPage(*link).value_or(confirming);
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
        const long long now =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        request.set("idempotency_key", "tinko-complete-" + std::to_string(link->linkId) + "-" + std::to_string(now));
        std::ostringstream body;
        request.stringify(body);
        auto answer = lease->call(plugins::Operation::CompleteCheckout, body.str());
        if (!answer.ok) {
            log::warn("tinko.web", "completing the checkout failed",
                      {{"recovery", std::to_string(link->recoveryId)}, {"error", answer.error.message}});
            if (answer.error.category == TINKO_ERR_AUTH)
                return messagePage(400, merchantOf(*link), "We could not confirm this payment",
                                   "The payment provider's answer could not be verified. If you paid, " + link->orgName +
                                       " will confirm it shortly.");
            return confirming;   // the provider's webhook still tells the end
        }
        Poco::JSON::Parser parser;
        auto result = parser.parse(answer.json).extract<Poco::JSON::Object::Ptr>();
        const std::string outcome = result->optValue<std::string>("outcome", "pending");
        if (outcome == "succeeded") {
            recoveries.markRecovered(link->orgId, link->recoveryId, std::nullopt, "checkout:" + psp->pluginName);
            return messagePage(200, merchantOf(*link), "Payment received", "Your payment to " + link->orgName + " has been received. Thank you!");
        }
        if (outcome == "declined")
            return html(402, declinedPageHtml(merchantOf(*link), req.param("token")));
        return confirming;
    });
}

}  // namespace tinko::web
