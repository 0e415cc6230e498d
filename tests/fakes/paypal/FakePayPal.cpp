// FakePayPal: the hosted approval page, events and webhook signatures, and the API tests drive it
// with. The /v1 and /v2 endpoints are in FakePayPalApi.cpp; the HTTP server is FakeHttpServer.
#include "FakePayPalImpl.h"

#include <Poco/Checksum.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#ifndef TINKO_FAKE_PAYPAL_CONTRACT
#error "build with TINKO_FAKE_PAYPAL_CONTRACT, the path of paypal-contract.json"
#endif

namespace tinko::fakes {

using namespace detail;

// ---- Helpers ----------------------------------------------------------------------------------

namespace detail {

std::int64_t nowUnix() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string isoTime(std::int64_t unixSeconds) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string queryValue(const std::string& query, const std::string& name) {
    const std::optional<FormPairs> pairs = decodeForm(query);
    for (const auto& [n, v] : pairs.value_or(FormPairs{}))
        if (n == name) return v;
    return {};
}

int paypalDecimals(const std::string& currency) {
    // ISO 4217's exponents, except that PayPal takes HUF and TWD without decimals.
    static const char* const kNone[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
                                        "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF", "HUF", "TWD"};
    static const char* const kThree[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    static const char* const kFour[] = {"CLF", "UYW"};
    if (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(), [](unsigned char c) { return std::isupper(c); }))
        return -1;
    for (const char* c : kNone)
        if (currency == c) return 0;
    for (const char* c : kThree)
        if (currency == c) return 3;
    for (const char* c : kFour)
        if (currency == c) return 4;
    return 2;
}

std::string crc32Decimal(const std::string& bytes) {
    Poco::Checksum checksum(Poco::Checksum::TYPE_CRC32);
    checksum.update(bytes);
    return std::to_string(checksum.checksum());
}

Answer redirect(const std::string& location) {
    Answer answer = htmlAnswer(303, "See Other", "");
    answer.headers.emplace_back("Location", location);
    return answer;
}

}  // namespace detail

std::optional<json::Value> FakePayPalRequest::json() const {
    try {
        return json::parse(body);
    } catch (const json::ParseError&) {
        return std::nullopt;
    }
}

std::string PayPalWebhook::header(const std::string& lowerName) const {
    for (const auto& [n, v] : headers)
        if (n == lowerName) return v;
    return {};
}

json::Value PayPalWebhook::headersObject() const {
    json::Value out = json::Value::object();
    for (const auto& [n, v] : headers) out.set(n, v);
    return out;
}

// ---- The fake's insides -----------------------------------------------------------------------

FakePayPal::Impl::Impl(Options o)
    : options(std::move(o)),
      contract(PayPalContract::load(options.contractPath.empty() ? TINKO_FAKE_PAYPAL_CONTRACT : options.contractPath)) {}

Answer FakePayPal::Impl::handle(const FakeHttpRequest& received) {
    FakePayPalRequest request;
    static_cast<FakeHttpRequest&>(request) = received;
    std::lock_guard<std::mutex> lock(mutex);
    Answer answer = request.path.rfind("/checkoutnow", 0) == 0 ? checkoutPage(request) : api(request);
    answer.headers.emplace_back("Paypal-Debug-Id", newId("fakedebug", 8));
    request.status = answer.status;
    requests.push_back(request);
    return answer;
}

std::string FakePayPal::Impl::newId(const std::string& prefix, std::size_t width) {
    std::string n = std::to_string(++idCount);
    if (n.size() < width) n.insert(0, width - n.size(), '0');
    return prefix + n;
}

FakePayPal::Impl::Order* FakePayPal::Impl::findOrder(const std::string& id) {
    for (Order& o : orders)
        if (o.object.at("id").asString() == id) return &o;
    return nullptr;
}

Value FakePayPal::Impl::orderLinks(const Order& order) const {
    const std::string id = order.object.at("id").asString();
    const std::string status = order.object.at("status").asString();
    auto link = [](const std::string& href, const char* rel, const char* method) {
        return Value::object({{"href", href}, {"rel", rel}, {"method", method}});
    };
    Value links = Value::array({link(server.baseUrl() + "/v2/checkout/orders/" + id, "self", "GET")});
    if (status == "PAYER_ACTION_REQUIRED") links.push(link(server.baseUrl() + "/checkoutnow?token=" + id, "payer-action", "GET"));
    if (status == "CREATED") {
        links.push(link(server.baseUrl() + "/checkoutnow?token=" + id, "approve", "GET"));
        links.push(link(server.baseUrl() + "/v2/checkout/orders/" + id, "update", "PATCH"));
    }
    if (status == "CREATED" || status == "APPROVED")
        links.push(link(server.baseUrl() + "/v2/checkout/orders/" + id + "/capture", "capture", "POST"));
    return links;
}

std::string FakePayPal::Impl::approve(Order& order) {
    Value& o = order.object;
    const std::string id = o.at("id").asString();
    const std::string status = o.at("status").asString();
    if (status != "PAYER_ACTION_REQUIRED" && status != "CREATED")
        throw std::invalid_argument("FakePayPal: order " + id + " is " + status + ", not waiting for the payer");
    const std::string payerId = newId("FAKEPAYER", 4);
    const Value name = Value::object({{"given_name", "Jenny"}, {"surname", "Rosen"}});
    o.set("status", "APPROVED");
    o.set("payment_source", Value::object({{"paypal", Value::object({{"email_address", "jenny.rosen@example.com"},
                                                                       {"account_id", payerId},
                                                                       {"account_status", "VERIFIED"},
                                                                       {"name", name}})}}));
    o.set("payer", Value::object({{"name", name}, {"email_address", "jenny.rosen@example.com"}, {"payer_id", payerId}}));
    o.set("links", orderLinks(order));
    const std::string separator = order.returnUrl.find('?') == std::string::npos ? "?" : "&";
    return order.returnUrl + separator + "token=" + id + "&PayerID=" + payerId;
}

// ---- The hosted approval page -----------------------------------------------------------------

Answer FakePayPal::Impl::checkoutPage(const FakePayPalRequest& request) {
    const std::string id = queryValue(request.query, "token");
    Order* order = findOrder(id);
    const std::string action = request.path == "/checkoutnow" ? "page"
                               : request.path == "/checkoutnow/approve" ? "approve"
                               : request.path == "/checkoutnow/cancel" ? "cancel"
                                                                       : "";
    if (!order || action.empty() || request.method != (action == "page" ? "GET" : "POST"))
        return htmlAnswer(404, "Order not found", "<p>No PayPal order " + htmlEscape(id) + ".</p>");
    const std::string status = order->object.at("status").asString();
    const bool waiting = status == "PAYER_ACTION_REQUIRED" || status == "CREATED";
    if (action == "cancel") {
        const std::string separator = order->cancelUrl.find('?') == std::string::npos ? "?" : "&";
        return redirect(order->cancelUrl + separator + "token=" + id);
    }
    if (action == "approve") {
        if (!waiting) return htmlAnswer(409, "This order is " + status, "");
        if (order->returnUrl.empty()) return htmlAnswer(400, "This order has no return_url", "");
        return redirect(approve(*order));
    }
    if (!waiting) return htmlAnswer(200, "This order is " + status, "");
    const Value& amount = order->object.at("purchase_units").at(0).at("amount");
    const std::string sum = amount.at("value").asString() + " " + amount.at("currency_code").asString();
    const std::string query = "?token=" + htmlEscape(id);
    return htmlAnswer(200, "Pay " + sum + " with PayPal",
                      "<p>Amount: <span id=\"amount\">" + htmlEscape(sum) + "</span></p>"
                      "<form method=\"post\" action=\"/checkoutnow/approve" + query +
                          "\"><button type=\"submit\">Pay Now</button></form>"
                          "<form method=\"post\" action=\"/checkoutnow/cancel" + query +
                          "\"><button type=\"submit\">Cancel and return</button></form>");
}

// ---- Events -----------------------------------------------------------------------------------

std::string FakePayPal::Impl::event(const std::string& type, const std::string& resourceType, const std::string& summary,
                                    const Value& resource) {
    const std::string id = newId("WH-FAKE", 10) + "-" + newId("EV", 8);
    const std::string self = server.baseUrl() + "/v1/notifications/webhooks-events/" + id;
    return Value::object({{"id", id},
                          {"event_version", "1.0"},
                          {"create_time", isoTime(nowUnix())},
                          {"resource_type", resourceType},
                          {"resource_version", "2.0"},
                          {"event_type", type},
                          {"summary", summary},
                          {"resource", resource},
                          {"links", Value::array({Value::object({{"href", self}, {"rel", "self"}, {"method", "GET"}}),
                                                  Value::object({{"href", self + "/resend"}, {"rel", "resend"}, {"method", "POST"}})})}})
        .dump();
}

// ---- FakePayPal -------------------------------------------------------------------------------

FakePayPal::FakePayPal() : FakePayPal(Options{}) {}
FakePayPal::FakePayPal(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakePayPal::~FakePayPal() { stop(); }

void FakePayPal::start() { impl_->server.start(); }
void FakePayPal::stop() { impl_->server.stop(); }

std::string FakePayPal::baseUrl() const { return impl_->server.baseUrl(); }
int FakePayPal::port() const { return impl_->server.port(); }
const std::string& FakePayPal::clientId() const { return impl_->options.clientId; }
const std::string& FakePayPal::clientSecret() const { return impl_->options.clientSecret; }
const std::string& FakePayPal::webhookId() const { return impl_->options.webhookId; }

std::vector<FakePayPalRequest> FakePayPal::requests() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->requests;
}
std::vector<std::string> FakePayPal::violations() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->violations;
}
int FakePayPal::tokensIssued() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->tokensIssued;
}

