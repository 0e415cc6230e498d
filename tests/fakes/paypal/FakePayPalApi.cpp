// FakePayPal's API: the token endpoint, orders, captures and webhook verification, each request
// checked against paypal-contract.json first (see FakePayPal.h for what is checked).
#include "FakePayPalImpl.h"

#include <Poco/Base64Decoder.h>

#include <algorithm>
#include <iterator>
#include <sstream>

namespace tinko::fakes {

using namespace detail;

namespace {

struct ErrorWords {
    int status;
    const char* name;
    const char* message;
};

// PayPal's names and messages per status (checkout_orders_v2.json, error_400 .. error_503).
constexpr ErrorWords kErrorWords[] = {
    {400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema."},
    {401, "AUTHENTICATION_FAILURE",
     "Authentication failed due to invalid authentication credentials or a missing Authorization header."},
    {403, "NOT_AUTHORIZED", "Authorization failed due to insufficient permissions."},
    {404, "RESOURCE_NOT_FOUND", "The specified resource does not exist."},
    {409, "RESOURCE_CONFLICT", "The server has detected a conflict while processing this request."},
    {415, "UNSUPPORTED_MEDIA_TYPE", "The server does not support the request payload's media type."},
    {422, "UNPROCESSABLE_ENTITY",
     "The requested action could not be performed, semantically incorrect, or failed business validation."},
    {429, "RATE_LIMIT_REACHED", "Too many requests. Blocked due to rate limiting."},
    {500, "INTERNAL_SERVER_ERROR", "An internal server error occurred."},
    {503, "SERVICE_UNAVAILABLE", "Service Unavailable."},
};

Answer oauthError(int status, const std::string& error, const std::string& description) {
    return jsonAnswer(status, Value::object({{"error", error}, {"error_description", description}}));
}

// "client:secret" from "Basic <base64>", or nullopt when the header is not HTTP Basic.
std::optional<std::string> basicCredentials(const std::string& header) {
    if (header.rfind("Basic ", 0) != 0 || header.size() == 6) return std::nullopt;
    try {
        std::istringstream in(header.substr(6));
        Poco::Base64Decoder decoder(in);
        std::string decoded((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
        if (decoded.find(':') == std::string::npos) return std::nullopt;
        return decoded;
    } catch (...) {
        return std::nullopt;
    }
}

bool isPositive(const std::string& value) {
    if (value.empty() || value[0] == '-') return false;
    return value.find_first_of("123456789") != std::string::npos;
}

}  // namespace

Answer FakePayPal::Impl::error(int status, const std::optional<PayPalBreach>& breach, const std::string& apiName) {
    const ErrorWords* words = nullptr;
    for (const ErrorWords& w : kErrorWords)
        if (w.status == status) words = &w;
    const std::string name = words ? words->name : "UNKNOWN_ERROR";
    const std::string message = words ? words->message : "An error occurred.";
    Value body = Value::object({{"name", name}, {"message", message}, {"debug_id", newId("fakedebug", 8)}});
    std::string anchor = name;
    if (breach) {
        Value detail = Value::object();
        if (!breach->field.empty()) detail.set("field", breach->field);
        if (!breach->value.empty()) detail.set("value", breach->value);
        if (!breach->location.empty()) detail.set("location", breach->location);
        detail.set("issue", breach->issue);
        detail.set("description", breach->description);
        body.set("details", Value::array({detail}));
        anchor = breach->issue;
    }
    body.set("links", Value::array({Value::object({{"href", "https://developer.paypal.com/docs/api/" + apiName + "/#error-" + anchor},
                                                   {"rel", "information_link"},
                                                   {"method", "GET"}})}));
    return jsonAnswer(status, body);
}

Answer FakePayPal::Impl::violation(const FakePayPalRequest& request, int status, const PayPalBreach& breach) {
    violations.push_back(request.method + " " + request.path + ": " + breach.issue +
                         (breach.field.empty() ? "" : " " + breach.field) + ": " + breach.description);
    return error(status, breach);
}

Answer FakePayPal::Impl::api(FakePayPalRequest& request) {
    std::map<std::string, std::string> pathValues;
    const PayPalContract::Operation* op = contract.find(request.method, request.path, pathValues);
    if (!op) return violation(request, 404, {"INVALID_RESOURCE_ID", request.path, "", "path",
                                             "The fake PayPal (and its contract) has no " + request.method + " " + request.path + "."});
    if (op->auth == "basic") return token(request, *op);

    // Authentication: a missing or malformed header breaks the contract; an unknown or expired
    // token is what a test of a bad configuration or of token refresh sends.
    const std::string authorization = request.header("authorization");
    if (authorization.rfind("Bearer ", 0) != 0 || authorization.size() == 7)
        return violation(request, 401, {"AUTHENTICATION_FAILURE", "Authorization", "", "header",
                                        "Every API call needs Authorization: Bearer <access token>."});
    const auto found = tokens.find(authorization.substr(7));
    if (found == tokens.end() || found->second.revoked || found->second.expiresAt <= nowUnix()) return error(401);

    if (!failures.empty()) {
        const int status = failures.front();
        failures.pop_front();
        return error(status);
    }

    if (lower(request.header("content-type")).rfind("application/json", 0) != 0)
        return violation(request, 415, {"UNSUPPORTED_MEDIA_TYPE", "Content-Type", request.header("content-type"), "header",
                                        "The API takes JSON: Content-Type: application/json."});
    Value body = Value::object();
    if (!request.body.empty() || op->bodyRequired) {
        try {
            body = json::parse(request.body);
        } catch (const json::ParseError&) {
            return violation(request, 400, {"MALFORMED_REQUEST_JSON", "", "", "body",
                                            op->issues400.getOr<std::string>("MALFORMED_REQUEST_JSON",
                                                                             "The request JSON is not well formed.")});
        }
    }
    if (auto b = contract.checkHeaders(*op, request.headers)) return violation(request, 400, *b);
    if (auto b = contract.checkPath(*op, pathValues)) return violation(request, 400, *b);
    if (auto b = PayPalContract::checkValue(op->body, body, "")) return violation(request, 400, *b);

    const bool paymentCall = op->operationId == "orders.create" || op->operationId == "orders.capture";
    const std::string requestId = request.header("paypal-request-id");
    if (paymentCall && requestId.empty())
        return violation(request, 400, {"PAYPAL_REQUEST_ID_REQUIRED", "PayPal-Request-Id", "", "header",
                                        op->issues400.getOr<std::string>("PAYPAL_REQUEST_ID_REQUIRED",
                                                                         "Tinko sends every payment call with a PayPal-Request-Id.")});
    if (op->operationId == "orders.create")
        if (auto b = amountRules(body, *op)) return violation(request, 422, *b);

    // The same PayPal-Request-Id replays the first answer: 201 becomes 200, as PayPal does.
    const std::string key = request.path + " " + requestId;
    if (paymentCall) {
        if (auto s = saved.find(key); s != saved.end()) {
            if (s->second.body != request.body)
                violations.push_back(request.method + " " + request.path + ": PayPal-Request-Id " + requestId +
                                     " was first used with another body");
            request.replayed = true;
            Answer replay = s->second.answer;
            if (replay.status == 201) replay.status = 200;
            return replay;
        }
    }
    const bool representation = lower(request.header("prefer")) == "return=representation";
    Answer answer;
    if (op->operationId == "orders.create") answer = createOrder(body, representation);
    else if (op->operationId == "orders.capture") answer = capture(pathValues.at("id"), representation);
    else answer = verify(body);
    if (paymentCall) saved[key] = {request.body, answer};
    return answer;
}

Answer FakePayPal::Impl::token(const FakePayPalRequest& request, const PayPalContract::Operation& op) {
    const std::optional<std::string> credentials = basicCredentials(request.header("authorization"));
    if (!credentials) {
        violations.push_back(request.method + " " + request.path + ": the token endpoint needs HTTP Basic client_id:secret");
        return oauthError(401, "invalid_client", "Client Authentication failed");
    }
    if (lower(request.header("content-type")).rfind("application/x-www-form-urlencoded", 0) != 0) {
        violations.push_back(request.method + " " + request.path + ": the token endpoint takes a form body");
        return oauthError(415, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
    }
    const std::optional<FormPairs> form = decodeForm(request.body);
    Value fields = Value::object();
    for (const auto& [name, value] : form.value_or(FormPairs{})) fields.set(name, value);
    if (!form || PayPalContract::checkValue(op.body, fields, "")) {
        violations.push_back(request.method + " " + request.path + ": the body must be grant_type=client_credentials");
        return oauthError(400, "unsupported_grant_type", "Grant Type is NULL or not client_credentials");
    }
    if (*credentials != options.clientId + ":" + options.clientSecret)
        return oauthError(401, "invalid_client", "Client Authentication failed");

    const std::string accessToken = newId("A21AAFakeAccessToken", 12) + "-" + std::to_string(nowUnix());
    tokens[accessToken] = {nowUnix() + options.tokenLifetimeSeconds, false};
    ++tokensIssued;
    return jsonAnswer(200, Value::object({{"scope", "https://uri.paypal.com/services/payments/payment "
                                                    "https://uri.paypal.com/services/applications/webhooks"},
                                          {"access_token", accessToken},
                                          {"token_type", "Bearer"},
                                          {"app_id", "APP-80W284485P519543T"},
                                          {"expires_in", options.tokenLifetimeSeconds},
                                          {"nonce", isoTime(nowUnix()) + newId("fakenonce", 6)}}));
}

std::optional<PayPalBreach> FakePayPal::Impl::amountRules(const Value& body, const PayPalContract::Operation& op) const {
    const Value& units = body.at("purchase_units");
    for (std::size_t i = 0; i < units.size(); ++i) {
        const Value& amount = units.at(i).at("amount");
        const std::string currency = amount.at("currency_code").asString();
        const std::string value = amount.at("value").asString();
        const std::string field = "/purchase_units/" + std::to_string(i) + "/amount/value";
        auto rule = [&](const char* issue) {
            return PayPalBreach{issue, field, value, "body", op.issues422.getOr<std::string>(issue, issue)};
        };
        const std::size_t point = value.find('.');
        const std::size_t decimals = point == std::string::npos ? 0 : value.size() - point - 1;
        const int allowed = paypalDecimals(currency);
        if (allowed < 0) return PayPalBreach{"INVALID_CURRENCY_CODE", "/purchase_units/" + std::to_string(i) + "/amount/currency_code",
                                             currency, "body", op.issues422.getOr<std::string>("INVALID_CURRENCY_CODE", "")};
        if ((allowed == 0 && point != std::string::npos) || decimals > static_cast<std::size_t>(allowed))
            return rule("DECIMAL_PRECISION");
        if (!isPositive(value)) return rule("CANNOT_BE_ZERO_OR_NEGATIVE");
    }
    return std::nullopt;
}

Answer FakePayPal::Impl::createOrder(const Value& body, bool representation) {
    Order order;
    const std::string id = newId("ORDER", 12);
    const Value* source = body.find("payment_source");
    const Value* wallet = source ? source->find("paypal") : nullptr;
    const Value* experience = wallet ? wallet->find("experience_context") : nullptr;
    const Value* legacy = body.find("application_context");
    const Value* context = experience ? experience : legacy;
    order.returnUrl = context ? context->getOr<std::string>("return_url", "") : "";
    order.cancelUrl = context ? context->getOr<std::string>("cancel_url", "") : "";

    Value units = Value::array();
    for (const Value& requested : body.at("purchase_units").asArray()) {
        Value unit = Value::object({{"reference_id", requested.getOr<std::string>("reference_id", "default")},
                                    {"amount", requested.at("amount")},
                                    {"payee", Value::object({{"email_address", "merchant@example.com"},
                                                             {"merchant_id", "FAKEMERCHANT01"}})}});
        for (const char* kept : {"custom_id", "invoice_id", "soft_descriptor"})
            if (const Value* v = requested.find(kept)) unit.set(kept, *v);
        units.push(unit);
    }
    order.object = Value::object({{"id", id},
                                  {"intent", body.at("intent")},
                                  {"status", wallet ? "PAYER_ACTION_REQUIRED" : "CREATED"},
                                  {"purchase_units", units},
                                  {"create_time", isoTime(nowUnix())}});
    if (wallet) order.object.set("payment_source", Value::object({{"paypal", Value::object()}}));
    order.object.set("links", orderLinks(order));
    orders.push_back(order);
    if (representation) return jsonAnswer(201, order.object);
    Value minimal = Value::object({{"id", id}, {"status", order.object.at("status")}});
    if (wallet) minimal.set("payment_source", order.object.at("payment_source"));
    minimal.set("links", order.object.at("links"));
    return jsonAnswer(201, minimal);
}

Answer FakePayPal::Impl::capture(const std::string& orderId, bool representation) {
    Order* order = findOrder(orderId);
    if (!order)
        return error(404, PayPalBreach{"INVALID_RESOURCE_ID", "", "", "path",
                                       "Specified resource ID does not exist. Please check the resource ID and try again."});
    const PayPalContract::Operation& op = *std::find_if(contract.operations().begin(), contract.operations().end(),
                                                        [](const auto& o) { return o.operationId == "orders.capture"; });
    auto refusal = [&](const std::string& issue) {
        return error(422, PayPalBreach{issue, "", "", "", op.issues422.getOr<std::string>(issue, issue)});
    };
    Value& o = order->object;
    const std::string status = o.at("status").asString();
    if (status == "COMPLETED") return refusal("ORDER_ALREADY_CAPTURED");
    if (status != "APPROVED") return refusal("ORDER_NOT_APPROVED");
    if (!captureDeclines.empty()) {
        const std::string issue = captureDeclines.front();
        captureDeclines.pop_front();
        o.set("status", "PAYER_ACTION_REQUIRED");   // the payer may approve another funding source
        Answer answer = refusal(issue);
        Value body = json::parse(answer.body);
        body["links"].push(Value::object({{"href", server.baseUrl() + "/checkoutnow?token=" + orderId}, {"rel", "redirect"}, {"method", "GET"}}));
        answer.body = body.dump();
        return answer;
    }

    const std::string now = isoTime(nowUnix());
    Value& unit = o["purchase_units"].asArray().front();
    const std::string captureId = newId("CAPTURE", 10);
    Value captured = Value::object({{"id", captureId},
                                    {"status", "COMPLETED"},
                                    {"amount", unit.at("amount")},
                                    {"final_capture", true},
                                    {"seller_protection", Value::object({{"status", "ELIGIBLE"},
                                                                         {"dispute_categories", Value::array({"ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"})}})}});
    for (const char* kept : {"invoice_id", "custom_id"})
        if (const Value* v = unit.find(kept)) captured.set(kept, *v);
    captured.set("create_time", now);
    captured.set("update_time", now);
    captured.set("links", Value::array({Value::object({{"href", server.baseUrl() + "/v2/payments/captures/" + captureId}, {"rel", "self"}, {"method", "GET"}}),
                                        Value::object({{"href", server.baseUrl() + "/v2/checkout/orders/" + orderId}, {"rel", "up"}, {"method", "GET"}})}));
    unit.set("payments", Value::object({{"captures", Value::array({captured})}}));
    o.set("status", "COMPLETED");
    o.set("update_time", now);
    o.set("links", orderLinks(*order));
    if (representation) return jsonAnswer(201, o);
    Value minimal = Value::object({{"id", orderId}, {"status", "COMPLETED"}});
    if (const Value* source = o.find("payment_source")) minimal.set("payment_source", *source);
    minimal.set("purchase_units", Value::array({Value::object({{"reference_id", unit.at("reference_id")},
                                                               {"payments", unit.at("payments")}})}));
    if (const Value* payer = o.find("payer")) minimal.set("payer", *payer);
    minimal.set("links", o.at("links"));
    return jsonAnswer(201, minimal);
}

Answer FakePayPal::Impl::verify(const Value& body) const {
    auto status = [](bool success) {
        return jsonAnswer(200, Value::object({{"verification_status", success ? "SUCCESS" : "FAILURE"}}));
    };
    const auto issued = transmissions.find(body.at("transmission_id").asString());
    if (issued == transmissions.end()) return status(false);
    const Transmission& t = issued->second;
    return status(body.at("auth_algo").asString() == t.authAlgo && body.at("cert_url").asString() == t.certUrl &&
                  body.at("transmission_sig").asString() == t.sig && body.at("transmission_time").asString() == t.time &&
                  body.at("webhook_id").asString() == options.webhookId && body.at("webhook_event") == t.event);
}

}  // namespace tinko::fakes
