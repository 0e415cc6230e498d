#pragma once
// Keeps every host on the recorded plugin versions. A host that changes a plugin publishes the
// plugin's name on Redis (channel "tinko:plugins", bus/PluginChangePublisher.h); every host's
// listener (this class) then reconciles with the database, which holds the truth. The listener
// also reconciles after each (re)connect, since messages sent while it was away are lost, and
// every `fallbackSeconds` as a safety net; without Redis that periodic reconcile is all there is,
// and a single host needs nothing more.
#include "bus/RedisProbe.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace tinko::bus {

class PluginAnnouncements {
public:
    static constexpr const char* kChannel = "tinko:plugins";

    // `reconcile` is called on the listener thread; it must not throw.
    PluginAnnouncements(std::optional<RedisAddress> redis, std::function<void()> reconcile, int fallbackSeconds = 10);
    ~PluginAnnouncements();

    // start() reconciles at once (on the listener thread): start it only once all else is up.
    void start();
    void stop();

    // How many announcements this host has received (for tests and metrics).
    long received() const { return received_.load(); }

private:
    void listen();
    void listenOnce();
    bool waitOrStop(int milliseconds);

    std::optional<RedisAddress> redis_;
    std::function<void()> reconcile_;
    int fallbackSeconds_;
    std::atomic<long> received_{0};
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::thread listener_;
};

}  // namespace tinko::bus
