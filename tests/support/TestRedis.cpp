#include "TestRedis.h"

#include "bus/RedisSubscription.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Type.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace tinko::test {

namespace {
int freePort() {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    const int port = probe.address().port();
    probe.close();
    return port;
}
}  // namespace

TestRedis::TestRedis() {
    for (int attempt = 0; attempt < 5; ++attempt) {
        port_ = freePort();
        if (launch()) return;
    }
    throw std::runtime_error("could not start redis-server on a free port");
}

TestRedis::~TestRedis() {
    try {
        stop();
    } catch (...) {
    }
}

void TestRedis::stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

void TestRedis::freeze() {
    if (pid_ > 0) kill(pid_, SIGSTOP);
}

void TestRedis::thaw() {
    if (pid_ > 0) kill(pid_, SIGCONT);
}

void TestRedis::start() {
    if (pid_ > 0) return;
    // The port was just ours; another process could take it meanwhile, but then nothing here works.
    if (!launch()) throw std::runtime_error("could not start redis-server again on port " + std::to_string(port_));
}

bool TestRedis::launch() {
    const std::string log = dir_.path() + "/redis.log", port = std::to_string(port_);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(out, 1);
        dup2(out, 2);
        execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--daemonize", "no", "--dir", dir_.path().c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    bool exited = false;
    const bool up = waitUntil(
        [&] {
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) return exited = true;   // the port was taken
            try {
                return command({"PING"}) == "PONG";
            } catch (const std::exception&) {
                return false;
            }
        },
        10s, 20ms);
    if (up && !exited) return true;
    if (exited)
        pid_ = -1;
    else
        stop();
    return false;
}

std::string TestRedis::command(const std::vector<std::string>& args) const {
    Poco::Redis::Client client;
    client.connect("127.0.0.1", port_, Poco::Timespan(2, 0));
    client.setReceiveTimeout(Poco::Timespan(2, 0));
    Poco::Redis::Array array;
    array << args;
    Poco::Redis::RedisType::Ptr reply = client.sendCommand(array);
    if (auto* bulk = dynamic_cast<Poco::Redis::Type<Poco::Redis::BulkString>*>(reply.get()))
        return bulk->value().isNull() ? "" : bulk->value().value();
    if (auto* simple = dynamic_cast<Poco::Redis::Type<std::string>*>(reply.get())) return simple->value();
    if (auto* number = dynamic_cast<Poco::Redis::Type<Poco::Int64>*>(reply.get())) return std::to_string(number->value());
    if (auto* error = dynamic_cast<Poco::Redis::Type<Poco::Redis::Error>*>(reply.get()))
        throw std::runtime_error("Redis error: " + error->value().getMessage());
    std::string joined;
    for (const auto& element : bus::replyElements(*reply)) joined += (joined.empty() ? "" : "\n") + element;
    return joined;
}

}  // namespace tinko::test
