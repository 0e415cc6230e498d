#include "events/WebhookDeliveryWorker.h"

#include "events/EventEnvelope.h"
#include "events/WebhookSigning.h"
#include "http/MetricFamilies.h"
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
        stopping_ = recorderStopping_ = false;
    }
    recorder_ = std::thread([this] { recordLoop(); });
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
    // Every attempt made is recorded before the host goes.
    {
        std::lock_guard<std::mutex> lock(mutex_);
        recorderStopping_ = true;
    }
    finishedReady_.notify_all();
    if (recorder_.joinable()) recorder_.join();
    // What was claimed and not sent waits for its lease to run out; then any host sends it.
    queue_.clear();
}

void WebhookDeliveryWorker::recordLoop() {
    while (true) {
        std::vector<Finished> batch;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            finishedReady_.wait(lock, [this] { return recorderStopping_ || !finished_.empty(); });
            if (finished_.empty()) return;   // stopping, and everything sent is recorded
            batch.swap(finished_);
        }
        record(batch);
    }
}

void WebhookDeliveryWorker::record(const std::vector<Finished>& batch) {
    std::vector<store::DeliveryResult> results;
    results.reserve(batch.size());
    for (const auto& f : batch) results.push_back(f.result);
    std::vector<store::RecordedResult> recorded;
    try {
        recorded = store_.record(results);
    } catch (const std::exception& e) {
        log::warn(kLogger, "recording delivery attempts failed; they are attempted again when their leases end",
                  {{"attempts", std::to_string(batch.size())}, {"error", e.what()}});
        return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const Finished& f = batch[i];
        if (!recorded[i].recorded) continue;   // the lease had run out and another claim took it over
        const std::string outcome = recorded[i].endpointDisabled ? "disabled" : f.result.outcome == "gone" ? "failed" : f.result.outcome;
        metrics_.addToCounter(http::counters::kWebhookDeliveriesTotal, "outcome=\"" + outcome + "\"");
        if (f.result.outcome == "delivered") continue;
        log::Fields fields{{"delivery_id", std::to_string(f.result.deliveryId)}, {"endpoint_id", std::to_string(f.endpointId)},
                           {"attempts", std::to_string(f.attempt)}, {"outcome", outcome},
                           {"status", f.result.statusCode ? std::to_string(*f.result.statusCode) : "none"}};
        if (f.result.error) fields.push_back({"error", *f.result.error});
        if (recorded[i].endpointDisabled) log::warn(kLogger, "webhook endpoint disabled", fields);
        else log::info(kLogger, "webhook delivery attempt failed", fields);
    }
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
        deliver(sender, delivery);
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
        const std::string body = eventEnvelope(delivery.event);
        const WebhookHeaders signature = signWebhook(keys, eventIdText(delivery.event.id), unixSeconds(), body);
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
    // Recorded by the recorder thread with others' results: the sender goes on without waiting for a commit.
    {
        std::lock_guard<std::mutex> lock(mutex_);
        finished_.push_back({std::move(result), delivery.endpointId, delivery.attempts + 1});
    }
    finishedReady_.notify_one();
}

}  // namespace tinko::events
