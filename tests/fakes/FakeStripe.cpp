// FakeStripe: the hosted checkout page, and the API tests drive it with. The /v1 endpoints are in
// FakeStripeApi.cpp; the HTTP server is FakeHttpServer.
#include "FakeStripeImpl.h"
#include "Signing.h"

#include <stdexcept>

#ifndef TINKO_FAKE_STRIPE_CONTRACT
#error "build with TINKO_FAKE_STRIPE_CONTRACT, the path of stripe-contract.json"
#endif

namespace tinko::fakes {

using namespace detail;

// ---- FakeStripeRequest ------------------------------------------------------------------------

std::optional<std::string> FakeStripeRequest::formValue(const std::string& name) const { return valueOf(form, name); }

// ---- The fake's insides -----------------------------------------------------------------------

FakeStripe::Impl::Impl(Options o)
    : options(std::move(o)),
      contract(StripeContract::load(options.contractPath.empty() ? TINKO_FAKE_STRIPE_CONTRACT : options.contractPath)) {}

Answer FakeStripe::Impl::handle(const FakeHttpRequest& received, std::chrono::milliseconds& delay) {
    FakeStripeRequest request;
    static_cast<FakeHttpRequest&>(request) = received;
    std::lock_guard<std::mutex> lock(mutex);
    Answer answer = startsWith(request.path, "/v1/") ? api(request, delay)
                    : startsWith(request.path, "/checkout/") ? checkoutPage(request)
                                                             : htmlAnswer(404, "Not found", "<p>The fake Stripe has no such page.</p>");
    answer.headers.emplace_back("Request-Id", "req_fake" + std::to_string(++requestCount));
    request.status = answer.status;
    requests.push_back(request);
    return answer;
}

// ---- The hosted checkout page -----------------------------------------------------------------

Answer FakeStripe::Impl::checkoutPage(const FakeStripeRequest& request) {
    std::string id = request.path.substr(std::string("/checkout/").size());
    const bool pay = id.size() > 4 && id.compare(id.size() - 4, 4, "/pay") == 0;
    if (pay) id.resize(id.size() - 4);
    Session* session = findSession(id);
    if (!session || (request.method != (pay ? "POST" : "GET")))
        return htmlAnswer(404, "Checkout session not found", "<p>No checkout session " + htmlEscape(id) + ".</p>");
    Value& s = session->object;
    const std::string status = s.at("status").asString();
    const std::string amount = std::to_string(s.at("amount_total").asInt()) + " " +
                               upper(s.at("currency").isString() ? s.at("currency").asString() : "");
    if (status == "open" && s.at("expires_at").asInt() < nowUnix()) s.set("status", "expired");
    const bool setup = s.at("mode") == Value("setup");
    if (!pay && setup && s.at("status") == Value("open"))
        return htmlAnswer(200, "Save a card",
                          "<form method=\"post\" action=\"/checkout/" + htmlEscape(id) +
                              "/pay\"><button type=\"submit\">Save card</button></form>");
    if (!pay) {
        if (s.at("status") != Value("open"))
            return htmlAnswer(200, "This checkout session is " + s.at("status").asString(), "");
        return htmlAnswer(200, "Pay " + amount,
                          "<p>Amount due: <span id=\"amount\">" + htmlEscape(amount) + "</span> (minor units)</p>"
                          "<form method=\"post\" action=\"/checkout/" + htmlEscape(id) +
                              "/pay\"><button type=\"submit\">Pay</button></form>");
    }
    if (s.at("status") != Value("open"))
        return htmlAnswer(409, "This checkout session is " + s.at("status").asString(), "");
    if (setup) completeSetup(*session, "visa");
    else complete(*session);
    Answer redirect = htmlAnswer(303, setup ? "Saved" : "Paid", "");
    redirect.headers.emplace_back("Location", s.at("success_url").isString() ? s.at("success_url").asString() : "/");
    return redirect;
}

// ---- State ------------------------------------------------------------------------------------

FakeStripe::Impl::Session* FakeStripe::Impl::findSession(const std::string& id) {
    for (Session& s : sessions)
        if (s.object.at("id").asString() == id) return &s;
    return nullptr;
}

void FakeStripe::Impl::complete(Session& session) {
    Value& s = session.object;
    const std::string intentId = newId("pi");
    intents[intentId] = Value::object({{"id", intentId},
                                       {"object", "payment_intent"},
                                       {"amount", s.at("amount_total")},
                                       {"amount_received", s.at("amount_total")},
                                       {"currency", s.at("currency")},
                                       {"created", nowUnix()},
                                       {"last_payment_error", Value()},
                                       {"latest_charge", newId("ch")},
                                       {"livemode", false},
                                       {"metadata", session.paymentIntentMetadata},
                                       {"payment_method", newId("pm")},
                                       {"status", "succeeded"}});
    s.set("status", "complete");
    s.set("payment_status", "paid");
    s.set("payment_intent", intentId);
}

Value& FakeStripe::Impl::completeSetup(Session& session, const std::string& brand) {
    Value& s = session.object;
    const std::string intentId = newId("seti");
    const std::string method = newId("pm");
    setupIntents[intentId] = Value::object({{"id", intentId},
                                            {"object", "setup_intent"},
                                            {"created", nowUnix()},
                                            {"customer", s.at("customer")},
                                            {"last_setup_error", Value()},
                                            {"livemode", false},
                                            {"metadata", session.setupIntentMetadata},
                                            {"payment_method", method},
                                            {"payment_method_types", Value::array({"card"})},
                                            {"status", "succeeded"},
                                            {"usage", "off_session"}});
    cardBrands[method] = brand;
    s.set("status", "complete");
    s.set("setup_intent", intentId);
    return setupIntents[intentId];
}

std::string FakeStripe::Impl::event(const std::string& type, const Value& object) {
    return Value::object({{"id", newId("evt")},
                          {"object", "event"},
                          {"api_version", contract.apiVersion()},
                          {"created", nowUnix()},
                          {"data", Value::object({{"object", object}})},
                          {"livemode", false},
                          {"pending_webhooks", 1},
                          {"request", Value::object({{"id", Value()}, {"idempotency_key", Value()}})},
                          {"type", type}})
        .dump();
}

Value& FakeStripe::Impl::intentOrThrow(const std::string& id) {
    auto found = intents.find(id);
    if (found == intents.end()) throw std::invalid_argument("FakeStripe: no PaymentIntent " + id + "; addPaymentIntent first");
    return found->second;
}

// ---- FakeStripe -------------------------------------------------------------------------------

FakeStripe::FakeStripe() : FakeStripe(Options{}) {}
FakeStripe::FakeStripe(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeStripe::~FakeStripe() { stop(); }

void FakeStripe::start() { impl_->server.start(); }
void FakeStripe::stop() { impl_->server.stop(); }

std::string FakeStripe::baseUrl() const { return impl_->server.baseUrl(); }
int FakeStripe::port() const { return impl_->server.port(); }
const std::string& FakeStripe::secretKey() const { return impl_->options.secretKey; }

std::vector<FakeStripeRequest> FakeStripe::requests() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->requests;
}
std::vector<std::string> FakeStripe::violations() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->violations;
}

