#include "RazorpayDeclines.h"

#include <cctype>

namespace tinko::razorpay {

namespace {

struct ReasonCategory {
    std::string_view reason;
    std::string_view category;
};

// First the taxonomy's rows (decline-taxonomy.md, "Razorpay"), then, marked "+", the other reasons
// of razorpay-error-reasons.tsv by what they mean for getting the money.
constexpr ReasonCategory kCategories[] = {
    {"insufficient_funds", "insufficient_funds"},
    {"credit_limit_exceeded", "insufficient_funds"},
    {"funds_blocked_by_mandate", "insufficient_funds"},

    {"transaction_limit_exceeded", "limit_exceeded"},
    {"transaction_daily_limit_exceeded", "limit_exceeded"},
    {"transaction_daily_count_exceeded", "limit_exceeded"},
    {"transaction_frequency_limit_exceeded", "limit_exceeded"},
    {"mcc_amount_limit_exceeded", "limit_exceeded"},

    {"bank_technical_error", "issuer_unavailable"},
    {"gateway_technical_error", "issuer_unavailable"},
    {"issuer_technical_error", "issuer_unavailable"},
    {"bank_not_available", "issuer_unavailable"},
    {"payment_timed_out", "issuer_unavailable"},
    {"request_timed_out", "issuer_unavailable"},
    {"server_error", "issuer_unavailable"},
    {"payment_declined_due_to_high_traffic", "issuer_unavailable"},
    {"upi_app_technical_error", "issuer_unavailable"},
    {"psp_not_available", "issuer_unavailable"},
    {"bank_cutoff_in_progress", "issuer_unavailable"},
    {"invalid_response_from_gateway", "issuer_unavailable"},   // + the bank's answer was garbled
    {"psp_app_not_available", "issuer_unavailable"},           // + the UPI app was down
    {"duplicate_rrn_found", "issuer_unavailable"},             // + a network reference clash: try again
    {"mandate_creation_timeout", "issuer_unavailable"},        // +
    {"capture_failed", "issuer_unavailable"},                  // + authorised, the capture failed technically
    {"SERVER_ERROR", "issuer_unavailable"},                    // + the error code alone: Razorpay's trouble

    {"payment_failed", "generic_decline"},
    {"payment_declined", "generic_decline"},
    {"card_declined", "generic_decline"},
    {"debit_declined", "generic_decline"},
    {"authorisation_declined_by_psp", "generic_decline"},
    {"mandate_creation_declined", "generic_decline"},          // +
    {"mandate_creation_failed", "generic_decline"},            // +
    {"credit_failed", "generic_decline"},                      // +
    {"credit_not_permitted", "generic_decline"},               // +

    {"authentication_failed", "authentication_required"},
    {"incorrect_otp", "authentication_required"},
    {"otp_expired", "authentication_required"},
    {"otp_attempts_exceeded", "authentication_required"},
    {"incorrect_pin", "authentication_required"},
    {"incorrect_atm_pin", "authentication_required"},
    {"pin_attempts_exceeded", "authentication_required"},
    {"pin_not_set", "authentication_required"},
    {"verification_failed", "authentication_required"},
    {"card_not_enrolled", "authentication_required"},          // + not enrolled for 3-D Secure
    {"reqauth_mandate_not_acknowledged", "authentication_required"},   // + the customer did not approve

    {"card_expired", "card_expired"},
    {"credit_limit_expired", "card_expired"},

    {"incorrect_card_details", "invalid_details"},
    {"incorrect_cvv", "invalid_details"},
    {"incorrect_card_expiry_date", "invalid_details"},
    {"card_number_invalid", "invalid_details"},
    {"invalid_vpa", "invalid_details"},
    {"vpa_resolution_failed", "invalid_details"},
    {"bank_account_invalid", "invalid_details"},
    {"beneficiary_account_does_not_exist", "invalid_details"},
    {"bank_account_validation_failed", "invalid_details"},     // +
    {"beneficiary_account_dormant", "invalid_details"},        // + the account cannot be used: pay with another
    {"incorrect_cardholder_name", "invalid_details"},          // +
    {"invalid_email", "invalid_details"},                      // +
    {"invalid_mobile_number", "invalid_details"},              // +
    {"mobile_number_invalid", "invalid_details"},              // +
    {"invalid_user_details", "invalid_details"},               // +

    {"card_type_invalid", "not_supported"},
    {"card_network_not_enabled", "not_supported"},
    {"international_transaction_not_allowed", "not_supported"},
    {"payment_method_not_enabled", "not_supported"},
    {"upi_collect_not_enabled", "not_supported"},
    {"recurring_payment_not_enabled", "not_supported"},
    {"bank_not_enabled", "not_supported"},                     // +
    {"emi_plan_unavailable", "not_supported"},                 // +
    {"emi_greater_than_max_amount", "not_supported"},          // + EMI cannot cover it: another method can
    {"invalid_currency", "not_supported"},                     // +
    {"invalid_device", "not_supported"},                       // +
    {"upi_autopay_not_supported_on_psp", "not_supported"},     // +
    {"upi_intent_not_enabled", "not_supported"},               // +
    {"psp_app_not_supported", "not_supported"},                // +
    {"psp_not_registered", "not_supported"},                   // +
    {"user_not_registered_for_netbanking", "not_supported"},   // +
    {"user_not_eligible", "not_supported"},                    // + e.g. for pay-later or EMI
    {"transaction_on_vpa_restricted", "not_supported"},        // +
    {"collect_on_mcc_blocked", "not_supported"},               // +
    {"credit_limit_inactive", "not_supported"},                // + a pay-later line not active yet
    {"credit_limit_not_approved", "not_supported"},            // +
    {"order_payment_method_mismatch", "not_supported"},        // +

    {"payment_cancelled", "customer_cancelled"},
    {"payment_collect_request_expired", "customer_cancelled"},
    {"payment_session_expired", "customer_cancelled"},
    {"mandate_creation_expired", "customer_cancelled"},        // + not approved in time

    {"debit_instrument_blocked", "lost_or_stolen"},
    {"debit_instrument_inactive", "lost_or_stolen"},

    {"payment_risk_check_failed", "fraud_suspected"},
    {"compliance_violation", "fraud_suspected"},
    {"payment_amount_tampered", "fraud_suspected"},

    // + Not declines: the merchant's request was wrong, or the payment may still complete.
    {"amount_less_than_minimum_amount", "unknown"},
    {"duplicate_refund_id", "unknown"},
    {"duplicate_request", "unknown"},
    {"input_validation_failed", "unknown"},
    {"invalid_amount", "unknown"},
    {"invalid_order_id", "unknown"},
    {"invalid_request", "unknown"},
    {"live_mode_not_enabled", "unknown"},
    {"merchant_not_activated", "unknown"},
    {"mismatch_in_transaction_details", "unknown"},
    {"order_already_paid", "unknown"},
    {"order_amount_mismatch", "unknown"},
    {"record_not_found", "unknown"},
    {"refund_limit_crossed", "unknown"},
    {"collect_request_pending", "unknown"},
    {"payment_pending", "unknown"},
    {"payment_pending_approval", "unknown"},
    {"deemed_transaction", "unknown"},
};

constexpr std::string_view kCustomerCategories[] = {"authentication_required", "card_expired", "invalid_details",
                                                     "not_supported", "customer_cancelled"};
constexpr std::string_view kHardCategories[] = {"lost_or_stolen", "fraud_suspected"};

std::string_view categoryOf(std::string_view reason) {
    for (const ReasonCategory& row : kCategories)
        if (row.reason == reason) return row.category;
    return "unknown";
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string hardnessOf(std::string_view category) {
    for (std::string_view c : kHardCategories)
        if (c == category) return "hard";
    for (std::string_view c : kCustomerCategories)
        if (c == category) return "customer";
    return "soft";
}

DeclineClass classifyDecline(std::string_view code, std::string_view declineCode) {
    const std::string_view reason = trimmed(declineCode).empty() ? trimmed(code) : trimmed(declineCode);
    DeclineClass out;
    out.category = std::string(categoryOf(reason));
    out.hardness = hardnessOf(out.category);
    out.retryable = out.hardness == "soft";
    return out;
}

}  // namespace tinko::razorpay
