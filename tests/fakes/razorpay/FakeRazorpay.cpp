// FakeRazorpay: the hosted Payment Link page, the API tests drive it with, and the webhook events.
// The /v1 endpoint is in FakeRazorpayApi.cpp; the HTTP server is FakeHttpServer.
#include "FakeRazorpayImpl.h"
#include "FormEncoding.h"
#include "Signing.h"

#include <cstdio>
#include <stdexcept>

#ifndef TINKO_FAKE_RAZORPAY_CONTRACT
#error "build with TINKO_FAKE_RAZORPAY_CONTRACT, the path of razorpay-contract.json"
#endif

namespace tinko::fakes {

using namespace razorpay_detail;

namespace {

const char* const kAccountId = "acc_FakeAccount0001";

// notes as Razorpay writes them: the object, or [] when there are none.
Value notesValue(const std::map<std::string, std::string>& notes) {
    if (notes.empty()) return Value::array();
    Value out = Value::object();
    for (const auto& [k, v] : notes) out.set(k, v);
    return out;
}

Value orNull(const std::string& s) { return s.empty() ? Value() : Value(s); }

}  // namespace

// ---- The fake's insides -----------------------------------------------------------------------

FakeRazorpay::Impl::Impl(Options o)
    : options(std::move(o)),
      contract(RazorpayContract::load(options.contractPath.empty() ? TINKO_FAKE_RAZORPAY_CONTRACT : options.contractPath)) {}

Answer FakeRazorpay::Impl::handle(const FakeHttpRequest& received, std::chrono::milliseconds& delay) {
    FakeRazorpayRequest request;
    static_cast<FakeHttpRequest&>(request) = received;
    std::lock_guard<std::mutex> lock(mutex);
    try {
        request.json = json::parse(request.body);
    } catch (const json::ParseError&) {
    }
    Answer answer = startsWith(request.path, "/v1/") ? api(request, delay)
                    : startsWith(request.path, "/pl/") ? hostedPage(request)
                                                       : htmlAnswer(404, "Not found", "<p>The fake Razorpay has no such page.</p>");
    request.status = answer.status;
    requests.push_back(request);
    return answer;
}

std::int64_t FakeRazorpay::Impl::now() const {
    if (pinnedNow) return pinnedNow;
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Razorpay ids are a prefix and 14 alphanumerics: plink_Fake0000000001.
std::string FakeRazorpay::Impl::newId(const std::string& prefix) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%010llu", static_cast<unsigned long long>(++idCount));
    return prefix + "_Fake" + digits;
}

// ---- The hosted Payment Link page -------------------------------------------------------------

Answer FakeRazorpay::Impl::hostedPage(const FakeRazorpayRequest& request) {
    std::string id = request.path.substr(std::string("/pl/").size());
    const bool pay = id.size() > 4 && id.compare(id.size() - 4, 4, "/pay") == 0;
    if (pay) id.resize(id.size() - 4);
    Value* link = findLink(id);
    if (!link || request.method != (pay ? "POST" : "GET"))
        return htmlAnswer(404, "Payment Link not found", "<p>No Payment Link " + htmlEscape(id) + ".</p>");
    expireIfDue(*link);
    const std::string status = link->at("status").asString();
    const std::string amount = std::to_string(link->at("amount").asInt()) + " " + link->at("currency").asString();
    if (!pay) {
        if (status != "created") return htmlAnswer(200, "This Payment Link is " + status, "");
        return htmlAnswer(200, "Pay " + amount,
                          "<p>" + htmlEscape(link->at("description").asString()) + "</p>"
                          "<p>Amount due: <span id=\"amount\">" + htmlEscape(amount) + "</span> (minor units)</p>"
                          "<form method=\"post\" action=\"/pl/" + htmlEscape(id) +
                              "/pay\"><button type=\"submit\">Pay</button></form>");
    }
    if (status != "created") return htmlAnswer(409, "This Payment Link is " + status, "");
    const Value& payment = payLink(*link);
    const std::string callback = link->at("callback_url").asString();
    if (callback.empty()) return htmlAnswer(200, "Paid", "<p>Payment " + htmlEscape(payment.at("id").asString()) + "</p>");
    const std::string paymentId = payment.at("id").asString(), reference = link->at("reference_id").asString();
    const std::string query =
        "razorpay_payment_id=" + percentEncode(paymentId) + "&razorpay_payment_link_id=" + percentEncode(id) +
        "&razorpay_payment_link_reference_id=" + percentEncode(reference) + "&razorpay_payment_link_status=paid" +
        "&razorpay_signature=" + FakeRazorpay::callbackSignature(id, reference, "paid", paymentId, options.keySecret);
    Answer redirect = htmlAnswer(303, "Paid", "");
    redirect.headers.emplace_back("Location", callback + (callback.find('?') == std::string::npos ? "?" : "&") + query);
    return redirect;
}

// ---- State ------------------------------------------------------------------------------------

json::Value* FakeRazorpay::Impl::findLink(const std::string& id) {
    for (Value& link : links)
        if (link.at("id").asString() == id) return &link;
    return nullptr;
}

json::Value* FakeRazorpay::Impl::findPayment(const std::string& id) {
    for (Value& payment : payments)
        if (payment.at("id").asString() == id) return &payment;
    return nullptr;
}

void FakeRazorpay::Impl::expireIfDue(Value& link) {
    const std::int64_t expireBy = link.at("expire_by").asInt();
    if (link.at("status") == Value("created") && expireBy > 0 && expireBy < now()) {
        link.set("status", "expired");
        link.set("expired_at", now());
        link.set("updated_at", now());
    }
}

json::Value& FakeRazorpay::Impl::payLink(Value& link) {
    const std::int64_t at = now();
    const std::string paymentId = newId("pay"), orderId = newId("order");
    const Value& customer = link.at("customer");
    const std::string email = customer.getOr<std::string>("email", "void@razorpay.com");
    const std::string contact = customer.getOr<std::string>("contact", "+919000090000");
    payments.push_back(Value::object({{"id", paymentId},
                                      {"entity", "payment"},
                                      {"amount", link.at("amount")},
                                      {"currency", link.at("currency")},
                                      {"status", "captured"},
                                      {"order_id", orderId},
                                      {"invoice_id", Value()},
                                      {"international", false},
                                      {"method", "card"},
                                      {"amount_refunded", 0},
                                      {"refund_status", Value()},
                                      {"captured", true},
                                      {"description", link.at("description")},
                                      {"card_id", newId("card")},
                                      {"bank", Value()},
                                      {"wallet", Value()},
                                      {"vpa", Value()},
                                      {"email", email},
                                      {"contact", contact},
                                      {"notes", link.at("notes")},   // a link's payment carries its notes
                                      {"fee", 1180},
                                      {"tax", 180},
                                      {"error_code", Value()},
                                      {"error_description", Value()},
                                      {"error_source", Value()},
                                      {"error_step", Value()},
                                      {"error_reason", Value()},
                                      {"acquirer_data", Value::object({{"auth_code", "828553"}})},
                                      {"created_at", at}}));
    link.set("status", "paid");
    link.set("amount_paid", link.at("amount"));
    link.set("order_id", orderId);
    link.set("payments", Value::array({Value::object({{"amount", link.at("amount")},
                                                      {"created_at", at},
                                                      {"method", "card"},
                                                      {"payment_id", paymentId},
                                                      {"plink_id", link.at("id")},
                                                      {"status", "captured"},
                                                      {"updated_at", at}})}));
    link.set("updated_at", at);
    return payments.back();
}

RazorpayWebhook FakeRazorpay::Impl::event(const std::string& name, const Value& payload, const std::vector<std::string>& contains) {
    Value containsArray = Value::array();
    for (const std::string& c : contains) containsArray.push(c);
    const std::string body = Value::object({{"entity", "event"},
                                            {"account_id", kAccountId},
                                            {"event", name},
                                            {"contains", containsArray},
                                            {"payload", payload},
                                            {"created_at", now()}})
                                 .dump();
    return {newId("evt"), body};
}

// ---- FakeRazorpay -----------------------------------------------------------------------------

FakeRazorpay::FakeRazorpay() : FakeRazorpay(Options{}) {}
FakeRazorpay::FakeRazorpay(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeRazorpay::~FakeRazorpay() { stop(); }

void FakeRazorpay::start() { impl_->server.start(); }
void FakeRazorpay::stop() { impl_->server.stop(); }

std::string FakeRazorpay::baseUrl() const { return impl_->server.baseUrl(); }
int FakeRazorpay::port() const { return impl_->server.port(); }
const std::string& FakeRazorpay::keyId() const { return impl_->options.keyId; }
const std::string& FakeRazorpay::keySecret() const { return impl_->options.keySecret; }

std::int64_t FakeRazorpay::nowUnix() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->now();
}
void FakeRazorpay::setNowUnix(std::int64_t unixSeconds) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->pinnedNow = unixSeconds;
}

