#include "bus/PluginChangePublisher.h"

#include "bus/PluginAnnouncements.h"
#include "util/Log.h"

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>

namespace tinko::bus {

namespace {
const char* kLogger = "tinko.bus";
}  // namespace

void PluginChangePublisher::announce(const std::string& pluginName) const {
    if (!redis_) return;
    try {
        Poco::Redis::Client client;
        connectRedis(client, *redis_, 2000);
        Poco::Redis::Array publish;
        publish << "PUBLISH" << PluginAnnouncements::kChannel << pluginName;
        client.execute<Poco::Int64>(publish);
    } catch (const Poco::Exception& e) {
        log::warn(kLogger, "could not announce a plugin change; other hosts catch up within their fallback period",
                  {{"plugin", pluginName}, {"error", e.displayText()}});
    }
}

}  // namespace tinko::bus
