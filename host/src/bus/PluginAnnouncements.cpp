#include "bus/PluginAnnouncements.h"

#include "util/Log.h"

#include "bus/ReconnectBackoff.h"

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Exception.h>

#include <algorithm>
#include <chrono>

namespace tinko::bus {

namespace {
const char* kLogger = "tinko.bus";
}  // namespace

PluginAnnouncements::PluginAnnouncements(std::optional<RedisAddress> redis, std::function<void()> reconcile,
                                         int fallbackSeconds, SubscriberTiming timing)
    : redis_(std::move(redis)), reconcile_(std::move(reconcile)), fallbackSeconds_(fallbackSeconds), timing_(timing) {}

PluginAnnouncements::~PluginAnnouncements() { stop(); }

void PluginAnnouncements::start() { listener_ = std::thread([this] { listen(); }); }

void PluginAnnouncements::stop() {
    stopping_ = true;
    wake_.notify_all();
    if (listener_.joinable()) listener_.join();
}

std::optional<std::string> PluginAnnouncements::subscriptionProblem() const {
    if (subscribed_) return std::nullopt;
    std::lock_guard<std::mutex> lock(problemMutex_);
    return problem_;
}

void PluginAnnouncements::setProblem(std::string problem) {
    std::lock_guard<std::mutex> lock(problemMutex_);
    problem_ = std::move(problem);
}

bool PluginAnnouncements::waitOrStop(int milliseconds) {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(milliseconds), [this] { return stopping_.load(); });
    return stopping_;
}

void PluginAnnouncements::listen() {
    using Clock = std::chrono::steady_clock;
    const auto fallback = std::chrono::seconds(fallbackSeconds_);
    auto lastReconcile = Clock::now();
    ReconnectBackoff backoff;
    std::optional<Clock::time_point> lostAt;   // set while the subscription is down
    while (!stopping_) {
        if (redis_) {
            try {
                RedisSubscription subscription(*redis_, kChannel, timing_.redisTimeoutMs);
                subscribed_ = true;
                if (lostAt) {
                    const auto downMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - *lostAt).count();
                    log::info(kLogger, "plugin announcements: Redis subscription restored", {{"down_ms", std::to_string(downMs)}});
                }
                lostAt.reset();
                backoff.reset();
                reconcile_();   // whatever was announced while this host was not listening
                lastReconcile = Clock::now();
                receive(subscription, lastReconcile);
                return;   // receive() returns only on stop()
            } catch (const Poco::Exception& e) {
                setProblem("Redis at " + redis_->host + ":" + std::to_string(redis_->port) + ": " + e.displayText());
                subscribed_ = false;
                // Once per outage: the attempts that fail while Redis stays down are not news.
                if (!lostAt) {
                    log::warn(kLogger,
                              "plugin announcements: Redis subscription lost; reconnecting with backoff, and "
                              "reconciling plugins from the database every " + std::to_string(fallbackSeconds_) + " s meanwhile",
                              {{"error", e.displayText()}});
                    lostAt = Clock::now();
                } else {
                    log::debug(kLogger, "plugin announcements: Redis still unreachable", {{"error", e.displayText()}});
                }
            }
        }
        // Until the next attempt (or for ever without Redis), the database is checked every fallback period.
        const auto attemptAt = Clock::now() + (redis_ ? std::chrono::milliseconds(backoff.next()) : fallback);
        while (Clock::now() < attemptAt) {
            if (Clock::now() >= lastReconcile + fallback) {
                reconcile_();
                lastReconcile = Clock::now();
            }
            const auto wakeAt = std::min(attemptAt, lastReconcile + fallback);
            const auto waitMs = std::chrono::duration_cast<std::chrono::milliseconds>(wakeAt - Clock::now()).count();
            if (waitOrStop(static_cast<int>(std::max<long long>(1, waitMs)))) return;
        }
    }
}

void PluginAnnouncements::receive(RedisSubscription& subscription, std::chrono::steady_clock::time_point& lastReconcile) {
    using Clock = std::chrono::steady_clock;
    auto lastHeard = Clock::now();
    bool pingSent = false;
    while (!stopping_) {
        const auto event = subscription.next(timing_.pollMs);   // short waits, so stop() is noticed quickly
        const auto now = Clock::now();
        if (event.kind == RedisSubscription::Kind::Message) {
            ++received_;
            reconcile_();
            lastReconcile = Clock::now();
        }
        if (event.kind != RedisSubscription::Kind::Nothing) {
            lastHeard = now;
            pingSent = false;
        } else if (!pingSent && now - lastHeard >= std::chrono::milliseconds(timing_.pingAfterSilenceMs)) {
            // A connection that died without a FIN (a host or network gone) shows only when asked.
            subscription.ping();
            pingSent = true;
        } else if (pingSent && now - lastHeard >= std::chrono::milliseconds(timing_.pingAfterSilenceMs + timing_.pongWithinMs)) {
            throw Poco::Redis::RedisException("Redis did not answer PING within " + std::to_string(timing_.pongWithinMs) + " ms");
        }
        if (now - lastReconcile >= std::chrono::seconds(fallbackSeconds_)) {
            reconcile_();
            lastReconcile = Clock::now();
        }
    }
}

}  // namespace tinko::bus
