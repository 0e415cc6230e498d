// The fake's /v1 endpoint: every check Razorpay (and Tinko's contract) makes before acting, and
// the operation: POST /v1/payment_links. See FakeRazorpay.h.
#include "FakeRazorpayImpl.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace tinko::fakes {

using namespace razorpay_detail;

namespace {

// Strict Base64 (RFC 4648, padded): nullopt for anything else, so a sloppy encoder is caught.
std::optional<std::string> decodeBase64(const std::string& text) {
    if (text.empty() || text.size() % 4 != 0) return std::nullopt;
    const std::size_t padding = text.size() - text.find_last_not_of('=') - 1;
    if (padding > 2) return std::nullopt;
    for (std::size_t i = 0; i < text.size() - padding; ++i)
        if (!std::isalnum(static_cast<unsigned char>(text[i])) && text[i] != '+' && text[i] != '/') return std::nullopt;
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

}  // namespace

FakeRazorpay::Impl::Answer FakeRazorpay::Impl::api(FakeRazorpayRequest& request, std::chrono::milliseconds& delay) {
    RequestScript script;
    if (!requestScripts.empty()) {
        script = requestScripts.front();
        requestScripts.pop_front();
    }
    if (script.failStatus)   // in front of Razorpay's endpoint: nothing happens
        return jsonAnswer(script.failStatus,
                          errorBody(script.failCode, "We are facing some trouble completing your request at the moment. "
                                                     "Please try again shortly. (injected by the test)", "", "NA"));
    delay = script.delay;

    const std::string where = request.method + " " + request.path + ": ";
    auto refuse = [&](int status, const RazorpayBreach& breach, const std::string& reason = "input_validation_failed") {
        violations.push_back(where + breach.description + (breach.field.empty() ? "" : " (field " + breach.field + ")"));
        return jsonAnswer(status, errorBody("BAD_REQUEST_ERROR", breach.description, breach.field, reason));
    };

    // Authentication: a missing or malformed header is the plugin's bug, a wrong key a bad config.
    const std::string authorization = request.header("authorization");
    if (authorization.empty()) return refuse(401, {"Please provide your api key for authentication purposes.", ""}, "NA");
    if (!startsWith(authorization, "Basic "))
        return refuse(401, {"The Authorization header must be Basic base64(key_id:key_secret)", ""}, "NA");
    const std::optional<std::string> credentials = decodeBase64(authorization.substr(6));
    const std::size_t colon = credentials ? credentials->find(':') : std::string::npos;
    if (colon == std::string::npos)
        return refuse(401, {"The Authorization header must be Basic base64(key_id:key_secret)", ""}, "NA");
    const std::string keyId = credentials->substr(0, colon), secret = credentials->substr(colon + 1);
    const auto& prefixes = contract.keyIdPrefixes();
    if (std::none_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return startsWith(keyId, p); }))
        return refuse(401, {"The api key provided is invalid: a key id starts with rzp_test_ or rzp_live_", ""}, "NA");
    if (keyId != options.keyId || secret != options.keySecret)
        return jsonAnswer(401, errorBody("BAD_REQUEST_ERROR", "The api key provided is invalid", "", "NA"));

    // The contract: operation, encoding, body.
    const RazorpayContract::Operation* operation = contract.find(request.method, request.path);
    if (!operation)
        return refuse(404, {"The requested URL was not found on the server. The fake Razorpay serves only the "
                            "operations in razorpay-contract.json.", ""}, "NA");
    if (!startsWith(lower(request.header("content-type")), operation->contentType))
        return refuse(400, {"The request body must be " + operation->contentType + ", not '" +
                                request.header("content-type") + "'", ""});
    if (!request.json || !request.json->isObject()) return refuse(400, {"The request body must be a JSON object", ""});
    const Value& body = *request.json;
    if (auto breach = contract.check(*operation, body)) return refuse(400, *breach);
    if (auto breach = linkRules(*operation, body)) return refuse(400, *breach);

    // Razorpay's own refusal of a taken reference_id: how a repeated creation is refused, not a breach.
    if (const Value* reference = body.find("reference_id"); reference && reference->isString())
        for (const Value& link : links)
            if (link.at("reference_id") == *reference)
                return jsonAnswer(400, errorBody("BAD_REQUEST_ERROR",
                                                 "Payment Link with reference_id " + reference->asString() +
                                                     " already exists for this account",
                                                 "reference_id"));
    return createLink(body);
}

