#pragma once
// Razorpay's failure reasons in Tinko's decline taxonomy (decline-taxonomy.md, section Razorpay).
//
// Which value counts: the request's decline_code when it has one, else its code. For Razorpay
// both are normally a payment's error_reason (insufficient_funds, incorrect_otp, ...); a bare
// error code is understood too: SERVER_ERROR is Razorpay's own trouble (issuer_unavailable), while
// BAD_REQUEST_ERROR and GATEWAY_ERROR say only where it failed, not why (unknown).
//
// The taxonomy names most reasons; the rest of razorpay-error-reasons.tsv is filed here by what it
// means for recovering the payment (see the table in RazorpayDeclines.cpp). Reasons that say the
// merchant's request was wrong, or that the payment is still pending, are "unknown": they are not
// declines, and the host counts unknowns so the mapping can grow.
#include <string>
#include <string_view>

namespace tinko::razorpay {

struct DeclineClass {
    std::string category;   // one of the taxonomy's categories
    std::string hardness;   // "soft" | "customer" | "hard"
    bool retryable = true;  // whether retrying the same payment later can succeed (hardness soft)
};

DeclineClass classifyDecline(std::string_view code, std::string_view declineCode = {});

// The taxonomy's hardness of a category ("soft" for anything it does not name).
std::string hardnessOf(std::string_view category);

}  // namespace tinko::razorpay
