#include "recovery/NewCardEvent.h"

#include <algorithm>
#include <cctype>

namespace tinko::recovery {

namespace {
constexpr std::size_t kMaxIdLength = 255;

std::optional<std::string> text(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return std::nullopt;
    const Poco::Dynamic::Var value = o.get(key);
    if (!value.isString()) return std::nullopt;
    std::string s = value.extract<std::string>();
    if (s.empty()) return std::nullopt;
    return s;
}

std::string networkOf(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    static const char* const known[] = {"visa", "mastercard", "amex", "discover", "jcb", "unionpay", "diners", "rupay", "other"};
    for (const char* k : known)
        if (name == k) return name;
    return "other";
}
}  // namespace

std::optional<SavedPaymentMethod> savedPaymentMethodOf(const Poco::JSON::Object& event) {
    SavedPaymentMethod saved;
    auto method = text(event, "payment_method");
    if (!method || method->size() > kMaxIdLength) return std::nullopt;
    saved.card.paymentMethod = *method;
    if (auto id = text(event, "recovery_id");
        id && id->size() <= 18 && id->find_first_not_of("0123456789") == std::string::npos)
        saved.recoveryId = std::stoll(*id);
    if (auto ref = text(event, "transaction_ref"); ref && ref->size() <= kMaxIdLength) saved.transactionRef = ref;
    if (!saved.recoveryId && !saved.transactionRef) return std::nullopt;
    if (auto network = text(event, "card_network")) saved.card.cardNetwork = networkOf(*network);
    if (auto fingerprint = text(event, "card_fingerprint"); fingerprint && fingerprint->size() <= kMaxIdLength)
        saved.card.fingerprint = fingerprint;
    return saved;
}

}  // namespace tinko::recovery