void FakeStripe::declineNextConfirm(const std::string& declineCode, const std::string& message, const std::string& code) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->confirmScripts.push_back({declineCode, code, message, "", {}});
}
void FakeStripe::declineNextConfirm(const std::string& declineCode, const DeclineAdvice& advice) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->confirmScripts.push_back({declineCode, "card_declined", "Your card was declined.", "", advice});
}
void FakeStripe::nextCheckoutUrl(const std::string& url) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->checkoutUrls.push_back(url);
}
void FakeStripe::nextConfirmLeaves(const std::string& status) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->confirmScripts.push_back({"", "", "", status, {}});
}
void FakeStripe::failNextRequest(int status, FailureKind kind, const std::string& method) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->requestScripts.push_back({status, kind == FailureKind::SavedUnderIdempotencyKey, std::chrono::milliseconds(0), method});
}
void FakeStripe::delayNextAnswer(std::chrono::milliseconds delay, const std::string& method) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->requestScripts.push_back({0, false, delay, method});
}

void FakeStripe::addPaymentIntent(const PaymentIntentSeed& seed) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Value metadata = Value::object();
    for (const auto& [k, v] : seed.metadata) metadata.set(k, v);
    impl_->intents[seed.id] = Value::object({{"id", seed.id},
                                             {"object", "payment_intent"},
                                             {"amount", seed.amount},
                                             {"amount_received", 0},
                                             {"currency", lower(seed.currency)},
                                             {"created", nowUnix()},
                                             {"last_payment_error", Value()},
                                             {"latest_charge", Value()},
                                             {"livemode", false},
                                             {"customer", seed.customer.empty() ? Value() : Value(seed.customer)},
                                             {"metadata", metadata},
                                             {"payment_method", seed.paymentMethod.empty() ? Value() : Value(seed.paymentMethod)},
                                             {"status", seed.status}});
    if (seed.status == "succeeded") {
        impl_->intents[seed.id].set("amount_received", seed.amount);
        impl_->intents[seed.id].set("latest_charge", impl_->newId("ch"));
    }
}

