// store/PgConnection on the test server: a refused statement throws DatabaseError carrying the
// SQLSTATE and the constraint it broke, so callers decide by code, not by the message's words.
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;
using tinko::store::DatabaseError;
using tinko::store::PgConnection;

class PgConnectionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PgConnectionTest);
    CPPUNIT_TEST(aUniqueViolationNamesItsIndex);
    CPPUNIT_TEST(otherErrorsCarryTheirSqlState);
    CPPUNIT_TEST_SUITE_END();

public:
    void aUniqueViolationNamesItsIndex() {
        PgConnection c(createFreshDatabase());
        c.exec("CREATE TABLE t (k TEXT); CREATE UNIQUE INDEX t_k_once ON t (k) WHERE k IS NOT NULL");
        c.query("INSERT INTO t VALUES ($1)", {"a"});
        try {
            c.query("INSERT INTO t VALUES ($1)", {"a"});
            CPPUNIT_FAIL("expected a unique violation");
        } catch (const DatabaseError& e) {
            CPPUNIT_ASSERT_EQUAL(std::string("23505"), e.sqlState);
            CPPUNIT_ASSERT_EQUAL(std::string("t_k_once"), e.constraint);
            CPPUNIT_ASSERT(e.isUniqueViolation("t_k_once"));
            CPPUNIT_ASSERT(!e.isUniqueViolation("another_index"));
        }
    }

    void otherErrorsCarryTheirSqlState() {
        PgConnection c(createFreshDatabase());
        try {
            c.exec("SELECT * FROM no_such_table");
            CPPUNIT_FAIL("expected an error");
        } catch (const DatabaseError& e) {
            CPPUNIT_ASSERT_EQUAL(std::string("42P01"), e.sqlState);   // undefined_table
            CPPUNIT_ASSERT_EQUAL(std::string(""), e.constraint);
            CPPUNIT_ASSERT(!e.isUniqueViolation(""));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PgConnectionTest);
