#pragma once
// The webhook delivery workers' settings (events/WebhookDeliveryWorker.h), as config/HostSettings holds them.
#include "events/RetrySchedule.h"

#include <cstddef>
#include <vector>

namespace tinko::events {

struct WebhookDeliverySettings {
    std::vector<long long> retryScheduleMs = defaultRetryScheduleMs();   // TINKO_WEBHOOK_RETRY_SCHEDULE
    int threads = 8;                       // deliveries in flight at once per host
    int batch = 8;                         // claimed per sender thread at a time (by one claimer)
    int attemptDeadlineMs = 10000;         // each attempt's total deadline
    std::size_t maxAnswerBytes = 64 * 1024;
    int idlePollMs = 1000;                 // how often an idle host looks for due deliveries
};

}  // namespace tinko::events
