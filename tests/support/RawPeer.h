#pragma once
// A TCP peer on 127.0.0.1 that does what a test says with each connection (send a banner, an
// endless answer, trickle bytes), and counts connections and bytes it managed to send: for the
// outbound limits and the egress policy, where "the peer was never contacted" must be observable.
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <csignal>
#include <functional>
#include <string>
#include <thread>

namespace tinko::test {

class RawPeer {
public:
    using Behaviour = std::function<void(Poco::Net::StreamSocket&, RawPeer&)>;
    // `behaviour` runs on the peer's thread for each accepted connection, one at a time.
    explicit RawPeer(Behaviour behaviour)
        : behaviour_(std::move(behaviour)), server_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        // It writes to sockets the other side closes: a broken pipe must be an error, not a signal.
        std::signal(SIGPIPE, SIG_IGN);
        thread_ = std::thread([this] { run(); });
    }
    ~RawPeer() {
        stopping_ = true;
        try {
            Poco::Net::StreamSocket wake(server_.address());   // unblocks accept
        } catch (...) {
        }
        thread_.join();
    }

    int port() const { return server_.address().port(); }
    int connections() const { return connections_.load(); }
    int finished() const { return finished_.load(); }   // connections whose behaviour has returned
    long long bytesSent() const { return bytesSent_.load(); }
    bool stopping() const { return stopping_.load(); }

    // Sends all of `data` or stops at the first failure (the other side closed); counts what went.
    bool send(Poco::Net::StreamSocket& socket, const std::string& data) {
        std::size_t sent = 0;
        try {
            while (sent < data.size()) {
                const int n = socket.sendBytes(data.data() + sent, static_cast<int>(data.size() - sent));
                if (n <= 0) return false;
                sent += static_cast<std::size_t>(n);
                bytesSent_ += n;
            }
            return true;
        } catch (...) {
            return false;
        }
    }

    // Reads what the client sent up to the end of its HTTP headers (or a short while).
    static std::string readRequestHead(Poco::Net::StreamSocket& socket) {
        std::string head;
        char buffer[4096];
        socket.setReceiveTimeout(Poco::Timespan(2, 0));
        try {
            while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
                const int n = socket.receiveBytes(buffer, sizeof buffer);
                if (n <= 0) break;
                head.append(buffer, static_cast<std::size_t>(n));
            }
        } catch (...) {
        }
        return head;
    }

private:
    void run() {
        while (!stopping_) {
            try {
                Poco::Net::StreamSocket client = server_.acceptConnection();
                if (stopping_) break;
                ++connections_;
                behaviour_(client, *this);
                client.close();
                ++finished_;
            } catch (...) {
            }
        }
    }

    Behaviour behaviour_;
    Poco::Net::ServerSocket server_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    std::atomic<int> finished_{0};
    std::atomic<long long> bytesSent_{0};
    std::thread thread_;
};

}  // namespace tinko::test
