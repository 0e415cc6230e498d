#pragma once
// A PSP's "payment_method_saved" event (ABI 1.3, parse_webhook) read into what the host stores:
// {"type":"payment_method_saved", "recovery_id"?, "transaction_ref"?, "payment_method",
//  "card_network"?, "card_fingerprint"?}. Pure, so the reading is unit-tested.
#include "store/RecoveryStore.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace tinko::recovery {

inline constexpr const char* kPaymentMethodSaved = "payment_method_saved";

struct SavedPaymentMethod {
    std::optional<long long> recoveryId;            // when the event names a well-formed one
    std::optional<std::string> transactionRef;
    store::RecoveryStore::NewCard card;
};

// nullopt when the event names no payment method (or one longer than 255 characters), or neither
// a recovery nor a transaction. A card network outside the known ones (migrations/0025) becomes
// "other"; a fingerprint longer than 255 characters is left out (the card is then known by its
// payment method).
std::optional<SavedPaymentMethod> savedPaymentMethodOf(const Poco::JSON::Object& event);

}  // namespace tinko::recovery
