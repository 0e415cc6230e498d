#include "DeclineMapping.h"

namespace tinko::stripe {

namespace {

struct CodeCategory {
    std::string_view code;
    std::string_view category;
};

// decline-taxonomy.md, "Stripe", row by row. card_declined is the code Stripe sends with most
// declines; without a decline_code it says only "declined, reason withheld", which the taxonomy's
// table files under generic_decline.
constexpr CodeCategory kCategories[] = {
    {"insufficient_funds", "insufficient_funds"},

    {"card_velocity_exceeded", "limit_exceeded"},
    {"withdrawal_count_limit_exceeded", "limit_exceeded"},

    {"processing_error", "issuer_unavailable"},
    {"issuer_not_available", "issuer_unavailable"},
    {"try_again_later", "issuer_unavailable"},
    {"reenter_transaction", "issuer_unavailable"},
    {"approve_with_id", "issuer_unavailable"},
    {"call_issuer", "issuer_unavailable"},

    {"do_not_honor", "generic_decline"},
    {"generic_decline", "generic_decline"},
    {"no_action_taken", "generic_decline"},
    {"not_permitted", "generic_decline"},
    {"service_not_allowed", "generic_decline"},
    {"transaction_not_allowed", "generic_decline"},
    {"card_declined", "generic_decline"},

    {"authentication_required", "authentication_required"},
    {"offline_pin_required", "authentication_required"},
    {"online_or_offline_pin_required", "authentication_required"},
    {"pin_try_exceeded", "authentication_required"},

    {"expired_card", "card_expired"},

    {"incorrect_number", "invalid_details"},
    {"invalid_number", "invalid_details"},
    {"incorrect_cvc", "invalid_details"},
    {"invalid_cvc", "invalid_details"},
    {"incorrect_zip", "invalid_details"},
    {"incorrect_pin", "invalid_details"},
    {"invalid_pin", "invalid_details"},
    {"invalid_expiry_month", "invalid_details"},
    {"invalid_expiry_year", "invalid_details"},
    {"invalid_account", "invalid_details"},
    {"invalid_amount", "invalid_details"},

    {"card_not_supported", "not_supported"},
    {"currency_not_supported", "not_supported"},

    {"lost_card", "lost_or_stolen"},
    {"stolen_card", "lost_or_stolen"},
    {"pickup_card", "lost_or_stolen"},
    {"restricted_card", "lost_or_stolen"},
    {"revocation_of_authorization", "lost_or_stolen"},
    {"revocation_of_all_authorizations", "lost_or_stolen"},
    {"stop_payment_order", "lost_or_stolen"},
    {"new_account_information_available", "lost_or_stolen"},

    {"fraudulent", "fraud_suspected"},
    {"merchant_blacklist", "fraud_suspected"},
    {"security_violation", "fraud_suspected"},
    {"do_not_try_again", "fraud_suspected"},
};

constexpr std::string_view kCustomerCategories[] = {"authentication_required", "card_expired", "invalid_details",
                                                     "not_supported", "customer_cancelled"};
constexpr std::string_view kHardCategories[] = {"lost_or_stolen", "fraud_suspected"};

std::string_view categoryOf(std::string_view code) {
    for (const CodeCategory& row : kCategories)
        if (row.code == code) return row.category;
    return "unknown";
}

}  // namespace

std::string hardnessOf(std::string_view category) {
    for (std::string_view c : kHardCategories)
        if (c == category) return "hard";
    for (std::string_view c : kCustomerCategories)
        if (c == category) return "customer";
    return "soft";
}

DeclineClass classifyDecline(std::string_view code, std::string_view declineCode, std::string_view adviceCode) {
    DeclineClass out;
    out.category = std::string(categoryOf(declineCode.empty() ? code : declineCode));
    out.hardness = hardnessOf(out.category);
    if (adviceCode == "do_not_try_again") out.hardness = "hard";
    else if (adviceCode == "try_again_later") out.hardness = "soft";
    else if (adviceCode == "confirm_card_data") out.hardness = "customer";
    out.retryable = out.hardness == "soft";
    return out;
}

}  // namespace tinko::stripe
