// The fake's /v1 endpoints: every check Stripe (and Tinko's contract) makes before acting, the
// idempotency store, and the operations: POST /v1/checkout/sessions (payment and setup mode),
// POST /v1/payment_intents/{intent}/confirm, GET /v1/payment_intents/{intent} and
// GET /v1/setup_intents/{intent}. See FakeStripe.h.
#include "FakeStripeImpl.h"

#include <stdexcept>

namespace tinko::fakes {

using namespace detail;

namespace {

constexpr std::size_t kMaxIdempotencyKey = 255;
// Stripe's metadata limits (https://stripe.com/docs/api/metadata).
constexpr std::size_t kMaxMetadataKeys = 50, kMaxMetadataKey = 40, kMaxMetadataValue = 500;
// A Checkout Session expires 30 minutes to 24 hours after it is created.
constexpr std::int64_t kSessionMinLifetime = 30 * 60, kSessionMaxLifetime = 24 * 60 * 60;

Answer invalidRequest(int status, const ContractBreach& breach) {
    return jsonAnswer(status, errorBody("invalid_request_error", breach.message, breach.param, breach.code));
}

// The members of `prefix[...]` in a form, e.g. metadata[k]=v -> {k: v}.
std::vector<std::pair<std::string, std::string>> membersOf(const FormPairs& form, const std::string& prefix) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [n, v] : form)
        if (startsWith(n, prefix + "[") && n.back() == ']' && n.find('[', prefix.size() + 1) == std::string::npos)
            out.emplace_back(n.substr(prefix.size() + 1, n.size() - prefix.size() - 2), v);
    return out;
}

std::optional<ContractBreach> metadataBreach(const FormPairs& form, const std::string& prefix) {
    const auto members = membersOf(form, prefix);
    if (members.size() > kMaxMetadataKeys)
        return ContractBreach{"Invalid " + prefix + ": at most 50 keys", prefix, ""};
    for (const auto& [key, value] : members) {
        if (key.size() > kMaxMetadataKey)
            return ContractBreach{"Invalid " + prefix + ": keys must be at most 40 characters", prefix + "[" + key + "]", ""};
        if (value.size() > kMaxMetadataValue)
            return ContractBreach{"Invalid " + prefix + ": values must be at most 500 characters", prefix + "[" + key + "]", ""};
    }
    return std::nullopt;
}

Value metadataObject(const std::vector<std::pair<std::string, std::string>>& members) {
    Value out = Value::object();
    for (const auto& [k, v] : members) out.set(k, v);
    return out;
}

}  // namespace