void FakePayPal::failNextRequest(int status) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->failures.push_back(status);
}

void FakePayPal::declineNextCapture(const std::string& issue) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    for (const PayPalContract::Operation& op : impl_->contract.operations())
        if (op.operationId == "orders.capture" && !op.issues422.contains(issue))
            throw std::invalid_argument("FakePayPal: PayPal's spec lists no capture issue " + issue);
    impl_->captureDeclines.push_back(issue);
}

void FakePayPal::expireTokens() {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    for (auto& entry : impl_->tokens) entry.second.revoked = true;
}

std::optional<json::Value> FakePayPal::order(const std::string& id) const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const Impl::Order* order = impl_->findOrder(id);
    return order ? std::optional<json::Value>(order->object) : std::nullopt;
}

std::vector<json::Value> FakePayPal::orders() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    std::vector<json::Value> out;
    for (const Impl::Order& o : impl_->orders) out.push_back(o.object);
    return out;
}

std::string FakePayPal::approve(const std::string& orderId) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Impl::Order* order = impl_->findOrder(orderId);
    if (!order) throw std::invalid_argument("FakePayPal: no order " + orderId);
    return impl_->approve(*order);
}

std::string FakePayPal::captureCompletedEvent(const std::string& orderId) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const Impl::Order* order = impl_->findOrder(orderId);
    const json::Value* unit = order ? &order->object.at("purchase_units").at(0) : nullptr;
    const json::Value* payments = unit ? unit->find("payments") : nullptr;
    if (!payments) throw std::invalid_argument("FakePayPal: order " + orderId + " has not been captured");
    json::Value capture = payments->at("captures").at(0);
    capture.set("supplementary_data", json::Value::object({{"related_ids", json::Value::object({{"order_id", orderId}})}}));
    const json::Value& amount = capture.at("amount");
    return impl_->event("PAYMENT.CAPTURE.COMPLETED", "capture",
                        "Payment completed for " + amount.at("value").asString() + " " + amount.at("currency_code").asString(),
                        capture);
}

