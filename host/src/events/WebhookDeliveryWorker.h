#pragma once
// Delivers merchant events to webhook endpoints: one thread claims due deliveries in batches
// (store/WebhookDeliveryStore.h) whenever the senders have taken the last batch; a few sender
// threads each sign one (Standard Webhooks) with the endpoint's secret, and the previous one during
// a rotation, and POST it under the host's outbound rules (WebhookSender.h); one recorder thread
// writes the attempts that ended meanwhile in one statement, so no sender waits for a commit.
// One claimer, not one per sender: each claim walks past the deliveries in flight, so fewer,
// larger claims cost the database less per delivery.
#include "events/RetrySchedule.h"
#include "events/WebhookDeliverySettings.h"
#include "events/WebhookSender.h"
#include "http/Metrics.h"
#include "security/SecretBox.h"
#include "store/WebhookDeliveryStore.h"

#include <atomic>
#include <condition_variable>
#include <deque>
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
    struct Finished {
        store::DeliveryResult result;
        long long endpointId;
        int attempt;
    };
    void claimLoop();
    void sendLoop();
    void recordLoop();
    void deliver(WebhookSender& sender, const store::ClaimedDelivery& delivery);
    void record(const std::vector<Finished>& batch);

    WebhookDeliverySettings settings_;
    std::string hostId_;
    store::WebhookDeliveryStore& store_;
    const security::SecretBox& secrets_;
    std::shared_ptr<const plugins::Outbound> outbound_;
    http::Metrics& metrics_;
    std::atomic<long long> claims_{0};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable queued_;        // senders wait here for work
    std::condition_variable drained_;       // the claimer waits here for an empty queue
    std::deque<store::ClaimedDelivery> queue_;
    std::condition_variable finishedReady_;   // the recorder waits here for attempts to record
    std::vector<Finished> finished_;
    bool stopping_ = false;
    bool recorderStopping_ = false;
    std::vector<std::thread> threads_;        // the claimer and the senders
    std::thread recorder_;
};

}  // namespace tinko::events
