#include "BlockingSmtpServer.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <optional>

namespace tinko::test {

namespace {
const Poco::Timespan kPoll(0, 200 * 1000);

// Reads CRLF-terminated lines from a socket, a little at a time, giving up when `stopping` is set
// or the peer goes away.
class LineReader {
public:
    LineReader(Poco::Net::StreamSocket& socket, const std::atomic<bool>& stopping) : socket_(socket), stopping_(stopping) {}

    std::optional<std::string> next() {
        for (;;) {
            auto end = buffer_.find("\r\n");
            if (end != std::string::npos) {
                std::string line = buffer_.substr(0, end);
                buffer_.erase(0, end + 2);
                return line;
            }
            if (stopping_) return std::nullopt;
            char chunk[4096];
            int n = 0;
            try {
                n = socket_.receiveBytes(chunk, sizeof chunk);
            } catch (const Poco::TimeoutException&) {
                continue;
            } catch (const Poco::Exception&) {
                return std::nullopt;
            }
            if (n <= 0) return std::nullopt;
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

private:
    Poco::Net::StreamSocket& socket_;
    const std::atomic<bool>& stopping_;
    std::string buffer_;
};

bool sendLine(Poco::Net::StreamSocket& socket, const std::string& line) {
    try {
        const std::string data = line + "\r\n";
        socket.sendBytes(data.data(), static_cast<int>(data.size()));
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

bool startsWithCommand(const std::string& line, const std::string& command) {
    if (line.size() < command.size()) return false;
    for (std::size_t i = 0; i < command.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(line[i])) != command[i]) return false;
    return true;
}

std::string between(const std::string& text, char open, char close) {
    auto a = text.find(open);
    auto b = text.find(close, a == std::string::npos ? 0 : a + 1);
    if (a == std::string::npos || b == std::string::npos) return "";
    return text.substr(a + 1, b - a - 1);
}
}  // namespace

BlockingSmtpServer::BlockingSmtpServer() : listener_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    port_ = listener_.address().port();
    acceptor_ = std::thread([this] { acceptLoop(); });
}

BlockingSmtpServer::~BlockingSmtpServer() {
    stopping_ = true;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        changed_.notify_all();
        for (auto& s : openSockets_) {
            try {
                s.shutdown();
            } catch (...) {
            }
        }
    }
    if (acceptor_.joinable()) acceptor_.join();
    for (auto& t : sessions_)
        if (t.joinable()) t.join();
}

void BlockingSmtpServer::hold(HoldAt where) {
    std::lock_guard<std::mutex> lock(mutex_);
    holding_ = true;
    holdAt_ = where;
}

void BlockingSmtpServer::release() {
    std::lock_guard<std::mutex> lock(mutex_);
    holding_ = false;
    changed_.notify_all();
}

int BlockingSmtpServer::heldSessions() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return held_;
}

std::vector<BlockingSmtpServer::Message> BlockingSmtpServer::delivered() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return delivered_;
}

int BlockingSmtpServer::deliveredTo(const std::string& recipient) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(std::count_if(delivered_.begin(), delivered_.end(),
                                          [&](const Message& m) { return m.recipient == recipient; }));
}

void BlockingSmtpServer::acceptLoop() {
    while (!stopping_) {
        try {
            if (!listener_.poll(kPoll, Poco::Net::Socket::SELECT_READ)) continue;
            Poco::Net::StreamSocket socket = listener_.acceptConnection();
            socket.setReceiveTimeout(kPoll);
            std::lock_guard<std::mutex> lock(mutex_);
            openSockets_.push_back(socket);
            sessions_.emplace_back([this, socket]() mutable { serve(socket); });
        } catch (const Poco::Exception&) {
        }
    }
    listener_.close();
}

bool BlockingSmtpServer::waitWhileHeld(HoldAt point) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (holding_ && holdAt_ == point) {
        ++held_;
        changed_.wait(lock, [&] { return !holding_ || stopping_; });
        --held_;
    }
    return !stopping_;
}

void BlockingSmtpServer::serve(Poco::Net::StreamSocket socket) {
    LineReader reader(socket, stopping_);
    std::string recipient;
    if (!sendLine(socket, "220 blocking-smtp ESMTP")) return;
    while (auto line = reader.next()) {
        if (startsWithCommand(*line, "EHLO") || startsWithCommand(*line, "HELO")) {
            sendLine(socket, "250 blocking-smtp");
        } else if (startsWithCommand(*line, "MAIL FROM:")) {
            recipient.clear();
            sendLine(socket, "250 OK");
        } else if (startsWithCommand(*line, "RCPT TO:")) {
            recipient = between(*line, '<', '>');
            sendLine(socket, "250 OK");
        } else if (startsWithCommand(*line, "DATA")) {
            if (!waitWhileHeld(HoldAt::Data) || !sendLine(socket, "354 go ahead")) return;
            std::string messageId;
            bool ended = false;
            while (auto data = reader.next()) {
                if (*data == ".") {
                    ended = true;
                    break;
                }
                if (messageId.empty() && startsWithCommand(*data, "MESSAGE-ID:")) messageId = between(*data, '<', '>');
            }
            if (!ended) return;   // the sender went away before the end of its message: nothing delivered
            {
                std::lock_guard<std::mutex> lock(mutex_);
                delivered_.push_back({recipient, messageId});
            }
            if (!waitWhileHeld(HoldAt::EndOfData)) return;
            sendLine(socket, "250 OK queued");
        } else if (startsWithCommand(*line, "QUIT")) {
            sendLine(socket, "221 bye");
            return;
        } else if (startsWithCommand(*line, "RSET") || startsWithCommand(*line, "NOOP")) {
            sendLine(socket, "250 OK");
        } else {
            sendLine(socket, "502 not implemented");
        }
    }
}

}  // namespace tinko::test
