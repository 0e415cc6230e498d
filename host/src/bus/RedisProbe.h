#pragma once
// Redis addresses (TINKO_REDIS_URL), connecting to one, and whether it answers PING (no longer
// /readyz's check: that is the plugin-announcement subscriber's own state).
#include <Poco/Redis/Client.h>

#include <optional>
#include <string>

namespace tinko::bus {

struct RedisAddress {
    std::string host;
    int port = 6379;
    std::string password;   // empty = no AUTH
    int database = 0;
};

// Parses redis://[:password@]host[:port][/db]; nullopt when it is not such a URL.
std::optional<RedisAddress> parseRedisUrl(const std::string& url);

// Connects `client` (with AUTH when the address has a password); reads time out after `timeoutMs`.
void connectRedis(Poco::Redis::Client& client, const RedisAddress& address, int timeoutMs);

// nullopt when Redis answered PONG within `timeoutMs`, else why not.
std::optional<std::string> pingRedis(const RedisAddress& address, int timeoutMs);

}  // namespace tinko::bus
