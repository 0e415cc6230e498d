#pragma once
// Redis addresses (TINKO_REDIS_URL) and connecting to one. /readyz asks the plugin-announcement
// subscriber for its own state instead of probing Redis per request.
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

}  // namespace tinko::bus
