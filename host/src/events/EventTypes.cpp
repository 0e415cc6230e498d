#include "events/EventTypes.h"

#include <algorithm>

namespace tinko::events {

const std::vector<std::string>& merchantEventTypes() {
    static const std::vector<std::string> types{
        "recovery.started",   "recovery.recovered", "recovery.exhausted", "recovery.cancelled", "recovery.unrecoverable",
        "recovery.skipped",   "charge.retry_succeeded", "charge.retry_declined", "message.sent", "message.delivered",
        "message.failed",     "link.opened",        "checkout.started",   "payment_method.updated",
    };
    return types;
}

bool isMerchantEventType(const std::string& type) {
    const auto& types = merchantEventTypes();
    return std::find(types.begin(), types.end(), type) != types.end();
}

}  // namespace tinko::events
