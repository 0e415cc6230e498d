#pragma once
// Tells the other hosts that a plugin changed: publishes its name on Redis (the channel the
// PluginAnnouncements listener of every host subscribes to). The plugin manager calls it after
// each recorded change; it needs nothing of the manager, so it is built before it.
#include "bus/RedisProbe.h"

#include <optional>
#include <string>

namespace tinko::bus {

class PluginChangePublisher {
public:
    // Without Redis, announce() does nothing: the other hosts catch up on their fallback reconcile.
    explicit PluginChangePublisher(std::optional<RedisAddress> redis) : redis_(std::move(redis)) {}

    // Best effort; the other hosts also catch up on their own.
    void announce(const std::string& pluginName) const;

private:
    std::optional<RedisAddress> redis_;
};

}  // namespace tinko::bus
