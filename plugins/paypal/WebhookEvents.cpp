#include "WebhookEvents.h"

#include "common/ProviderJson.h"

#include "Money.h"
#include "PayPalRequests.h"

#include "tinko/sdk.hpp"

#include <cctype>

namespace tinko::paypal {

namespace {

using json::Value;
using plugins::common::text;
using plugins::common::objectAt;
using plugins::common::setIfPresent;

constexpr const char* kHandledTypes[] = {"PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.DECLINED",
                                         "BILLING.SUBSCRIPTION.PAYMENT.FAILED"};

// PayPal's money {"currency_code", "value"} as "amount" (minor units) and "currency".
void setMoney(Value& out, const Value* money) {
    const std::string currency = text(money, "currency_code");
    if (currency.empty()) return;
    out.set("currency", currency);
    if (auto minor = parseAmount(text(money, "value"), currency)) out.set("amount", *minor);
}

void setOccurredAt(Value& out, const std::string& time) {
    if (auto at = unixSecondsOf(time)) out.set("occurred_at", *at);
}

Value captureCompleted(const Value& capture) {
    Value out = Value::object({{"type", "payment_succeeded"}});
    if (auto recoveryId = recoveryIdOf(text(&capture, "custom_id"))) out.set("recovery_id", *recoveryId);
    setIfPresent(out, "transaction_ref", text(&capture, "invoice_id"));
    setMoney(out, objectAt(&capture, "amount"));
    setIfPresent(out, "payment_reference", text(&capture, "id"));
    setIfPresent(out, "order_id", text(objectAt(objectAt(&capture, "supplementary_data"), "related_ids"), "order_id"));
    setOccurredAt(out, text(&capture, "update_time"));
    return out;
}

Value captureFailed(const Value& capture, const std::string& defaultCode) {
    const std::string id = text(&capture, "id");
    std::string ref = text(&capture, "invoice_id");
    Value out = Value::object({{"type", "payment_failed"}, {"transaction_ref", ref.empty() ? id : ref}});
    setMoney(out, objectAt(&capture, "amount"));
    const std::string reason = text(objectAt(&capture, "status_details"), "reason");
    out.set("code", reason.empty() ? defaultCode : reason);
    out.set("message", "PayPal " + std::string(defaultCode == "PAYMENT_DENIED" ? "denied" : "declined") + " the capture" +
                           (reason.empty() ? "" : " (" + reason + ")"));
    setIfPresent(out, "payment_reference", id);
    setOccurredAt(out, text(&capture, "update_time"));
    return out;
}

// One billing cycle of a subscription is one payment to recover: PayPal's retries of the cycle
// (same next_billing_time) join its recovery, the next cycle's failure is a new payment. The last
// payment's time would not do: a cycle paid through Tinko's own order does not change it.
std::string subscriptionCycleRef(const std::string& subscriptionId, const Value* billing) {
    const std::string nextBilling = text(billing, "next_billing_time");
    return nextBilling.empty() ? subscriptionId : subscriptionId + ":" + nextBilling;
}

Value subscriptionPaymentFailed(const Value& subscription) {
    const std::string id = text(&subscription, "id");
    const Value* billing = objectAt(&subscription, "billing_info");
    Value out = Value::object({{"type", "payment_failed"}, {"transaction_ref", subscriptionCycleRef(id, billing)}});
    const Value* failed = objectAt(billing, "last_failed_payment");
    const Value* amount = objectAt(failed, "amount");
    setMoney(out, amount ? amount : objectAt(billing, "outstanding_balance"));
    const std::string reason = text(failed, "reason_code");
    setIfPresent(out, "code", reason);
    setIfPresent(out, "message", reason.empty() ? "" : "PayPal could not collect the subscription payment (" + reason + ")");
    setIfPresent(out, "payment_reference", id);

    const Value* subscriber = objectAt(&subscription, "subscriber");
    Value customer = Value::object();
    setIfPresent(customer, "email", text(subscriber, "email_address"));
    const Value* name = objectAt(subscriber, "name");
    std::string fullName = text(name, "given_name");
    const std::string surname = text(name, "surname");
    if (!surname.empty()) fullName += (fullName.empty() ? "" : " ") + surname;
    setIfPresent(customer, "name", fullName);
    if (customer.size() > 0) out.set("customer", customer);
    setOccurredAt(out, text(failed, "time"));
    return out;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<std::int64_t> unixSecondsOf(std::string_view t) {
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
    auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
        if (at + length > t.size()) return std::nullopt;
        int n = 0;
        for (std::size_t i = at; i < at + length; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
            n = n * 10 + (t[i] - '0');
        }
        return n;
    };
    const auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
    const auto hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
    if (!year || !month || !day || !hour || !minute || !second || t[4] != '-' || t[7] != '-' ||
        (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || t[13] != ':' || t[16] != ':')
        return std::nullopt;
    if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60)
        return std::nullopt;
    std::size_t at = 19;
    if (at < t.size() && t[at] == '.') {
        ++at;
        const std::size_t digits = at;
        while (at < t.size() && std::isdigit(static_cast<unsigned char>(t[at]))) ++at;
        if (at == digits) return std::nullopt;
    }
    std::int64_t offset = 0;
    if (at < t.size() && (t[at] == 'Z' || t[at] == 'z')) {
        ++at;
    } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
        const auto oh = number(at + 1, 2), om = number(at + 4, 2);
        if (!oh || !om || at + 3 >= t.size() || t[at + 3] != ':') return std::nullopt;
        offset = (t[at] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != t.size()) return std::nullopt;
    return daysFromCivil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400 + *hour * 3600 +
           *minute * 60 + *second - offset;
}

Value handledEventTypes() { return plugins::common::stringArray(kHandledTypes); }

Value normalizeEvent(const std::string& body) {
    Value event;
    try {
        event = json::parse(body);
    } catch (const json::ParseError& e) {
        throw sdk::invalidInput(std::string("the webhook body is not JSON: ") + e.what());
    }
    const std::string id = text(&event, "id");
    const std::string type = text(&event, "event_type");
    const Value* resource = objectAt(&event, "resource");
    if (id.empty() || type.empty() || !resource)
        throw sdk::invalidInput("the webhook body is not a PayPal event: it needs id, event_type and resource");

    Value normalized;
    if (type == "PAYMENT.CAPTURE.COMPLETED") normalized = captureCompleted(*resource);
    else if (type == "PAYMENT.CAPTURE.DENIED") normalized = captureFailed(*resource, "PAYMENT_DENIED");
    else if (type == "PAYMENT.CAPTURE.DECLINED") normalized = captureFailed(*resource, "INSTRUMENT_DECLINED");
    else if (type == "BILLING.SUBSCRIPTION.PAYMENT.FAILED") normalized = subscriptionPaymentFailed(*resource);
    else normalized = Value::object({{"type", "ignored"}});

    normalized.set("provider_event", type);
    if (!normalized.contains("occurred_at")) setOccurredAt(normalized, text(&event, "create_time"));
    return Value::object({{"event_id", id}, {"events", Value::array({normalized})}});
}

}  // namespace tinko::paypal
