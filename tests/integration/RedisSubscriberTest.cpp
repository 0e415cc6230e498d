// A host's plugin-announcement subscriber keeps one Redis connection while nothing is published
// (it used to lose it on every 500 ms read timeout and reconnect every 1.5 s, logging a warning
// each time: about 2,400 per hour), and after a real loss it reconnects, logging the loss once and
// the return once. The suite runs its own Redis, so the connections it sees are this host's.
#include "TestRedis.h"
#include "TestSupport.h"

#include "bus/OrgDataAnnouncements.h"
#include "bus/PluginAnnouncements.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>

#include <sstream>

using namespace tinko::test;

namespace {
struct RedisClient {
    std::string id;
    long ageSeconds = 0;
};

// The plugin-announcement subscriptions, from CLIENT LIST ("id=7 addr=... age=12 ... sub=1 ..."): the
// org data subscription (bus/OrgDataAnnouncements, named by CLIENT SETNAME) is left out.
std::vector<RedisClient> subscribers(const TestRedis& redis) {
    std::vector<RedisClient> found;
    std::istringstream lines(redis.command({"CLIENT", "LIST"}));
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        RedisClient client;
        bool subscribed = false, orgData = false;
        for (std::string field; fields >> field;) {
            if (field.rfind("id=", 0) == 0) client.id = field.substr(3);
            if (field.rfind("age=", 0) == 0) client.ageSeconds = std::stol(field.substr(4));
            if (field == "sub=1") subscribed = true;
            if (field == std::string("name=") + tinko::bus::OrgDataAnnouncements::kClientName) orgData = true;
        }
        if (subscribed && !orgData) found.push_back(client);
    }
    return found;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
    return count;
}
}  // namespace

class RedisSubscriberTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RedisSubscriberTest);
    CPPUNIT_TEST(anIdleSubscriberStaysConnectedForAMinute);
    CPPUNIT_TEST(aLostSubscriptionIsRestoredAndLoggedOnce);
    CPPUNIT_TEST(aRedisThatStopsAnsweringIsNoticedByPing);
    CPPUNIT_TEST_SUITE_END();

public:
    void anIdleSubscriberStaysConnectedForAMinute() {
        TestRedis redis;
        TestHost host(Env{{"TINKO_REDIS_URL", redis.url()}});
        CPPUNIT_ASSERT(waitUntil([&] { return subscribers(redis).size() == 1; }, 10s));
        const RedisClient first = subscribers(redis)[0];

        // The idle minute, ended early by the failure: another connection in place of the first.
        const bool replaced = waitUntil(
            [&] {
                auto now = subscribers(redis);
                return now.size() != 1 || now[0].id != first.id;
            },
            60s, 500ms);
        CPPUNIT_ASSERT_MESSAGE(host.process.stderrText(), !replaced);
        const RedisClient after = subscribers(redis)[0];
        CPPUNIT_ASSERT_EQUAL(first.id, after.id);
        CPPUNIT_ASSERT(after.ageSeconds >= 55);
        const std::string log = host.process.stderrText();
        CPPUNIT_ASSERT_MESSAGE(log, log.find("lost") == std::string::npos);
    }

    void aLostSubscriptionIsRestoredAndLoggedOnce() {
        TestRedis redis;
        TestHost host(Env{{"TINKO_REDIS_URL", redis.url()}});
        CPPUNIT_ASSERT(waitUntil([&] { return subscribers(redis).size() == 1; }, 10s));
        const RedisClient first = subscribers(redis)[0];

        redis.command({"CLIENT", "KILL", "ID", first.id});
        std::vector<RedisClient> now;
        CPPUNIT_ASSERT(waitUntil([&] { return (now = subscribers(redis)).size() == 1 && now[0].id != first.id; }, 10s));
        CPPUNIT_ASSERT(waitUntil([&] { return occurrences(host.process.stderrText(), "subscription restored") == 1; }, 5s));
        const std::string log = host.process.stderrText();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::size_t(1), occurrences(log, "Redis subscription lost"));
        CPPUNIT_ASSERT(host.ops("GET", "/metrics").body.find("tinko_redis_subscribed 1\n") != std::string::npos);
    }

    void aRedisThatStopsAnsweringIsNoticedByPing() {
        // A frozen Redis keeps the connection open and says nothing, like a host or network gone
        // without a FIN: only a PING shows it. The listener runs in this process, with short waits.
        TestRedis redis;
        std::atomic<int> reconciles{0};
        tinko::bus::PluginAnnouncements listener(tinko::bus::parseRedisUrl(redis.url()), [&reconciles] { ++reconciles; }, 60,
                                                 {500, 100, 1000, 1000});
        listener.start();
        CPPUNIT_ASSERT(waitUntil([&] { return listener.subscribed(); }, 5s));
        CPPUNIT_ASSERT(!listener.subscriptionProblem());
        const RedisClient first = subscribers(redis)[0];
        // Silent for three ping periods: the pongs keep it subscribed on the same connection.
        CPPUNIT_ASSERT(!waitUntil([&] { return !listener.subscribed(); }, 3s));
        CPPUNIT_ASSERT_EQUAL(first.id, subscribers(redis)[0].id);

        redis.freeze();
        CPPUNIT_ASSERT(waitUntil([&] { return !listener.subscribed(); }, 5s));
        CPPUNIT_ASSERT(listener.subscriptionProblem().has_value());
        const int reconcilesBefore = reconciles;
        redis.thaw();
        CPPUNIT_ASSERT(waitUntil([&] { return listener.subscribed(); }, 10s));
        CPPUNIT_ASSERT(reconciles > reconcilesBefore);   // what was announced meanwhile is caught up
        listener.stop();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RedisSubscriberTest);
