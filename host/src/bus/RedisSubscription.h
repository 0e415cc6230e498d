#pragma once
// One Redis connection in subscribe mode that can wait for a message without losing itself.
//
// Why not Poco::Redis::Client with a receive timeout: in POCO 1.11 the client reads through a
// std::istream, and the istream swallows the TimeoutException thrown by the socket (it sets
// badbit and get() returns EOF). Client::readReply() takes that EOF for a closed connection,
// disconnects and throws "Lost connection to Redis server". So a subscriber that wakes up every
// 500 ms to check for stop() lost its connection on every idle timeout. Here the wait is a poll()
// on the socket, and a reply is read only once its first byte is there (or already buffered).
#include "bus/RedisProbe.h"

#include <Poco/Net/StreamSocket.h>
#include <Poco/Redis/RedisStream.h>
#include <Poco/Redis/Type.h>

#include <string>
#include <vector>

namespace tinko::bus {

class RedisSubscription {
public:
    enum class Kind { Nothing, Message, Pong, Other };
    struct Event {
        Kind kind = Kind::Nothing;
        std::string payload;   // the message (Kind::Message)
    };

    // Connects (AUTH when the address has a password), subscribes to `channel` and waits for
    // Redis to confirm. `timeoutMs` bounds the connect and every reply once it has begun.
    // Throws Poco::Exception when any of that fails. `clientName`, when set, names the connection
    // (CLIENT SETNAME) so that ops (and tests) tell a host's subscriptions apart in CLIENT LIST.
    RedisSubscription(const RedisAddress& address, const std::string& channel, int timeoutMs,
                      const std::string& clientName = "");

    // Waits up to `waitMs` for the next reply. Kind::Nothing when none came; throws
    // Poco::Exception when the connection is lost or Redis answers something unreadable.
    Event next(int waitMs);

    // PING on the subscribed connection (Redis allows it); its answer comes through next() as
    // Kind::Pong. Proves the connection is alive when nothing has been published for a while.
    void ping();

private:
    void send(const std::vector<std::string>& command);
    Poco::Redis::RedisType::Ptr readReply();

    Poco::Net::StreamSocket socket_;
    Poco::Redis::RedisInputStream in_;    // holds a reference to socket_, declared before it
    Poco::Redis::RedisOutputStream out_;
};

// The reply's elements as text when it is an array (bulk strings, simple strings, integers);
// empty for any other reply.
std::vector<std::string> replyElements(const Poco::Redis::RedisType& reply);

}  // namespace tinko::bus