Answer FakeStripe::Impl::api(FakeStripeRequest& request, std::chrono::milliseconds& delay) {
    RequestScript script;
    if (!requestScripts.empty() && (requestScripts.front().method.empty() || requestScripts.front().method == request.method)) {
        script = requestScripts.front();
        requestScripts.pop_front();
    }
    const Answer injectedFailure =
        jsonAnswer(script.failStatus, errorBody("api_error", "An unknown error occurred (injected by the test)"));
    if (script.failStatus && !script.failureSaved) return injectedFailure;   // in front of Stripe: nothing happened
    delay = script.delay;
    const std::string where = request.method + " " + request.path + ": ";
    auto refuse = [&](int status, const ContractBreach& breach) {
        violations.push_back(where + breach.message + (breach.param.empty() ? "" : " (param " + breach.param + ")"));
        return invalidRequest(status, breach);
    };

    // Authentication: a missing or malformed header is the plugin's bug, a wrong key a bad config.
    const std::string authorization = request.header("authorization");
    if (authorization.empty())
        return refuse(401, {"You did not provide an API key. You need to provide your API key in the Authorization "
                            "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').", "", ""});
    const std::string key = startsWith(authorization, "Bearer ") ? authorization.substr(7) : std::string();
    if (!startsWith(key, "sk_") && !startsWith(key, "rk_"))
        return refuse(401, {"Invalid API Key provided: the Authorization header must be 'Bearer sk_...'", "", ""});
    if (key != options.secretKey)
        return invalidRequest(401, {"Invalid API Key provided: " + key.substr(0, 8) + "****" +
                                        key.substr(key.size() >= 4 ? key.size() - 4 : 0), "", ""});

    // The contract: operation, headers, encoding, parameters.
    std::map<std::string, std::string> pathValues;
    const StripeContract::Operation* operation = contract.find(request.method, request.path, pathValues);
    if (!operation)
        return refuse(404, {"Unrecognized request URL (" + request.method + ": " + request.path +
                                "). The fake Stripe serves only the operations in stripe-contract.json.", "", ""});

    const std::string idempotencyKey = request.header("idempotency-key");
    if (request.method == "POST" && idempotencyKey.empty())
        return refuse(400, {"Tinko's Stripe contract requires an Idempotency-Key header on every POST", "", ""});
    if (idempotencyKey.size() > kMaxIdempotencyKey)
        return refuse(400, {"Keys for idempotent requests can only be up to 255 characters long", "", ""});
    const std::string version = request.header("stripe-version");
    if (version != contract.apiVersion())
        return refuse(400, {"Stripe-Version must be " + contract.apiVersion() + " (the contract's); got '" + version + "'",
                            "", ""});
    const std::string contentType = lower(request.header("content-type"));
    if (!request.body.empty() && !startsWith(contentType, "application/x-www-form-urlencoded"))
        return refuse(400, {"Invalid request: unsupported Content-Type " + contentType +
                                ". Stripe's API takes application/x-www-form-urlencoded bodies.", "", ""});
    const std::optional<FormPairs> form = decodeForm(request.body);
    if (!form) return refuse(400, {"Invalid request: the body is not valid form encoding", "", ""});
    request.form = *form;
    if (auto breach = contract.check(*operation, pathValues, *form)) return refuse(400, *breach);

    // Idempotency: the same key and request get the first answer again.
    const std::string fingerprint = request.method + " " + request.path + "\n" + request.body;
    if (!idempotencyKey.empty()) {
        auto saved = idempotency.find(idempotencyKey);
        if (saved != idempotency.end()) {
            if (saved->second.fingerprint != fingerprint) {
                violations.push_back(where + "reused Idempotency-Key '" + idempotencyKey + "' with other parameters");
                return jsonAnswer(400, errorBody("idempotency_error",
                                                 "Keys for idempotent requests can only be used with the same "
                                                 "parameters they were first used with. Try using a key other than '" +
                                                     idempotencyKey + "' if you meant to execute a different request."));
            }
            request.replayed = true;
            Answer replay = saved->second.answer;
            replay.headers.emplace_back("Idempotent-Replayed", "true");
            return replay;
        }
    }

    // The operation.
    if (operation->path == "/v1/checkout/sessions") {
        if (auto breach = checkoutRules(*form)) return refuse(400, *breach);
    }
    Answer answer;
    if (script.failStatus) {
        answer = injectedFailure;   // Stripe's endpoint failed while executing: saved like any answer
    } else if (operation->path == "/v1/checkout/sessions") {
        answer = createSession(*form);
    } else if (operation->path == "/v1/setup_intents/{intent}") {
        answer = retrieveSetupIntent(pathValues.at("intent"));
    } else if (operation->method == "GET") {
        answer = retrieve(pathValues.at("intent"));
    } else {
        answer = confirm(pathValues.at("intent"), *form);
    }
    answer.headers.emplace_back("Stripe-Version", contract.apiVersion());
    if (!idempotencyKey.empty()) {
        answer.headers.emplace_back("Idempotency-Key", idempotencyKey);
        idempotency[idempotencyKey] = {fingerprint, answer};
    }
    return answer;
}

