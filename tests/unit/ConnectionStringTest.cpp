// store/PgConnection string helpers: adding connect_timeout to whatever form of connection string an
// operator configured, and hiding passwords before a connection string reaches a log or an error.
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using tinko::store::redactConnectionString;
using tinko::store::withConnectTimeout;

namespace {
std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1)) ++n;
    return n;
}
}  // namespace

class ConnectionStringTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConnectionStringTest);
    CPPUNIT_TEST(uriWithoutQueryGetsQuery);
    CPPUNIT_TEST(uriWithQueryGetsMoreParameters);
    CPPUNIT_TEST(postgresSchemeIsAUriToo);
    CPPUNIT_TEST(uriKeepsExistingConnectTimeout);
    CPPUNIT_TEST(keyValueGetsAppended);
    CPPUNIT_TEST(keyValueKeepsExistingSettings);
    CPPUNIT_TEST(redactsUriPassword);
    CPPUNIT_TEST(uriWithoutPasswordIsUntouched);
    CPPUNIT_TEST(redactsKeyValuePassword);
    CPPUNIT_TEST(redactsQuotedPassword);
    CPPUNIT_TEST(redactsPasswordInUriQuery);
    CPPUNIT_TEST(keyValueWithoutPasswordIsUntouched);
    CPPUNIT_TEST_SUITE_END();

public:
    void uriWithoutQueryGetsQuery() {
        CPPUNIT_ASSERT_EQUAL(std::string("postgresql://u@db:5432/tinko?connect_timeout=3&application_name=tinko-host"),
                             withConnectTimeout("postgresql://u@db:5432/tinko", 3));
    }

    void uriWithQueryGetsMoreParameters() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("postgresql://db/tinko?sslmode=require&connect_timeout=5&application_name=tinko-host"),
            withConnectTimeout("postgresql://db/tinko?sslmode=require", 5));
        CPPUNIT_ASSERT_EQUAL(std::string("postgresql://db/tinko?connect_timeout=5&application_name=tinko-host"),
                             withConnectTimeout("postgresql://db/tinko?", 5));
    }

    void postgresSchemeIsAUriToo() {
        // A key=value " connect_timeout=3" suffix on a URI would make libpq reject it.
        CPPUNIT_ASSERT_EQUAL(std::string("postgres://db/x?connect_timeout=3&application_name=tinko-host"),
                             withConnectTimeout("postgres://db/x", 3));
    }

    void uriKeepsExistingConnectTimeout() {
        const std::string out = withConnectTimeout("postgresql://db/x?connect_timeout=10", 3);
        CPPUNIT_ASSERT_EQUAL(std::string("postgresql://db/x?connect_timeout=10&application_name=tinko-host"), out);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), occurrences(out, "connect_timeout="));
        // An operator's application_name wins too.
        CPPUNIT_ASSERT_EQUAL(std::string("postgresql://db/x?application_name=billing&connect_timeout=3"),
                             withConnectTimeout("postgresql://db/x?application_name=billing", 3));
    }

    void keyValueGetsAppended() {
        CPPUNIT_ASSERT_EQUAL(std::string("host=db dbname=tinko connect_timeout=4 application_name=tinko-host"),
                             withConnectTimeout("host=db dbname=tinko", 4));
    }

    void keyValueKeepsExistingSettings() {
        const std::string out = withConnectTimeout("host=db connect_timeout=9 application_name=x", 3);
        CPPUNIT_ASSERT_EQUAL(std::string("host=db connect_timeout=9 application_name=x"), out);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), occurrences(out, "connect_timeout"));
    }

    void redactsUriPassword() {
        CPPUNIT_ASSERT_EQUAL(std::string("postgresql://tinko:***@db:5432/tinko"),
                             redactConnectionString("postgresql://tinko:s3cr%40t@db:5432/tinko"));
        CPPUNIT_ASSERT_EQUAL(std::string("postgres://tinko:***@db/x?sslmode=require"),
                             redactConnectionString("postgres://tinko:pw@db/x?sslmode=require"));
        // An empty user with a password still hides the password.
        CPPUNIT_ASSERT_EQUAL(std::string("postgresql://:***@db/x"), redactConnectionString("postgresql://:pw@db/x"));
    }

    void uriWithoutPasswordIsUntouched() {
        for (const char* uri : {"postgresql://tinko@db:5432/tinko", "postgresql://db:5432/tinko",
                                "postgresql://db/tinko?sslmode=require"})
            CPPUNIT_ASSERT_EQUAL(std::string(uri), redactConnectionString(uri));
    }

    void redactsKeyValuePassword() {
        CPPUNIT_ASSERT_EQUAL(std::string("host=db user=tinko password=*** dbname=tinko"),
                             redactConnectionString("host=db user=tinko password=hunter2 dbname=tinko"));
        CPPUNIT_ASSERT_EQUAL(std::string("host=db password=***"), redactConnectionString("host=db password = hunter2"));
    }

    void redactsQuotedPassword() {
        // libpq allows quoted values with spaces and escaped quotes; none of it may survive.
        const std::string out = redactConnectionString(R"(host=db password='a b\'c' dbname=tinko)");
        CPPUNIT_ASSERT_EQUAL(std::string("host=db password=*** dbname=tinko"), out);
    }

    void redactsPasswordInUriQuery() {
        const std::string out = redactConnectionString("postgresql://db/x?password=hunter2");
        CPPUNIT_ASSERT(out.find("hunter2") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("postgresql://db/x?password=***"), out);
        // Only the password goes; the parameters after it stay.
        CPPUNIT_ASSERT_EQUAL(std::string("postgresql://db/x?password=***&sslmode=require"),
                             redactConnectionString("postgresql://db/x?password=hunter2&sslmode=require"));
        // An '@' in the query is not a password separator.
        CPPUNIT_ASSERT_EQUAL(std::string("postgresql://db:5432/x?application_name=a@b"),
                             redactConnectionString("postgresql://db:5432/x?application_name=a@b"));
    }

    void keyValueWithoutPasswordIsUntouched() {
        CPPUNIT_ASSERT_EQUAL(std::string("host=/var/run/postgresql port=5433 dbname=tinko user=tinko"),
                             redactConnectionString("host=/var/run/postgresql port=5433 dbname=tinko user=tinko"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), redactConnectionString(""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConnectionStringTest);
