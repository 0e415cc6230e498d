#include "api/EventsApi.h"

#include "http/Json.h"
#include "http/MetricFamilies.h"
#include "http/Pagination.h"
#include "notify/Locales.h"
#include "plugins/LinearPattern.h"
#include "recovery/DeclineAdvice.h"
#include "security/SecretTokens.h"
#include "timing/ZoneCatalog.h"
#include "util/Log.h"

#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Parser.h>

#include <cctype>

namespace tinko::api {

using namespace tinko::http;

namespace {
const std::vector<FieldRule> kCustomerRules{
    {"email", JsonType::String, false, 254, {}},
    {"phone", JsonType::String, false, 32, {}},
    {"name", JsonType::String, false, 200, {}},
    {"locale", JsonType::String, false, 35, {}},
    {"timezone", JsonType::String, false, 64, {}},   // IANA; the policy's timing runs on its clock
    {"country", JsonType::String, false, 0, {}},     // ISO 3166-1 alpha-2; its zone when no timezone
};
const std::vector<FieldRule> kFailureRules{
    {"transaction_ref", JsonType::String, true, 200, {}},
    {"amount", JsonType::Integer, true, 0, {}},
    {"currency", JsonType::String, true, 3, {}},
    {"psp", JsonType::String, false, 40, {}},
    {"payment_reference", JsonType::String, false, 255, {}},
    {"payment_method", JsonType::String, false, 255, {}},
    {"decline_code", JsonType::String, false, 100, {}},
    {"failure_reason", JsonType::String, false, 1000, {}},
    // Decline advice and the card (issue 16; recovery/DeclineAdvice.h).
    {"advice_code", JsonType::String, false, 40, {}},
    {"network_advice_code", JsonType::String, false, 2, {}},
    {"network_decline_code", JsonType::String, false, 4, {}},
    {"card_network", JsonType::String, false, 20, {}},
    {"card_fingerprint", JsonType::String, false, 255, {}},
    {"customer", JsonType::Object, false, 0, kCustomerRules},
    {"occurred_at", JsonType::String, false, 40, {}},
    {"metadata", JsonType::Object, false, 0, {}},
};
const std::vector<FieldRule> kClassifyRules{
    {"psp", JsonType::String, true, 40, {}},
    {"code", JsonType::String, true, 100, {}},
    {"decline_code", JsonType::String, false, 100, {}},
    {"message", JsonType::String, false, 1000, {}},
};

std::optional<std::string> optText(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return std::nullopt;
    return o.getValue<std::string>(key);
}

// The decline advice fields: an unknown advice_code changes nothing, but must look like one.
void adviceProblems(const Poco::JSON::Object& body, std::vector<FieldError>& errors) {
    if (auto advice = optText(body, "advice_code");
        advice && (advice->empty() || advice->find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos))
        errors.push_back({"advice_code", "must be the provider's advice code, e.g. \"do_not_try_again\", \"try_again_later\" or \"confirm_card_data\""});
    if (auto mac = optText(body, "network_advice_code"))
        if (auto why = recovery::networkAdviceCodeProblem(*mac)) errors.push_back({"network_advice_code", *why});
    if (auto code = optText(body, "network_decline_code"))
        if (auto why = recovery::networkDeclineCodeProblem(*code)) errors.push_back({"network_decline_code", *why});
    if (auto network = optText(body, "card_network"))
        if (auto why = recovery::cardNetworkProblem(*network)) errors.push_back({"card_network", *why});
    if (auto fingerprint = optText(body, "card_fingerprint"); fingerprint && fingerprint->empty())
        errors.push_back({"card_fingerprint", "must not be empty"});
}

// Field errors beyond types: ranges and formats a person can fix.
std::vector<FieldError> valueProblems(const Poco::JSON::Object& body) {
    std::vector<FieldError> errors;
    const auto amount = body.getValue<Poco::Int64>("amount");
    if (amount <= 0) errors.push_back({"amount", "must be a positive integer in minor units (e.g. 1999 for 19.99)"});
    const std::string currency = body.getValue<std::string>("currency");
    if (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
        errors.push_back({"currency", "must be a three-letter ISO 4217 code, e.g. USD"});
    if (body.getValue<std::string>("transaction_ref").empty()) errors.push_back({"transaction_ref", "must not be empty"});
    if (auto at = optText(body, "occurred_at")) {
        // POCO's ISO 8601 parser accepts almost anything, so the form is checked first.
        static const auto iso = *plugins::LinearPattern::compile(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$)");
        Poco::DateTime parsed;
        int tz = 0;
        if (!iso.fullMatch(*at) ||
            !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, *at, parsed, tz))
            errors.push_back({"occurred_at", "must be an ISO 8601 time with a zone, e.g. 2026-11-23T18:00:00Z"});
    }
    adviceProblems(body, errors);
    if (auto customer = body.getObject("customer")) {
        if (auto email = optText(*customer, "email"); email && email->find('@') == std::string::npos)
            errors.push_back({"customer.email", "is not an email address"});
        if (auto phone = optText(*customer, "phone");
            phone && (phone->size() < 8 || (*phone)[0] != '+' || phone->find_first_not_of("+0123456789") != std::string::npos))
            errors.push_back({"customer.phone", "must be in E.164 form, e.g. +14155550123"});
        // The locale picks the org's message template (notify/TemplateChoice.h).
        if (auto locale = optText(*customer, "locale"); locale && !notify::canonicalLocale(*locale))
            errors.push_back({"customer.locale", "must be a BCP 47 language tag such as \"en\" or \"de-AT\""});
        if (auto zone = optText(*customer, "timezone"); zone && !timing::ZoneCatalog::system().find(*zone))
            errors.push_back({"customer.timezone", "must be an IANA time zone such as \"America/New_York\""});
        if (auto country = optText(*customer, "country"); country && !timing::ZoneCatalog::system().zoneOfCountry(*country))
            errors.push_back({"customer.country", "must be an ISO 3166-1 alpha-2 country code such as \"US\""});
    }
    return errors;
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

void registerEventRoutes(Router& router, recovery::FailureIntake& intake, recovery::DeclineClassifier& classifier,
                         store::RecoveryStore& recoveries, Metrics& metrics) {
    router.add("POST", "/v1/events/payment_failed", Access::Org, [&](const HttpRequest& req) {
        auto idempotencyKey = req.header("idempotency-key");
        if (idempotencyKey && (idempotencyKey->empty() || idempotencyKey->size() > 255))
            return problemResponse(problems::badRequest("Idempotency-Key must be 1 to 255 characters"));
        auto body = parseJsonBody(req.body, kFailureRules);
        if (!body) return problemResponse(*body.problem);
        const Poco::JSON::Object& o = *body.object;
        if (auto errors = valueProblems(o); !errors.empty()) return problemResponse(problems::validation(errors));

        store::FailureEventInput e;
        e.orgId = req.caller.orgId;
        e.transactionRef = o.getValue<std::string>("transaction_ref");
        e.amount = o.getValue<Poco::Int64>("amount");
        e.currency = upper(o.getValue<std::string>("currency"));
        e.psp = optText(o, "psp");
        e.paymentReference = optText(o, "payment_reference");
        e.paymentMethod = optText(o, "payment_method");
        e.declineCode = optText(o, "decline_code");
        e.failureReason = optText(o, "failure_reason");
        e.adviceCode = optText(o, "advice_code");
        e.networkAdviceCode = optText(o, "network_advice_code");
        e.networkDeclineCode = optText(o, "network_decline_code");
        e.cardNetwork = optText(o, "card_network");
        e.cardFingerprint = optText(o, "card_fingerprint");
        if (auto customer = o.getObject("customer")) e.customerJson = toJson(*customer);
        e.occurredAt = optText(o, "occurred_at");
        if (auto metadata = o.getObject("metadata")) e.metadataJson = toJson(*metadata);
        e.idempotencyKey = idempotencyKey;
        e.requestSha256 = security::sha256Hex(req.body);

        auto customer = o.getObject("customer");
        recovery::Contact contact{customer && optText(*customer, "email").has_value(),
                                  customer && optText(*customer, "phone").has_value()};
        if (customer) {
            contact.timezone = optText(*customer, "timezone");
            contact.country = optText(*customer, "country");
        }
        auto outcome = intake.take(std::move(e), contact);
        const char* counted = outcome.kind == store::IngestOutcome::Kind::Stored     ? "stored"
                              : outcome.kind == store::IngestOutcome::Kind::Replayed ? "replayed"
                                                                                     : "key_reused";
        metrics.addToCounter(http::counters::kEventsTotal, std::string("source=\"api\",outcome=\"") + counted + "\"");
        if (outcome.kind == store::IngestOutcome::Kind::KeyReused)
            return problemResponse({422, "idempotency-key-reused", "Idempotency-Key reused",
                                    "this Idempotency-Key was first used with a different body; use a new key for a new event",
                                    {}, {}});
        HttpResponse r = jsonTextResponse(201, outcome.responseJson);
        if (outcome.kind == store::IngestOutcome::Kind::Replayed) r.withHeader("Idempotent-Replayed", "true");
        return r;
    });

    router.add("GET", "/v1/events/by_ref/{ref}", Access::Org, [&recoveries](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        const auto& pr = std::get<PageRequest>(page);
        auto events = recoveries.eventsByRef(req.caller.orgId, req.param("ref"), pr.afterId, pr.limit);
        if (!events) return problemResponse(problems::notFound("no failure events for transaction '" + req.param("ref") + "'"));
        return jsonTextResponse(200, pageBody(events->items, events->count, pr, cursorAfter(events->lastId),
                                              "\"transaction_ref\":" + log::jsonQuote(req.param("ref")) + ","));
    });

    router.add("POST", "/v1/classify", Access::Org, [&classifier](const HttpRequest& req) {
        auto body = parseJsonBody(req.body, kClassifyRules);
        if (!body) return problemResponse(*body.problem);
        const auto& o = *body.object;
        auto c = classifier.classify(req.caller.orgId, o.getValue<std::string>("psp"), o.getValue<std::string>("code"),
                                     optText(o, "decline_code"), optText(o, "message"));
        auto out = orderedObject();
        out.set("category", c.category);
        out.set("hardness", c.hardness);
        out.set("retryable", c.retryable);
        out.set("recommendation", c.recommendation);
        out.set("classified_by", c.plugin.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.plugin));
        return jsonResponse(200, out);
    });
}

}  // namespace tinko::api