std::vector<FakeRazorpayRequest> FakeRazorpay::requests() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->requests;
}
std::vector<std::string> FakeRazorpay::violations() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->violations;
}

void FakeRazorpay::failNextRequest(int status, const std::string& code) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->requestScripts.push_back({status, code, std::chrono::milliseconds(0)});
}
void FakeRazorpay::delayNextAnswer(std::chrono::milliseconds delay) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->requestScripts.push_back({0, "", delay});
}

std::vector<json::Value> FakeRazorpay::links() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    for (Value& link : impl_->links) impl_->expireIfDue(link);
    return impl_->links;
}

std::optional<json::Value> FakeRazorpay::link(const std::string& plinkId) const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Value* link = impl_->findLink(plinkId);
    if (!link) return std::nullopt;
    impl_->expireIfDue(*link);
    return *link;
}

std::optional<json::Value> FakeRazorpay::payment(const std::string& paymentId) const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const Value* payment = impl_->findPayment(paymentId);
    return payment ? std::optional<Value>(*payment) : std::nullopt;
}

std::string FakeRazorpay::pay(const std::string& plinkId) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Value* link = impl_->findLink(plinkId);
    if (!link) throw std::invalid_argument("FakeRazorpay: no Payment Link " + plinkId);
    impl_->expireIfDue(*link);
    if (link->at("status") != Value("created"))
        throw std::logic_error("FakeRazorpay: Payment Link " + plinkId + " is " + link->at("status").asString());
    return impl_->payLink(*link).at("id").asString();
}