// The rules razorpay-contract.json states beside the schema.
std::optional<RazorpayBreach> FakeRazorpay::Impl::linkRules(const RazorpayContract::Operation& operation,
                                                            const Value& body) const {
    const std::string method = operation.rules.getOr<std::string>("callback_method_with_callback_url", "get");
    if (body.find("callback_url") && !body.at("callback_url").isNull() && body.getOr<std::string>("callback_method", "") != method)
        return RazorpayBreach{"The callback method field is required when callback url is present.", "callback_method"};
    if (const Value* expireBy = body.find("expire_by"); expireBy && expireBy->isInt()) {
        const std::int64_t min = RazorpayContract::ruleNumber(operation, "expire_by_min_ahead_seconds");
        const std::int64_t max = RazorpayContract::ruleNumber(operation, "expire_by_max_ahead_seconds");
        if (expireBy->asInt() < now() + min)
            return RazorpayBreach{"The expire by date should be at least " + std::to_string(min / 60) +
                                      " minutes after the current time",
                                  "expire_by"};
        if (expireBy->asInt() > now() + max)
            return RazorpayBreach{"The expire by date may not be more than " + std::to_string(max / 86400) +
                                      " days (6 months) after the current time",
                                  "expire_by"};
    }
    return std::nullopt;
}

FakeRazorpay::Impl::Answer FakeRazorpay::Impl::createLink(const Value& body) {
    const std::string id = newId("plink");
    const std::int64_t created = now();
    auto optional = [&](const char* name, Value fallback) {
        const Value* v = body.find(name);
        return v && !v->isNull() ? *v : fallback;
    };
    Value notify = Value::object({{"email", false}, {"sms", false}, {"whatsapp", false}});
    if (const Value* asked = body.find("notify"); asked && asked->isObject())
        for (const auto& [channel, on] : asked->asObject()) notify.set(channel, on);
    const Value* notes = body.find("notes");
    Value link = Value::object({{"accept_partial", optional("accept_partial", false)},
                                {"amount", body.at("amount")},
                                {"amount_paid", 0},
                                {"callback_method", optional("callback_method", "")},
                                {"callback_url", optional("callback_url", "")},
                                {"cancelled_at", 0},
                                {"created_at", created},
                                {"currency", optional("currency", "INR")},
                                {"customer", optional("customer", Value::object())},
                                {"description", optional("description", "")},
                                {"expire_by", optional("expire_by", 0)},
                                {"expired_at", 0},
                                {"first_min_partial_amount", optional("first_min_partial_amount", 0)},
                                {"id", id},
                                // Razorpay writes empty notes as an empty array (PHP), not {}.
                                {"notes", notes && notes->isObject() && notes->size() > 0 ? *notes : Value::array()},
                                {"notify", notify},
                                {"order_id", ""},
                                {"payments", Value()},
                                {"reference_id", optional("reference_id", "")},
                                {"reminder_enable", optional("reminder_enable", true)},
                                {"reminders", Value::array()},
                                {"short_url", server.baseUrl() + "/pl/" + id},
                                {"status", "created"},
                                {"updated_at", created},
                                {"upi_link", false},
                                {"user_id", ""},
                                {"whatsapp_link", false}});
    links.push_back(link);
    return jsonAnswer(200, link);
}

}  // namespace tinko::fakes