std::optional<Value> FakeStripe::paymentIntent(const std::string& id) const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    auto found = impl_->intents.find(id);
    return found == impl_->intents.end() ? std::nullopt : std::optional<Value>(found->second);
}

std::optional<Value> FakeStripe::checkoutSession(const std::string& id) const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const Impl::Session* session = impl_->findSession(id);
    return session ? std::optional<Value>(session->object) : std::nullopt;
}

std::vector<Value> FakeStripe::checkoutSessions() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    std::vector<Value> out;
    for (const Impl::Session& s : impl_->sessions) out.push_back(s.object);
    return out;
}

std::string FakeStripe::paymentFailedEvent(const std::string& paymentIntentId, const std::string& declineCode,
                                           const std::string& code) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Value& intent = impl_->intentOrThrow(paymentIntentId);
    impl_->decline(intent, declineCode, code, "Your card was declined.");
    return impl_->event("payment_intent.payment_failed", intent);
}

std::string FakeStripe::paymentFailedEvent(const std::string& paymentIntentId, const std::string& declineCode,
                                           const DeclineAdvice& advice) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Value& intent = impl_->intentOrThrow(paymentIntentId);
    impl_->decline(intent, declineCode, "card_declined", "Your card was declined.", advice);
    return impl_->event("payment_intent.payment_failed", intent);
}

std::string FakeStripe::paymentSucceededEvent(const std::string& paymentIntentId) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->event("payment_intent.succeeded", impl_->intentOrThrow(paymentIntentId));
}

std::string FakeStripe::completeCheckoutSession(const std::string& sessionId) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Impl::Session* session = impl_->findSession(sessionId);
    if (!session) throw std::invalid_argument("FakeStripe: no Checkout Session " + sessionId);
    if (session->object.at("status") == Value("open")) impl_->complete(*session);
    return impl_->event("checkout.session.completed", session->object);
}

SavedCard FakeStripe::completeSetupSession(const std::string& sessionId, const std::string& brand) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Impl::Session* session = impl_->findSession(sessionId);
    if (!session || session->object.at("mode") != Value("setup"))
        throw std::invalid_argument("FakeStripe: no setup-mode Checkout Session " + sessionId);
    if (session->object.at("status") != Value("open")) throw std::invalid_argument("FakeStripe: " + sessionId + " is not open");
    const Value intent = impl_->completeSetup(*session, brand);
    return {intent.at("payment_method").asString(), intent.at("id").asString(), impl_->event("setup_intent.succeeded", intent),
            impl_->event("checkout.session.completed", session->object)};
}

std::optional<Value> FakeStripe::setupIntent(const std::string& id) const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    auto found = impl_->setupIntents.find(id);
    return found == impl_->setupIntents.end() ? std::nullopt : std::optional<Value>(found->second);
}

SignedWebhook FakeStripe::signedWebhook(const std::string& body, const std::string& secret, std::int64_t t) {
    const std::string hex = hmacSha256Hex(secret, std::to_string(t) + "." + body);
    return {"t=" + std::to_string(t) + ",v1=" + hex, body};
}

}  // namespace tinko::fakes