// Stripe's rules for a Checkout Session that its schema cannot say.
std::optional<ContractBreach> FakeStripe::Impl::checkoutRules(const FormPairs& form) const {
    if (valueOf(form, "mode").value_or("") == "setup") {
        for (const auto& [name, value] : form) {
            if (startsWith(name, "line_items["))
                return ContractBreach{"You cannot pass `line_items` in `setup` mode.", "line_items", ""};
            if (startsWith(name, "payment_intent_data["))
                return ContractBreach{"You cannot pass `payment_intent_data` in `setup` mode.", "payment_intent_data", ""};
        }
        if (!valueOf(form, "payment_method_types[0]"))
            return ContractBreach{"Missing required param: payment_method_types (required in `setup` mode).",
                                  "payment_method_types", "parameter_missing"};
        const auto customer = valueOf(form, "customer");
        if (!customer)
            return ContractBreach{"Tinko's contract: a setup-mode session needs the failed payment's customer, or the "
                                  "saved card cannot be charged for it", "customer", "parameter_missing"};
        if (valueOf(form, "customer_email"))
            return ContractBreach{"You may only specify one of these parameters: customer, customer_email.", "customer_email", ""};
        if (!knowsCustomer(*customer))
            return ContractBreach{"No such customer: '" + *customer + "'", "customer", "resource_missing"};
        if (auto breach = metadataBreach(form, "setup_intent_data[metadata]")) return breach;
    }
    if (valueOf(form, "mode").value_or("") == "payment" && !valueOf(form, "line_items[0][quantity]") &&
        !valueOf(form, "line_items[0][price]") && !valueOf(form, "line_items[0][price_data][currency]"))
        return ContractBreach{"Missing required param: line_items.", "line_items", "parameter_missing"};
    for (const auto& [name, value] : form)
        if (startsWith(name, "line_items[") && name.size() > 8 && name.compare(name.size() - 7, 7, "[price]") == 0)
            return ContractBreach{"No such price: '" + value + "' (the fake Stripe knows no Prices; use price_data)", name,
                                  "resource_missing"};
    if (auto expires = valueOf(form, "expires_at")) {
        const std::int64_t at = std::stoll(*expires), now = nowUnix();
        if (at < now + kSessionMinLifetime)
            return ContractBreach{"The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
                                  "expires_at", ""};
        if (at > now + kSessionMaxLifetime)
            return ContractBreach{"The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
                                  "expires_at", ""};
    }
    if (auto breach = metadataBreach(form, "metadata")) return breach;
    return metadataBreach(form, "payment_intent_data[metadata]");
}

Answer FakeStripe::Impl::createSession(const FormPairs& form) {
    const std::string id = newId("cs_test");
    std::int64_t total = 0;
    std::string currency;
    for (int i = 0;; ++i) {
        const std::string item = "line_items[" + std::to_string(i) + "]";
        auto amount = valueOf(form, item + "[price_data][unit_amount]");
        if (!amount) break;
        total += std::stoll(*amount) * std::stoll(valueOf(form, item + "[quantity]").value_or("1"));
        currency = valueOf(form, item + "[price_data][currency]").value_or("");
    }
    const std::int64_t created = nowUnix();
    auto optional = [&](const std::string& name) {
        auto v = valueOf(form, name);
        return v ? Value(*v) : Value();
    };
    Value session = Value::object(
        {{"id", id},
         {"object", "checkout.session"},
         {"amount_subtotal", total},
         {"amount_total", total},
         {"cancel_url", optional("cancel_url")},
         {"client_reference_id", optional("client_reference_id")},
         {"created", created},
         {"currency", currency.empty() ? Value() : Value(lower(currency))},
         {"customer_email", optional("customer_email")},
         {"expires_at", std::stoll(valueOf(form, "expires_at").value_or(std::to_string(created + kSessionMaxLifetime)))},
         {"livemode", false},
         {"metadata", metadataObject(membersOf(form, "metadata"))},
         {"mode", optional("mode")},
         {"customer", optional("customer")},
         {"payment_intent", Value()},
         {"setup_intent", Value()},
         {"payment_status", valueOf(form, "mode").value_or("") == "setup" ? "no_payment_required" : "unpaid"},
         {"status", "open"},
         {"success_url", optional("success_url")},
         {"url", server.baseUrl() + "/checkout/" + id}});
    if (!checkoutUrls.empty()) {
        session["url"] = checkoutUrls.front();
        checkoutUrls.pop_front();
    }
    sessions.push_back({session, metadataObject(membersOf(form, "payment_intent_data[metadata]")),
                        metadataObject(membersOf(form, "setup_intent_data[metadata]"))});
    return jsonAnswer(200, session);
}

Answer FakeStripe::Impl::retrieve(const std::string& intentId) const {
    auto found = intents.find(intentId);
    if (found == intents.end())
        return jsonAnswer(404, errorBody("invalid_request_error", "No such payment_intent: '" + intentId + "'", "intent",
                                         "resource_missing"));
    return jsonAnswer(200, found->second);
}

Answer FakeStripe::Impl::retrieveSetupIntent(const std::string& id) const {
    auto found = setupIntents.find(id);
    if (found == setupIntents.end())
        return jsonAnswer(404, errorBody("invalid_request_error", "No such setupintent: '" + id + "'", "intent",
                                         "resource_missing"));
    return jsonAnswer(200, found->second);
}

