#pragma once
// Stripe's decline codes in Tinko's decline taxonomy (docs: decline-taxonomy.md, section Stripe).
//
// Which code counts: the decline_code when Stripe sent one (it is the issuer's reason), else the
// error code (card_declined, expired_card, incorrect_cvc, ...). A code the table does not know is
// "unknown", so the host can count it and the mapping can grow. Newer API versions also send an
// advice_code, which overrides the hardness the category would give:
//   do_not_try_again -> hard, try_again_later -> soft, confirm_card_data -> customer.
#include <string>
#include <string_view>

namespace tinko::stripe {

struct DeclineClass {
    std::string category;   // one of the taxonomy's categories
    std::string hardness;   // "soft" | "customer" | "hard"
    bool retryable = true;  // whether retrying the same charge later can succeed (hardness soft)
};

DeclineClass classifyDecline(std::string_view code, std::string_view declineCode = {}, std::string_view adviceCode = {});

// The taxonomy's hardness of a category ("soft" for anything it does not name).
std::string hardnessOf(std::string_view category);

}  // namespace tinko::stripe
