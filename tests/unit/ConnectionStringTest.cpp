// store/PgConnection's one reader of TINKO_DATABASE_URL: every form an operator may configure (URI
// or key=value, passwords, sslmode, options, percent-escapes, Unix-socket hosts) becomes the same
// key=value string with quoted values, and passwords never reach a log.
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using tinko::store::connectionStringProblem;
using tinko::store::DatabaseError;
using tinko::store::normalizedConnectionString;
using tinko::store::redactConnectionString;

namespace {
// libpq's order of options: connect_timeout comes before dbname, application_name after options.

std::string normalized(const std::string& conninfo) { return normalizedConnectionString(conninfo, 3); }
}  // namespace

class ConnectionStringTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConnectionStringTest);
    CPPUNIT_TEST(uriBecomesQuotedKeyValues);
    CPPUNIT_TEST(postgresSchemeIsAUriToo);
    CPPUNIT_TEST(percentEscapedPasswordIsDecodedAndQuoted);
    CPPUNIT_TEST(sslmodeAndOptionsWithSpacesSurvive);
    CPPUNIT_TEST(unixSocketAsHostParameter);
    CPPUNIT_TEST(unixSocketAsPercentEscapedHost);
    CPPUNIT_TEST(keyValueWithQuotedValuesSurvives);
    CPPUNIT_TEST(operatorsTimeoutAndNameWin);
    CPPUNIT_TEST(normalizingTwiceChangesNothing);
    CPPUNIT_TEST(unreadableStringIsRefusedWithTheReason);
    CPPUNIT_TEST(redactsUriPassword);
    CPPUNIT_TEST(redactsKeyValuePassword);
    CPPUNIT_TEST(redactsPasswordInUriQuery);
    CPPUNIT_TEST(withoutPasswordNothingIsRedacted);
    CPPUNIT_TEST_SUITE_END();

public:
    void uriBecomesQuotedKeyValues() {
        CPPUNIT_ASSERT_EQUAL(std::string("user='u' connect_timeout='3' dbname='tinko' host='db' port='5432' application_name='tinko-host'"),
                             normalized("postgresql://u@db:5432/tinko"));
    }

    void postgresSchemeIsAUriToo() {
        CPPUNIT_ASSERT_EQUAL(std::string("connect_timeout='3' dbname='x' host='db' application_name='tinko-host'"), normalized("postgres://db/x"));
    }

    void percentEscapedPasswordIsDecodedAndQuoted() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(user='u' password='p@ss w\'d' connect_timeout='3' dbname='t' host='db' application_name='tinko-host')"),
                             normalized("postgresql://u:p%40ss%20w%27d@db/t"));
        CPPUNIT_ASSERT_EQUAL(std::string("user='u' connect_timeout='3' dbname='t' host='db' application_name='tinko-host'"), normalized("postgresql://u@db/t"));
    }

    void sslmodeAndOptionsWithSpacesSurvive() {
        const std::string out = normalized("postgresql://db/x?sslmode=require&options=-c%20statement_timeout%3D5s");
        CPPUNIT_ASSERT(out.find("sslmode='require'") != std::string::npos);
        CPPUNIT_ASSERT(out.find("options='-c statement_timeout=5s'") != std::string::npos);
    }

    void unixSocketAsHostParameter() {
        CPPUNIT_ASSERT_EQUAL(std::string("connect_timeout='3' dbname='dbname' host='/path/to/socket' application_name='tinko-host'"),
                             normalized("postgresql:///dbname?host=/path/to/socket"));
    }

    void unixSocketAsPercentEscapedHost() {
        CPPUNIT_ASSERT_EQUAL(std::string("user='user' connect_timeout='3' dbname='db' host='/path/to/socket' application_name='tinko-host'"),
                             normalized("postgresql://user@%2Fpath%2Fto%2Fsocket/db"));
    }

    void keyValueWithQuotedValuesSurvives() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(password='a b\'c' connect_timeout='3' dbname='tinko' host='/tmp/s d' port='5433' application_name='tinko-host')"),
                             normalized(R"(host='/tmp/s d' port=5433 password='a b\'c' dbname=tinko)"));
    }

    void operatorsTimeoutAndNameWin() {
        CPPUNIT_ASSERT_EQUAL(std::string("connect_timeout='10' dbname='x' host='db' application_name='billing'"),
                             normalized("postgresql://db/x?connect_timeout=10&application_name=billing"));
        CPPUNIT_ASSERT_EQUAL(std::string("connect_timeout='9' host='db' application_name='tinko-host'"),
                             normalized("host=db connect_timeout=9"));
    }

    void normalizingTwiceChangesNothing() {
        for (const char* form : {"postgresql://u:p%40ss%20w%27d@db:5432/t?sslmode=require&options=-c%20a%3Db",
                                 "postgresql:///dbname?host=/path/to/socket", R"(host=db password='a b\'c')"}) {
            const std::string once = normalized(form);
            CPPUNIT_ASSERT_EQUAL(once, normalized(once));
        }
    }

    void unreadableStringIsRefusedWithTheReason() {
        CPPUNIT_ASSERT(!connectionStringProblem("postgresql://db/x"));
        CPPUNIT_ASSERT(!connectionStringProblem("host=db"));
        const auto problem = connectionStringProblem("postgresql://db/x?nonsense=1");
        CPPUNIT_ASSERT(problem && problem->find("nonsense") != std::string::npos);
        CPPUNIT_ASSERT(connectionStringProblem("host=db dbname"));
        CPPUNIT_ASSERT_THROW(normalized("host='unterminated"), DatabaseError);
        // The offending token of a bad percent-escape may be the password: it is not repeated.
        const auto bad = connectionStringProblem("postgresql://u:hunter%zz@db/x");
        CPPUNIT_ASSERT(bad && bad->find("hunter") == std::string::npos);
    }

    void redactsUriPassword() {
        const std::string out = redactConnectionString("postgresql://tinko:s3cr%40t@db:5432/tinko");
        CPPUNIT_ASSERT_EQUAL(std::string("user='tinko' password=*** dbname='tinko' host='db' port='5432'"), out);
        CPPUNIT_ASSERT_EQUAL(std::string("password=*** dbname='x' host='db'"), redactConnectionString("postgresql://:pw@db/x"));
    }

    void redactsKeyValuePassword() {
        CPPUNIT_ASSERT_EQUAL(std::string("user='tinko' password=*** dbname='tinko' host='db'"),
                             redactConnectionString("host=db user=tinko password=hunter2 dbname=tinko"));
        const std::string quoted = redactConnectionString(R"(host=db password='a b\'c' dbname=tinko)");
        CPPUNIT_ASSERT(quoted.find('c') == std::string::npos || quoted.find("a b") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("password=*** dbname='tinko' host='db'"), quoted);
    }

    void redactsPasswordInUriQuery() {
        CPPUNIT_ASSERT_EQUAL(std::string("password=*** dbname='x' host='db' sslmode='require'"),
                             redactConnectionString("postgresql://db/x?password=hunter2&sslmode=require"));
        CPPUNIT_ASSERT_EQUAL(std::string("(unreadable connection string)"), redactConnectionString("password='hunter2"));
    }

    void withoutPasswordNothingIsRedacted() {
        CPPUNIT_ASSERT_EQUAL(std::string("user='tinko' dbname='tinko' host='/var/run/postgresql' port='5433'"),
                             redactConnectionString("host=/var/run/postgresql port=5433 dbname=tinko user=tinko"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), redactConnectionString(""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConnectionStringTest);
