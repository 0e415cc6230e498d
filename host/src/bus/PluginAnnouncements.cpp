#include "bus/PluginAnnouncements.h"

#include "util/Log.h"

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Type.h>

#include <chrono>

namespace tinko::bus {

namespace {
const char* kLogger = "tinko.bus";
}  // namespace

PluginAnnouncements::PluginAnnouncements(std::optional<RedisAddress> redis, std::function<void()> reconcile,
                                         int fallbackSeconds)
    : redis_(std::move(redis)), reconcile_(std::move(reconcile)), fallbackSeconds_(fallbackSeconds) {}

PluginAnnouncements::~PluginAnnouncements() { stop(); }

void PluginAnnouncements::start() { listener_ = std::thread([this] { listen(); }); }

void PluginAnnouncements::stop() {
    stopping_ = true;
    wake_.notify_all();
    if (listener_.joinable()) listener_.join();
}

bool PluginAnnouncements::waitOrStop(int milliseconds) {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(milliseconds), [this] { return stopping_.load(); });
    return stopping_;
}

void PluginAnnouncements::listen() {
    while (!stopping_) {
        if (redis_) {
            try {
                listenOnce();
            } catch (const Poco::Exception& e) {
                log::warn(kLogger, "plugin announcements: Redis connection lost; reconnecting", {{"error", e.displayText()}});
            }
            if (waitOrStop(1000)) return;
        } else {
            if (waitOrStop(fallbackSeconds_ * 1000)) return;
            reconcile_();
        }
    }
}

void PluginAnnouncements::listenOnce() {
    Poco::Redis::Client client;
    connectRedis(client, *redis_, 500);   // short reads, so stop() is noticed quickly
    Poco::Redis::Array subscribe;
    subscribe << "SUBSCRIBE" << kChannel;
    client.execute<void>(subscribe);
    client.flush();
    reconcile_();   // whatever was announced while this host was not listening
    auto lastReconcile = std::chrono::steady_clock::now();
    while (!stopping_) {
        try {
            Poco::Redis::RedisType::Ptr reply = client.readReply();
            auto* message = dynamic_cast<Poco::Redis::Type<Poco::Redis::Array>*>(reply.get());
            if (message && message->value().size() == 3 && message->value().get<Poco::Redis::BulkString>(0).value() == "message") {
                ++received_;
                reconcile_();
                lastReconcile = std::chrono::steady_clock::now();
            }
        } catch (const Poco::TimeoutException&) {
            if (std::chrono::steady_clock::now() - lastReconcile > std::chrono::seconds(fallbackSeconds_)) {
                reconcile_();
                lastReconcile = std::chrono::steady_clock::now();
            }
        }
    }
}

}  // namespace tinko::bus
