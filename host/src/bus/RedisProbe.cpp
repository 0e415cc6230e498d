#include "bus/RedisProbe.h"

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/URI.h>

namespace tinko::bus {

std::optional<RedisAddress> parseRedisUrl(const std::string& url) {
    try {
        Poco::URI uri(url);
        if (uri.getScheme() != "redis" || uri.getHost().empty()) return std::nullopt;
        RedisAddress a;
        a.host = uri.getHost();
        a.port = uri.getPort() ? uri.getPort() : 6379;
        const std::string& info = uri.getUserInfo();
        if (auto colon = info.find(':'); colon != std::string::npos) Poco::URI::decode(info.substr(colon + 1), a.password);
        const std::string path = uri.getPath();
        if (path.size() > 1) {
            const std::string db = path.substr(1);
            if (db.size() > 5 || db.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
            a.database = std::stoi(db);
        }
        return a;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void connectRedis(Poco::Redis::Client& client, const RedisAddress& address, int timeoutMs) {
    const Poco::Timespan timeout(0, timeoutMs * 1000);
    client.connect(address.host, address.port, timeout);
    client.setReceiveTimeout(timeout);
    if (!address.password.empty()) {
        Poco::Redis::Array auth;
        auth << "AUTH" << address.password;
        client.execute<std::string>(auth);
    }
}

}  // namespace tinko::bus
