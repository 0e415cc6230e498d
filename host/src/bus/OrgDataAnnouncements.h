#pragma once
// Org data changes over Redis (channel "tinko:org-data", payload the org id): the host that
// changed an org's data publishes it, and every host's listener drops that org from its cache at
// once. Best effort on both sides: a message lost (Redis down, a reconnect) is made up by the
// version poll of store/OrgDataChanges within 250 ms, which is what the 1 s bound rests on.
#include "bus/RedisProbe.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace tinko::bus {

class OrgDataAnnouncements {
public:
    static constexpr const char* kChannel = "tinko:org-data";
    static constexpr const char* kClientName = "tinko-org-data";   // the subscription's name in CLIENT LIST

    // Without Redis, announce() and start() do nothing.
    explicit OrgDataAnnouncements(std::optional<RedisAddress> redis) : redis_(std::move(redis)) {}
    ~OrgDataAnnouncements() { stop(); }

    // Publishes the org's id (a short connection: changes of org data are rare). Never throws.
    void announce(long long orgId) const;

    // Listens for other hosts' announcements; `invalidate` runs on the listener thread and must not throw.
    void start(std::function<void(long long)> invalidate);
    void stop();
    long received() const { return received_.load(); }

private:
    void listen();

    std::optional<RedisAddress> redis_;
    std::function<void(long long)> invalidate_;
    std::atomic<long> received_{0};
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::thread listener_;
};

}  // namespace tinko::bus
