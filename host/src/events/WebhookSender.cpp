#include "events/WebhookSender.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <algorithm>

namespace tinko::events {

namespace {
using Clock = std::chrono::steady_clock;

// Below the 5 s keep-alive timeout of most servers (Node's default among them): a connection the
// server is about to close is not reused.
constexpr auto kIdleClose = std::chrono::seconds(3);

Poco::Timespan remaining(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
    return Poco::Timespan(std::max<long long>(left, 1000));
}

int elapsedMs(Clock::time_point since) {
    return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}
}  // namespace

WebhookSender::WebhookSender(std::shared_ptr<const plugins::Outbound> outbound, int deadlineMs, std::size_t maxAnswerBytes)
    : outbound_(std::move(outbound)), deadlineMs_(deadlineMs), maxAnswerBytes_(maxAnswerBytes) {}

void WebhookSender::closeIdle() {
    const auto now = Clock::now();
    for (auto it = connections_.begin(); it != connections_.end();)
        it = now - it->second.lastUsed > kIdleClose ? connections_.erase(it) : std::next(it);
}

SendOutcome WebhookSender::post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                                const std::string& body) {
    closeIdle();
    bool reusedAndBroken = false;
    SendOutcome outcome = attempt(url, headers, body, reusedAndBroken);
    // A kept-alive connection the server had closed meanwhile: nothing was answered; once more on a new one.
    if (reusedAndBroken) outcome = attempt(url, headers, body, reusedAndBroken);
    return outcome;
}

SendOutcome WebhookSender::attempt(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                                   const std::string& body, bool& reusedAndBroken) {
    reusedAndBroken = false;
    const Clock::time_point start = Clock::now();
    const Clock::time_point deadline = start + std::chrono::milliseconds(deadlineMs_);
    SendOutcome out;
    std::string key;
    bool reused = false;
    bool deadlineFired = false;
    std::uint64_t watchId = 0;
    bool watching = false;
    auto unwatch = [&] {
        if (watching) deadlineFired = outbound_->watchdog().unwatch(watchId) || deadlineFired;
        watching = false;
    };
    try {
        Poco::URI uri(url);
        const bool https = uri.getScheme() == "https";
        if (!https && uri.getScheme() != "http") {
            out.error = "the endpoint URL is not http(s)";
            out.durationMs = elapsedMs(start);
            return out;
        }
        const std::string host = uri.getHost();
        const std::uint16_t port = uri.getPort();
        key = uri.getScheme() + "://" + host + ":" + std::to_string(port);
        auto found = connections_.find(key);
        reused = found != connections_.end();
        if (!reused) {
            // Any host, on the URL's port: what decides is https to a public address, or ops' allow list.
            const std::vector<plugins::DeclaredHost> anyHost{{"*", port}};
            const plugins::EgressDecision decision = outbound_->policy().decide(anyHost, {host, port, https, plugins::resolveHost(host)});
            if (!decision.address) {
                out.error = decision.refusal;
                out.durationMs = elapsedMs(start);
                return out;
            }
            Poco::Net::StreamSocket plain;
            plain.connect(Poco::Net::SocketAddress(Poco::Net::IPAddress(decision.address->toString()), port), remaining(deadline));
            plain.setNoDelay(true);
            watchId = outbound_->watchdog().watch(plain.impl()->sockfd(), deadline);
            watching = true;
            plain.setReceiveTimeout(remaining(deadline));
            plain.setSendTimeout(remaining(deadline));
            // TLS on the vetted socket; SNI and the certificate check use the URL's host name.
            auto session = std::make_unique<Poco::Net::HTTPClientSession>(
                https ? Poco::Net::StreamSocket(Poco::Net::SecureStreamSocket::attach(plain, host, outbound_->tls())) : plain);
            session->setKeepAlive(true);
            found = connections_.emplace(key, Connection{std::move(session), start}).first;
        } else {
            watchId = outbound_->watchdog().watch(found->second.session->socket().impl()->sockfd(), deadline);
            watching = true;
        }
        Poco::Net::HTTPClientSession& session = *found->second.session;
        session.setTimeout(remaining(deadline));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc().empty() ? "/" : uri.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setHost(host, port);
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.setKeepAlive(true);
        request.set("User-Agent", "Tinko-Webhooks/1");
        for (const auto& [name, value] : headers) request.set(name, value);
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& answer = session.receiveResponse(response);
        out.status = static_cast<int>(response.getStatus());
        // Only the status matters; a larger answer is not read, and its connection not kept.
        std::size_t read = 0;
        bool complete = true;
        char chunk[8192];
        while (answer) {
            answer.read(chunk, sizeof chunk);
            read += static_cast<std::size_t>(answer.gcount());
            if (read > maxAnswerBytes_) {
                complete = false;
                break;
            }
        }
        unwatch();
        if (answer.bad() || deadlineFired) complete = false;
        found->second.lastUsed = Clock::now();
        if (!complete || !response.getKeepAlive()) connections_.erase(found);
    } catch (const Poco::Exception& e) {
        unwatch();
        if (!key.empty()) connections_.erase(key);
        const bool pastDeadline = deadlineFired || Clock::now() >= deadline;
        if (!out.status) {
            // A kept-alive connection the server closed while idle fails at once, before any answer
            // (at least once: the receiver deduplicates by webhook-id should it have got it).
            reusedAndBroken = reused && !pastDeadline;
            out.error = pastDeadline ? "timed out: no answer within " + std::to_string(deadlineMs_) + " ms" : e.displayText();
        }
    } catch (const std::exception& e) {
        unwatch();
        if (!key.empty()) connections_.erase(key);
        if (!out.status) out.error = e.what();
    }
    out.durationMs = elapsedMs(start);
    return out;
}

}  // namespace tinko::events
