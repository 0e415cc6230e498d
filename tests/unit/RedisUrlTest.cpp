// bus/RedisProbe parseRedisUrl: reading TINKO_REDIS_URL into the address the readiness probe uses.
#include "bus/RedisProbe.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using tinko::bus::parseRedisUrl;
using tinko::bus::RedisAddress;

namespace {
RedisAddress parsed(const std::string& url) {
    auto a = parseRedisUrl(url);
    CPPUNIT_ASSERT_MESSAGE("expected '" + url + "' to parse", a.has_value());
    return *a;
}
}  // namespace

class RedisUrlTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RedisUrlTest);
    CPPUNIT_TEST(hostOnlyUsesDefaults);
    CPPUNIT_TEST(portAndDatabase);
    CPPUNIT_TEST(trailingSlashMeansDatabaseZero);
    CPPUNIT_TEST(passwordWithoutUser);
    CPPUNIT_TEST(passwordWithUser);
    CPPUNIT_TEST(userWithoutPasswordHasNoPassword);
    CPPUNIT_TEST(ipv6Host);
    CPPUNIT_TEST(wrongSchemeIsRejected);
    CPPUNIT_TEST(missingHostIsRejected);
    CPPUNIT_TEST(garbageIsRejected);
    CPPUNIT_TEST_SUITE_END();

public:
    void hostOnlyUsesDefaults() {
        RedisAddress a = parsed("redis://cache.internal");
        CPPUNIT_ASSERT_EQUAL(std::string("cache.internal"), a.host);
        CPPUNIT_ASSERT_EQUAL(6379, a.port);
        CPPUNIT_ASSERT_EQUAL(0, a.database);
        CPPUNIT_ASSERT_EQUAL(std::string(""), a.password);
    }

    void portAndDatabase() {
        RedisAddress a = parsed("redis://127.0.0.1:6390/3");
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), a.host);
        CPPUNIT_ASSERT_EQUAL(6390, a.port);
        CPPUNIT_ASSERT_EQUAL(3, a.database);
        CPPUNIT_ASSERT_EQUAL(15, parsed("redis://h/15").database);
    }

    void trailingSlashMeansDatabaseZero() {
        RedisAddress a = parsed("redis://h:7000/");
        CPPUNIT_ASSERT_EQUAL(7000, a.port);
        CPPUNIT_ASSERT_EQUAL(0, a.database);
    }

    void passwordWithoutUser() {
        RedisAddress a = parsed("redis://:s3cret@h:6380/1");
        CPPUNIT_ASSERT_EQUAL(std::string("s3cret"), a.password);
        CPPUNIT_ASSERT_EQUAL(std::string("h"), a.host);
        CPPUNIT_ASSERT_EQUAL(6380, a.port);
        CPPUNIT_ASSERT_EQUAL(1, a.database);
        CPPUNIT_ASSERT_EQUAL(std::string("p@ss"), parsed("redis://:p%40ss@h").password);  // percent-decoded
    }

    void passwordWithUser() {
        RedisAddress a = parsed("redis://default:s3cret@h:6381");
        CPPUNIT_ASSERT_EQUAL(std::string("h"), a.host);
        CPPUNIT_ASSERT_EQUAL(6381, a.port);
        // The user name (Redis 6 ACL user) is not part of the password.
        CPPUNIT_ASSERT_EQUAL(std::string("s3cret"), a.password);
        // Everything after the first ':' is the password, so it may itself contain ':'.
        CPPUNIT_ASSERT_EQUAL(std::string("pa:ss"), parsed("redis://default:pa:ss@h").password);
    }

    void userWithoutPasswordHasNoPassword() {
        CPPUNIT_ASSERT_EQUAL(std::string(""), parsed("redis://someone@h").password);
    }

    void ipv6Host() {
        RedisAddress a = parsed("redis://[::1]:6390");
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), a.host);
        CPPUNIT_ASSERT_EQUAL(6390, a.port);
    }

    void wrongSchemeIsRejected() {
        for (const char* url : {"http://h:6379", "rediss://h:6380", "tcp://h:6379", "REDIS_URL"})
            CPPUNIT_ASSERT_MESSAGE(url, !parseRedisUrl(url));
    }

    void missingHostIsRejected() {
        for (const char* url : {"redis://", "redis:///0", "redis://:pw@:6379"})
            CPPUNIT_ASSERT_MESSAGE(url, !parseRedisUrl(url));
    }

    void garbageIsRejected() {
        for (const char* url : {"", "   ", "127.0.0.1:6379", "redis://h:notaport", "redis://h:99999", "redis://h/abc",
                                "redis://h/1abc", "redis://h/-1", "redis://h/0/extra", "::::"})
            CPPUNIT_ASSERT_MESSAGE(url, !parseRedisUrl(url));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RedisUrlTest);
