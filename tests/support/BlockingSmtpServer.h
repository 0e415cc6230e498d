#pragma once
// A plain SMTP server for crash tests, in this process on 127.0.0.1, that can hold every session
// at one of two points: at its DATA command (the sender named its recipient but sent no message,
// so a sender killed there delivered nothing), or after the message's final "." before the 250
// (the server has the whole message, the sender does not know it: a sender killed there cannot
// tell whether it was delivered). Released sessions go on normally. Each message the server holds
// in full is recorded as delivered, with its recipient and Message-ID.
//
//   BlockingSmtpServer smtp;            // listening, accepting
//   smtp.hold();                        // from now on, sessions wait at DATA
//   waitUntil([&] { return smtp.heldSessions() >= 2; }, 10s);
//   smtp.release();                     // held sessions continue; new ones are not held
//   smtp.deliveredTo("ann@example.com") // how many messages that recipient got
#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tinko::test {

class BlockingSmtpServer {
public:
    struct Message {
        std::string recipient;   // as in RCPT TO, without the brackets
        std::string messageId;   // the Message-ID header's value, "" when there was none
    };

    BlockingSmtpServer();
    ~BlockingSmtpServer();   // closes every session and joins its threads
    BlockingSmtpServer(const BlockingSmtpServer&) = delete;
    BlockingSmtpServer& operator=(const BlockingSmtpServer&) = delete;

    int port() const { return port_; }

    enum class HoldAt { Data, EndOfData };
    void hold(HoldAt where = HoldAt::Data);
    void release();
    // Sessions held now.
    int heldSessions() const;

    std::vector<Message> delivered() const;
    int deliveredTo(const std::string& recipient) const;

private:
    void acceptLoop();
    void serve(Poco::Net::StreamSocket socket);
    // Waits while sessions are held at `point`; false when the server is stopping.
    bool waitWhileHeld(HoldAt point);

    Poco::Net::ServerSocket listener_;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::thread acceptor_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool holding_ = false;
    HoldAt holdAt_ = HoldAt::Data;
    int held_ = 0;
    std::vector<Message> delivered_;
    std::vector<std::thread> sessions_;
    std::vector<Poco::Net::StreamSocket> openSockets_;
};

}  // namespace tinko::test
