#pragma once
// Provider webhook deliveries seen, by the provider's event id (which the plugin takes from what the
// signature covers) and by the hash of the verified body, so a redelivery or a replay is
// acknowledged and ignored.
#include "store/PgPool.h"

#include <string>

namespace tinko::store {

class WebhookStore {
public:
    explicit WebhookStore(PgPool& pool) : pool_(pool) {}
    bool seen(long long orgId, const std::string& plugin, const std::string& eventId, const std::string& bodySha256);
    // Records a processed delivery; false when another delivery of it was recorded first.
    bool record(long long orgId, const std::string& plugin, const std::string& eventId, const std::string& bodySha256,
                const std::string& payloadJson, const std::string& outcome);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