std::string FakePayPal::captureDeniedEvent(const DeniedCaptureSeed& seed, const std::string& eventType) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const std::string id = impl_->newId("CAPTURE", 10);
    const std::string now = isoTime(nowUnix());
    json::Value capture = json::Value::object({{"id", id},
                                               {"status", "DECLINED"},
                                               {"amount", json::Value::object({{"currency_code", seed.currency}, {"value", seed.value}})},
                                               {"final_capture", true}});
    if (!seed.reason.empty()) capture.set("status_details", json::Value::object({{"reason", seed.reason}}));
    if (!seed.invoiceId.empty()) capture.set("invoice_id", seed.invoiceId);
    if (!seed.customId.empty()) capture.set("custom_id", seed.customId);
    capture.set("create_time", now);
    capture.set("update_time", now);
    capture.set("links", json::Value::array({json::Value::object(
                             {{"href", impl_->server.baseUrl() + "/v2/payments/captures/" + id}, {"rel", "self"}, {"method", "GET"}})}));
    return impl_->event(eventType, "capture", "Payment denied for " + seed.value + " " + seed.currency, capture);
}

std::string FakePayPal::subscriptionPaymentFailedEvent(const FailedSubscriptionSeed& seed) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const std::int64_t now = nowUnix();
    const json::Value amount = json::Value::object({{"currency_code", seed.currency}, {"value", seed.value}});
    json::Value subscription = json::Value::object(
        {{"id", seed.subscriptionId},
         {"plan_id", "P-5ML4271244454362WXNWU5NQ"},
         {"status", "ACTIVE"},
         {"start_time", isoTime(now - 40 * 86400)},
         {"quantity", "1"},
         {"subscriber", json::Value::object({{"email_address", seed.email},
                                             {"name", json::Value::object({{"given_name", seed.givenName}, {"surname", seed.surname}})},
                                             {"payer_id", "2J6QB8YJQSJRJ"}})},
         {"billing_info", json::Value::object({{"outstanding_balance", amount},
                                               {"next_billing_time", isoTime(now + 20 * 86400)},
                                               {"failed_payments_count", 1},
                                               {"last_failed_payment", json::Value::object({{"amount", amount},
                                                                                            {"time", isoTime(now)},
                                                                                            {"reason_code", seed.reasonCode},
                                                                                            {"next_payment_retry_time", isoTime(now + 5 * 86400)}})}})},
         {"create_time", isoTime(now - 40 * 86400)},
         {"update_time", isoTime(now)}});
    return impl_->event("BILLING.SUBSCRIPTION.PAYMENT.FAILED", "subscription", "Subscription payment failed", subscription);
}

PayPalWebhook FakePayPal::signedWebhook(const std::string& eventBody) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Impl::Transmission t;
    char id[48];
    std::snprintf(id, sizeof id, "%08llx-d67a-11e5-baa3-778b53f4ae55", static_cast<unsigned long long>(++impl_->idCount));
    t.authAlgo = "SHA256withRSA";
    t.certUrl = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-fake0001";
    t.time = isoTime(nowUnix());
    t.webhookId = impl_->options.webhookId;
    // Not RSA: the fake "signs" the string PayPal signs (id|time|webhook_id|crc32(body)) with a CRC,
    // and only ever checks signatures it issued itself.
    t.sig = "fakeSig" + crc32Decimal(std::string(id) + "|" + t.time + "|" + t.webhookId + "|" + crc32Decimal(eventBody));
    t.event = json::parse(eventBody);
    impl_->transmissions[id] = t;
    return {{{"paypal-auth-algo", t.authAlgo},
             {"paypal-cert-url", t.certUrl},
             {"paypal-transmission-id", id},
             {"paypal-transmission-sig", t.sig},
             {"paypal-transmission-time", t.time}},
            eventBody};
}

}  // namespace tinko::fakes
