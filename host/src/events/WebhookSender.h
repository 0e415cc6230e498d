#pragma once
// POSTs one webhook delivery to a merchant's endpoint under the host's outbound rules
// (plugins/HostServices.h): the URL's host is resolved once and the egress policy picks the address
// to connect to (https to a public address, or what ops allow in TINKO_EGRESS_ALLOW); the attempt
// has a total deadline and reads at most a capped answer. Connections are kept alive per
// scheme://host:port for a short while, so a busy endpoint is not handshaken per delivery.
// One sender per worker thread: not thread-safe.
#include "plugins/HostServices.h"

#include <Poco/Net/HTTPClientSession.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tinko::events {

struct SendOutcome {
    std::optional<int> status;    // the answer's status; none when no answer came
    std::string error;            // why not (refused by the egress policy, timed out, ...)
    int durationMs = 0;
};

class WebhookSender {
public:
    WebhookSender(std::shared_ptr<const plugins::Outbound> outbound, int deadlineMs, std::size_t maxAnswerBytes);

    SendOutcome post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::string& body);

    // Closes connections idle for longer than the receivers' usual keep-alive timeout.
    void closeIdle();

private:
    using Clock = std::chrono::steady_clock;
    struct Connection {
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        Clock::time_point lastUsed;
    };
    SendOutcome attempt(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& body, bool& reusedAndBroken);

    std::shared_ptr<const plugins::Outbound> outbound_;
    int deadlineMs_;
    std::size_t maxAnswerBytes_;
    std::map<std::string, Connection> connections_;   // by scheme://host:port
};

}  // namespace tinko::events
