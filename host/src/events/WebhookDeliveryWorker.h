#pragma once
// Delivers merchant events to webhook endpoints: a few threads, each claiming a small batch of due
// deliveries (store/WebhookDeliveryStore.h), signing each (Standard Webhooks) with the endpoint's
// secret, and the previous one during a rotation, POSTing it under the host's outbound rules
// (WebhookSender.h), and recording the attempt with the other threads' in one statement.
#include "events/RetrySchedule.h"
#include "events/WebhookDeliverySettings.h"
#include "events/WebhookSender.h"
#include "http/Metrics.h"
#include "security/SecretBox.h"
#include "store/WebhookDeliveryStore.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tinko::events {


class WebhookDeliveryWorker {
public:
    WebhookDeliveryWorker(WebhookDeliverySettings settings, std::string hostId, store::WebhookDeliveryStore& store,
                          const security::SecretBox& secrets, std::shared_ptr<const plugins::Outbound> outbound,
                          http::Metrics& metrics);
    ~WebhookDeliveryWorker() { stop(); }

    void start();
    void stop();   // waits for the attempts in flight; what is claimed and unsent waits for its lease

private:
    void run(int thread);
    void deliver(WebhookSender& sender, const store::ClaimedDelivery& delivery);
    bool stopping();
    void idle(int ms);

    WebhookDeliverySettings settings_;
    std::string hostId_;
    store::WebhookDeliveryStore& store_;
    const security::SecretBox& secrets_;
    std::shared_ptr<const plugins::Outbound> outbound_;
    http::Metrics& metrics_;
    std::atomic<long long> claims_{0};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace tinko::events
