#include "events/WebhookDeliveryWorker.h"

#include "events/DeliveryEnvelope.h"
#include "events/WebhookSigning.h"
#include "util/Log.h"

#include <chrono>
#include <random>

namespace tinko::events {

namespace {
const char* const kLogger = "tinko.webhooks";

long long unixSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double jitterUnit() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(random);
}
}  // namespace

WebhookDeliveryWorker::WebhookDeliveryWorker(WebhookDeliverySettings settings, std::string hostId,
                                             store::WebhookDeliveryStore& store, const security::SecretBox& secrets,
                                             std::shared_ptr<const plugins::Outbound> outbound, http::Metrics& metrics)
    : settings_(std::move(settings)),
      hostId_(std::move(hostId)),
      store_(store),
      secrets_(secrets),
      outbound_(std::move(outbound)),
      metrics_(metrics) {}

void WebhookDeliveryWorker::start() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = false;
    }
    threads_.emplace_back([this] { claimLoop(); });
    for (int i = 0; i < settings_.threads; ++i) threads_.emplace_back([this] { sendLoop(); });
}

void WebhookDeliveryWorker::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_all();
    drained_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
    // What was claimed and not sent waits for its lease to run out; then any host sends it.
    queue_.clear();
}

void WebhookDeliveryWorker::claimLoop() {
    const int most = settings_.threads * settings_.batch;
    while (true) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            drained_.wait(lock, [this] { return stopping_ || queue_.empty(); });
            if (stopping_) return;
        }
        std::vector<store::ClaimedDelivery> batch;
        try {
            batch = store_.claimDue(hostId_ + "/" + std::to_string(++claims_), most, settings_.threads, settings_.attemptDeadlineMs);
        } catch (const std::exception& e) {
            log::warn(kLogger, "claiming due deliveries failed; trying again", {{"error", e.what()}});
        }
        std::unique_lock<std::mutex> lock(mutex_);
        if (batch.empty()) {
            drained_.wait_for(lock, std::chrono::milliseconds(settings_.idlePollMs), [this] { return stopping_; });
            if (stopping_) return;
            continue;
        }
        for (auto& d : batch) queue_.push_back(std::move(d));
        queued_.notify_all();
    }
}

void WebhookDeliveryWorker::sendLoop() {
    WebhookSender sender(outbound_, settings_.attemptDeadlineMs, settings_.maxAnswerBytes);
    while (true) {
        store::ClaimedDelivery delivery;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            if (!queued_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || !queue_.empty(); })) {
                lock.unlock();
                sender.closeIdle();
                continue;
            }
            if (stopping_) return;
            delivery = std::move(queue_.front());
            queue_.pop_front();
            if (queue_.empty()) drained_.notify_one();
        }
        try {
            deliver(sender, delivery);
        } catch (const std::exception& e) {
            log::warn(kLogger, "recording a delivery attempt failed; it is attempted again when its lease ends",
                      {{"delivery_id", std::to_string(delivery.id)}, {"error", e.what()}});
        }
    }
}

void WebhookDeliveryWorker::deliver(WebhookSender& sender, const store::ClaimedDelivery& delivery) {
    store::DeliveryResult result;
    result.deliveryId = delivery.id;
    result.claim = delivery.claim;
    const std::string associated = "webhook-endpoint-secret:" + std::to_string(delivery.orgId);
    std::vector<std::string> keys;
    std::string keyProblem;
    try {
        if (auto key = webhookSecretKey(secrets_.open(delivery.sealedSecret, associated))) keys.push_back(*key);
        else keyProblem = "the endpoint's secret is not a whsec_ secret";
        if (delivery.sealedPreviousSecret)
            if (auto key = webhookSecretKey(secrets_.open(*delivery.sealedPreviousSecret, associated))) keys.push_back(*key);
    } catch (const security::SecretBoxError&) {
        keys.clear();
        keyProblem = "the endpoint's secret does not open with this host's TINKO_SECRET_KEY";
    }
    SendOutcome sent;
    if (keys.empty()) {
        sent.error = keyProblem;
    } else {
        const std::string body = deliveryEnvelope(delivery.type, delivery.eventId, delivery.createdAt, delivery.dataJson);
        const WebhookHeaders signature = signWebhook(keys, "evt_" + std::to_string(delivery.eventId), unixSeconds(), body);
        sent = sender.post(delivery.url,
                           {{"webhook-id", signature.id}, {"webhook-timestamp", signature.timestamp},
                            {"webhook-signature", signature.signature}},
                           body);
    }
    const AttemptDecision decision = decideAfterAttempt(sent.status, delivery.attempts + 1, settings_.retryScheduleMs, jitterUnit());
    result.outcome = decision.outcome;
    result.delayMs = decision.delayMs;
    result.statusCode = sent.status;
    if (!sent.error.empty()) result.error = sent.error;
    result.durationMs = sent.durationMs;
    const store::RecordedResult recorded = store_.record(result);
    if (!recorded.recorded) return;   // the lease had run out and another claim took it over
    const std::string outcome = recorded.endpointDisabled ? "disabled" : decision.outcome == "gone" ? "failed" : decision.outcome;
    metrics_.addToCounter("tinko_webhook_deliveries_total", "Webhook delivery attempts by what they came to.",
                          "outcome=\"" + outcome + "\"");
    if (decision.outcome != "delivered") {
        log::Fields fields{{"delivery_id", std::to_string(delivery.id)}, {"endpoint_id", std::to_string(delivery.endpointId)},
                           {"attempts", std::to_string(delivery.attempts + 1)}, {"outcome", outcome},
                           {"status", sent.status ? std::to_string(*sent.status) : "none"}};
        if (!sent.error.empty()) fields.push_back({"error", sent.error});
        if (recorded.endpointDisabled) log::warn(kLogger, "webhook endpoint disabled", fields);
        else log::info(kLogger, "webhook delivery attempt failed", fields);
    }
}

}  // namespace tinko::events