RazorpayWebhook FakeRazorpay::paymentLinkPaidEvent(const std::string& plinkId) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Value* link = impl_->findLink(plinkId);
    if (!link) throw std::invalid_argument("FakeRazorpay: no Payment Link " + plinkId);
    impl_->expireIfDue(*link);
    if (link->at("status") == Value("created")) impl_->payLink(*link);
    if (link->at("status") != Value("paid"))
        throw std::logic_error("FakeRazorpay: Payment Link " + plinkId + " is " + link->at("status").asString());
    const Value& payment = *impl_->findPayment(link->at("payments").at(0).at("payment_id").asString());
    const Value order = Value::object({{"id", link->at("order_id")},
                                       {"entity", "order"},
                                       {"amount", link->at("amount")},
                                       {"amount_paid", link->at("amount_paid")},
                                       {"amount_due", 0},
                                       {"currency", link->at("currency")},
                                       {"receipt", link->at("reference_id")},
                                       {"offer_id", Value()},
                                       {"status", "paid"},
                                       {"attempts", 1},
                                       {"notes", link->at("notes")},
                                       {"created_at", link->at("created_at")}});
    return impl_->event("payment_link.paid",
                        Value::object({{"payment_link", Value::object({{"entity", *link}})},
                                       {"order", Value::object({{"entity", order}})},
                                       {"payment", Value::object({{"entity", payment}})}}),
                        {"payment_link", "order", "payment"});
}

RazorpayWebhook FakeRazorpay::paymentCapturedEvent(const std::string& paymentId) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const Value* payment = impl_->findPayment(paymentId);
    if (!payment) throw std::invalid_argument("FakeRazorpay: no payment " + paymentId);
    return impl_->event("payment.captured", Value::object({{"payment", Value::object({{"entity", *payment}})}}), {"payment"});
}

RazorpayWebhook FakeRazorpay::paymentFailedEvent(const FailedPayment& failed) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const std::string id = impl_->newId("pay");
    impl_->payments.push_back(Value::object({{"id", id},
                                             {"entity", "payment"},
                                             {"amount", failed.amount},
                                             {"currency", failed.currency},
                                             {"status", "failed"},
                                             {"order_id", orNull(failed.orderId)},
                                             {"invoice_id", Value()},
                                             {"international", false},
                                             {"method", failed.method},
                                             {"amount_refunded", 0},
                                             {"refund_status", Value()},
                                             {"captured", false},
                                             {"description", Value()},
                                             {"card_id", failed.method == "card" ? Value(impl_->newId("card")) : Value()},
                                             {"bank", Value()},
                                             {"wallet", Value()},
                                             {"vpa", Value()},
                                             {"email", orNull(failed.email)},
                                             {"contact", orNull(failed.contact)},
                                             {"notes", notesValue(failed.notes)},
                                             {"fee", Value()},
                                             {"tax", Value()},
                                             {"error_code", failed.errorCode},
                                             {"error_description", failed.errorDescription},
                                             {"error_source", failed.errorSource},
                                             {"error_step", failed.errorStep},
                                             {"error_reason", failed.errorReason},
                                             {"acquirer_data", Value::object({{"auth_code", Value()}})},
                                             {"created_at", impl_->now()}}));
    return impl_->event("payment.failed", Value::object({{"payment", Value::object({{"entity", impl_->payments.back()}})}}),
                        {"payment"});
}

RazorpayWebhook FakeRazorpay::paymentLinkExpiredEvent(const std::string& plinkId) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Value* link = impl_->findLink(plinkId);
    if (!link) throw std::invalid_argument("FakeRazorpay: no Payment Link " + plinkId);
    if (link->at("status") == Value("created")) {
        link->set("status", "expired");
        link->set("expired_at", impl_->now());
        link->set("updated_at", impl_->now());
    }
    return impl_->event("payment_link.expired", Value::object({{"payment_link", Value::object({{"entity", *link}})}}),
                        {"payment_link"});
}

std::string FakeRazorpay::signature(const std::string& body, const std::string& secret) { return hmacSha256Hex(secret, body); }

std::string FakeRazorpay::callbackSignature(const std::string& plinkId, const std::string& referenceId,
                                            const std::string& status, const std::string& paymentId,
                                            const std::string& keySecret) {
    return hmacSha256Hex(keySecret, plinkId + "|" + referenceId + "|" + status + "|" + paymentId);
}

}  // namespace tinko::fakes
