#include "bus/OrgDataAnnouncements.h"

#include "bus/ReconnectBackoff.h"
#include "bus/RedisSubscription.h"
#include "util/Log.h"

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Exception.h>

#include <chrono>

namespace tinko::bus {

namespace {
const char* kLogger = "tinko.bus";
constexpr int kRedisTimeoutMs = 2000;
constexpr int kWaitMs = 500;             // how soon stop() is noticed
constexpr int kPingAfterSilenceMs = 30000;
constexpr int kPongWithinMs = 10000;
}  // namespace

void OrgDataAnnouncements::announce(long long orgId) const {
    if (!redis_) return;
    try {
        Poco::Redis::Client client;
        connectRedis(client, *redis_, kRedisTimeoutMs);
        Poco::Redis::Array publish;
        publish << "PUBLISH" << kChannel << std::to_string(orgId);
        client.execute<Poco::Int64>(publish);
    } catch (const Poco::Exception& e) {
        log::warn(kLogger, "could not announce an org data change; other hosts see it by their version poll",
                  {{"org_id", std::to_string(orgId)}, {"error", e.displayText()}});
    }
}

void OrgDataAnnouncements::start(std::function<void(long long)> invalidate) {
    invalidate_ = std::move(invalidate);
    if (redis_) listener_ = std::thread([this] { listen(); });
}

void OrgDataAnnouncements::stop() {
    stopping_ = true;
    wake_.notify_all();
    if (listener_.joinable()) listener_.join();
}

void OrgDataAnnouncements::listen() {
    using Clock = std::chrono::steady_clock;
    ReconnectBackoff backoff;
    bool lost = false;
    while (!stopping_) {
        try {
            RedisSubscription subscription(*redis_, kChannel, kRedisTimeoutMs, kClientName);
            if (lost) log::info(kLogger, "org data announcements: listening on Redis again");
            lost = false;
            backoff.reset();
            auto lastHeard = Clock::now();
            bool pingSent = false;
            while (!stopping_) {
                const auto event = subscription.next(kWaitMs);
                const auto now = Clock::now();
                if (event.kind == RedisSubscription::Kind::Message) {
                    ++received_;
                    try {
                        invalidate_(std::stoll(event.payload));
                    } catch (const std::exception&) {
                        log::warn(kLogger, "org data announcements: ignored a message that is no org id");
                    }
                }
                if (event.kind != RedisSubscription::Kind::Nothing) {
                    lastHeard = now;
                    pingSent = false;
                } else if (!pingSent && now - lastHeard >= std::chrono::milliseconds(kPingAfterSilenceMs)) {
                    subscription.ping();   // a connection that died without a FIN shows only when asked
                    pingSent = true;
                } else if (pingSent && now - lastHeard >= std::chrono::milliseconds(kPingAfterSilenceMs + kPongWithinMs)) {
                    throw Poco::Redis::RedisException("Redis did not answer PING");
                }
            }
            return;
        } catch (const Poco::Exception& e) {
            if (!lost)
                log::warn(kLogger, "org data announcements: lost the connection to Redis; reconnecting with backoff, "
                                   "changes still arrive by the version poll",
                          {{"error", e.displayText()}});
            lost = true;
        }
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(backoff.next()), [this] { return stopping_.load(); });
    }
}

}  // namespace tinko::bus
