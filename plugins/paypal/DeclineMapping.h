#pragma once
// PayPal's failure codes in Tinko's decline taxonomy (decline-taxonomy.md, section PayPal). They
// come from three places, all upper-case words: an order or capture error's details[].issue
// (INSTRUMENT_DECLINED), a capture's status_details.reason, and a subscription's
// billing_info.last_failed_payment.reason_code (PAYER_CANNOT_PAY). The taxonomy's rows are kept
// as they are; the rows marked "added" below are issues the Orders spec lists for a capture that
// the taxonomy's starting point does not name. A code the table does not know is "unknown".
#include <string>
#include <string_view>

namespace tinko::paypal {

struct DeclineClass {
    std::string category;   // one of the taxonomy's categories
    std::string hardness;   // "soft" | "customer" | "hard"
    bool retryable = true;  // whether retrying the same payment later can succeed (hardness soft)
};

// `code` compared without regard to case.
DeclineClass classifyDecline(std::string_view code);

// The taxonomy's hardness of a category ("soft" for anything it does not name).
std::string hardnessOf(std::string_view category);

}  // namespace tinko::paypal
