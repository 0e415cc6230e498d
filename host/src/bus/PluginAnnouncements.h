#pragma once
// Keeps every host on the recorded plugin versions. A host that changes a plugin publishes the
// plugin's name on Redis (channel "tinko:plugins", bus/PluginChangePublisher.h); every host's
// listener (this class) then reconciles with the database, which holds the truth. The listener
// also reconciles after each (re)connect, since messages sent while it was away are lost, and
// every `fallbackSeconds` as a safety net; without Redis that periodic reconcile is all there is,
// and a single host needs nothing more. A subscription silent for 30 s is checked with a PING; a lost
// one is logged once, retried with backoff (1 s doubling to 30 s), and its return is logged.
#include "bus/RedisProbe.h"
#include "bus/RedisSubscription.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace tinko::bus {

// How the listener waits on Redis (tests shorten these).
struct SubscriberTiming {
    int redisTimeoutMs = 2000;        // connect, and a reply once begun
    int pollMs = 500;                 // how soon stop() is noticed
    int pingAfterSilenceMs = 30000;   // then PING, to find a connection that died without a word
    int pongWithinMs = 10000;
};

class PluginAnnouncements {
public:
    static constexpr const char* kChannel = "tinko:plugins";

    // `reconcile` is called on the listener thread; it must not throw.
    PluginAnnouncements(std::optional<RedisAddress> redis, std::function<void()> reconcile, int fallbackSeconds = 10,
                        SubscriberTiming timing = {});
    ~PluginAnnouncements();

    // start() reconciles at once (on the listener thread): start it only once all else is up.
    void start();
    void stop();

    // How many announcements this host has received (for tests and metrics).
    long received() const { return received_.load(); }
    // Whether the listener is subscribed on Redis now (for the metric tinko_redis_subscribed).
    bool subscribed() const { return subscribed_.load(); }
    // nullopt while subscribed, else why not (for /readyz, which names Redis as degraded then).
    std::optional<std::string> subscriptionProblem() const;

private:
    void setProblem(std::string problem);

    void listen();
    // Reads announcements until stop(); throws Poco::Exception when the subscription is lost.
    void receive(RedisSubscription& subscription, std::chrono::steady_clock::time_point& lastReconcile);
    bool waitOrStop(int milliseconds);

    std::optional<RedisAddress> redis_;
    std::function<void()> reconcile_;
    int fallbackSeconds_;
    SubscriberTiming timing_;
    std::atomic<long> received_{0};
    std::atomic<bool> subscribed_{false};
    mutable std::mutex problemMutex_;
    std::string problem_ = "not subscribed yet";
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::thread listener_;
};

}  // namespace tinko::bus