bool FakeStripe::Impl::knowsCustomer(const std::string& customer) const {
    for (const auto& [id, intent] : intents)
        if (intent.at("customer") == Value(customer)) return true;
    return false;
}

Answer FakeStripe::Impl::confirm(const std::string& intentId, const FormPairs& form) {
    auto found = intents.find(intentId);
    if (found == intents.end())
        return jsonAnswer(404, errorBody("invalid_request_error", "No such payment_intent: '" + intentId + "'", "intent",
                                         "resource_missing"));
    Value& intent = found->second;
    const std::string status = intent.at("status").asString();
    if (status != "requires_payment_method" && status != "requires_confirmation" && status != "requires_action")
        return jsonAnswer(400, errorBody("invalid_request_error",
                                         "You cannot confirm this PaymentIntent because it has a status of " + status + ".",
                                         "", "payment_intent_unexpected_state"));
    if (auto method = valueOf(form, "payment_method")) {
        // A card saved through a setup session is attached to that session's customer: Stripe
        // refuses it for a PaymentIntent of another customer.
        for (const auto& [id, setup] : setupIntents)
            if (setup.at("payment_method") == Value(*method) && setup.at("customer") != intent.at("customer"))
                return jsonAnswer(400, errorBody("invalid_request_error",
                                                 "The provided PaymentMethod belongs to another Customer than this PaymentIntent's.",
                                                 "payment_method", "payment_method_customer_mismatch"));
        intent.set("payment_method", *method);
    }
    if (intent.at("payment_method").isNull())
        return jsonAnswer(400, errorBody("invalid_request_error",
                                         "You cannot confirm this PaymentIntent because it's missing a payment method. "
                                         "You can either update the PaymentIntent with a payment method and then confirm "
                                         "it again, or confirm it again directly with a payment method.",
                                         "payment_method", "payment_intent_unexpected_state"));

    ConfirmScript script;
    if (!confirmScripts.empty()) {
        script = confirmScripts.front();
        confirmScripts.pop_front();
    }
    if (!script.declineCode.empty()) {
        Value error = decline(intent, script.declineCode, script.code, script.message, script.advice);
        error.set("payment_intent", intent);
        return jsonAnswer(402, Value::object({{"error", error}}));
    }
    intent.set("last_payment_error", Value());
    if (!script.status.empty()) {
        intent.set("status", script.status);
        if (script.status == "requires_action")
            intent.set("next_action", Value::object({{"type", "use_stripe_sdk"}}));
    } else {
        intent.set("status", "succeeded");
        intent.set("amount_received", intent.at("amount"));
        intent.set("latest_charge", newId("ch"));
    }
    return jsonAnswer(200, intent);
}

Value FakeStripe::Impl::decline(Value& intent, const std::string& declineCode, const std::string& code, const std::string& message,
                                const DeclineAdvice& advice) {
    const Value methodId = intent.at("payment_method").isNull() ? Value(newId("pm")) : intent.at("payment_method");
    auto saved = cardBrands.find(methodId.asString());   // a card saved through a setup session keeps its brand
    const std::string brand = saved != cardBrands.end() ? saved->second : advice.cardBrand;
    const Value paymentMethod =
        Value::object({{"id", methodId},
                       {"object", "payment_method"},
                       {"card", Value::object({{"brand", brand}, {"fingerprint", "fp" + methodId.asString()}})},
                       {"type", "card"}});
    Value error = Value::object({{"charge", newId("ch")},
                                {"code", code},
                                {"decline_code", declineCode},
                                {"doc_url", errorBody("card_error", message, "", code).at("error").at("doc_url")},
                                {"message", message},
                                {"payment_method", paymentMethod},
                                {"type", "card_error"}});
    if (!advice.adviceCode.empty()) error.set("advice_code", advice.adviceCode);
    if (!advice.networkAdviceCode.empty()) error.set("network_advice_code", advice.networkAdviceCode);
    if (!advice.networkDeclineCode.empty()) error.set("network_decline_code", advice.networkDeclineCode);
    intent.set("status", "requires_payment_method");
    intent.set("payment_method", Value());   // Stripe detaches it: a retry names it again
    intent.set("last_payment_error", error);
    intent.set("latest_charge", error.at("charge"));
    return error;
}

}  // namespace tinko::fakes
