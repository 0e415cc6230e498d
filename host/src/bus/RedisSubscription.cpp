#include "bus/RedisSubscription.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Error.h>
#include <Poco/Redis/Exception.h>

namespace tinko::bus {

using Poco::Redis::Array;
using Poco::Redis::BulkString;
using Poco::Redis::RedisException;
using Poco::Redis::RedisType;
using Poco::Redis::RedisTypeTraits;

std::vector<std::string> replyElements(const RedisType& reply) {
    std::vector<std::string> elements;
    const auto* array = dynamic_cast<const Poco::Redis::Type<Array>*>(&reply);
    if (!array) return elements;
    const Array& values = array->value();
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int type = values.getType(i);
        if (type == RedisTypeTraits<BulkString>::TypeId) {
            BulkString value = values.get<BulkString>(i);
            elements.push_back(value.isNull() ? "" : value.value());
        } else if (type == RedisTypeTraits<std::string>::TypeId) {
            elements.push_back(values.get<std::string>(i));
        } else if (type == RedisTypeTraits<Poco::Int64>::TypeId) {
            elements.push_back(std::to_string(values.get<Poco::Int64>(i)));
        } else {
            elements.emplace_back();
        }
    }
    return elements;
}

RedisSubscription::RedisSubscription(const RedisAddress& address, const std::string& channel, int timeoutMs,
                                     const std::string& clientName)
    : in_(socket_), out_(socket_) {
    const Poco::Timespan timeout(0, timeoutMs * 1000);
    socket_.connect(Poco::Net::SocketAddress(address.host, static_cast<Poco::UInt16>(address.port)), timeout);
    // Bounds a reply that has begun but stalls; waiting for the next reply is poll()'s job.
    socket_.setReceiveTimeout(timeout);
    socket_.setSendTimeout(timeout);
    socket_.setKeepAlive(true);
    socket_.setNoDelay(true);
    if (!address.password.empty()) {
        send({"AUTH", address.password});
        auto answer = readReply();
        if (answer->type() == RedisTypeTraits<Poco::Redis::Error>::TypeId) throw RedisException("Redis refused AUTH");
    }
    if (!clientName.empty()) {
        send({"CLIENT", "SETNAME", clientName});
        auto answer = readReply();
        if (answer->type() == RedisTypeTraits<Poco::Redis::Error>::TypeId) throw RedisException("Redis refused CLIENT SETNAME");
    }
    send({"SUBSCRIBE", channel});
    auto confirmation = replyElements(*readReply());
    if (confirmation.size() != 3 || confirmation[0] != "subscribe" || confirmation[1] != channel)
        throw RedisException("Redis did not confirm SUBSCRIBE " + channel);
}

RedisSubscription::Event RedisSubscription::next(int waitMs) {
    // Bytes of a later reply may already sit in the stream's buffer, where poll() cannot see them.
    if (in_.rdbuf()->in_avail() <= 0 &&
        !socket_.poll(Poco::Timespan(0, waitMs * 1000), Poco::Net::Socket::SELECT_READ | Poco::Net::Socket::SELECT_ERROR))
        return {};
    auto elements = replyElements(*readReply());
    if (elements.size() == 3 && elements[0] == "message") return {Kind::Message, elements[2]};
    if (!elements.empty() && elements[0] == "pong") return {Kind::Pong, ""};
    return {Kind::Other, ""};
}

void RedisSubscription::ping() { send({"PING"}); }

void RedisSubscription::send(const std::vector<std::string>& command) {
    Array array;
    for (const auto& part : command) array << part;
    out_ << array.toString();
    out_.flush();
    // The stream swallows the socket's exceptions too: a failed write only shows in its state.
    if (!out_.good()) throw RedisException("could not write to Redis");
}

RedisType::Ptr RedisSubscription::readReply() {
    const int marker = in_.get();
    if (marker == std::char_traits<char>::eof()) throw RedisException("Redis closed the connection");
    RedisType::Ptr reply = RedisType::createRedisType(static_cast<char>(marker));
    if (reply.isNull()) throw RedisException("Redis sent an unknown reply type");
    reply->read(in_);
    if (!in_.good()) throw RedisException("Redis connection lost in the middle of a reply");
    return reply;
}

}  // namespace tinko::bus
