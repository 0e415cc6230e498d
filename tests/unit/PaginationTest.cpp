// http/Pagination: the `limit` and `cursor` query parameters of list endpoints, and the 400 problem
// for anything a client should not have sent.
#include "http/Pagination.h"

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <string>

using namespace tinko::http;

namespace {
using Query = std::map<std::string, std::string>;

PageRequest pageOf(const Query& query) {
    auto result = parsePageRequest(query);
    if (auto* p = std::get_if<Problem>(&result)) CPPUNIT_FAIL("expected a page request, got: " + p->detail);
    return std::get<PageRequest>(result);
}

Problem problemOf(const Query& query) {
    auto result = parsePageRequest(query);
    CPPUNIT_ASSERT_MESSAGE("expected a problem", std::holds_alternative<Problem>(result));
    return std::get<Problem>(result);
}
}  // namespace

class PaginationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PaginationTest);
    CPPUNIT_TEST(defaults);
    CPPUNIT_TEST(limitBoundsAreAccepted);
    CPPUNIT_TEST(limitOutOfBoundsIsRejected);
    CPPUNIT_TEST(nonNumericLimitIsRejected);
    CPPUNIT_TEST(cursorRoundTrips);
    CPPUNIT_TEST(cursorAndLimitTogether);
    CPPUNIT_TEST(badCursorsAreRejected);
    CPPUNIT_TEST(unknownParametersAreNamed);
    CPPUNIT_TEST(everyProblemIsReportedAtOnce);
    CPPUNIT_TEST(rankedCursorsRoundTrip);
    CPPUNIT_TEST(aPageBodyHasANextCursorOnlyWhenFull);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaults() {
        PageRequest page = pageOf({});
        CPPUNIT_ASSERT_EQUAL(50, page.limit);
        CPPUNIT_ASSERT_EQUAL(0LL, page.afterId);
    }

    void limitBoundsAreAccepted() {
        CPPUNIT_ASSERT_EQUAL(1, pageOf({{"limit", "1"}}).limit);
        CPPUNIT_ASSERT_EQUAL(200, pageOf({{"limit", "200"}}).limit);
        CPPUNIT_ASSERT_EQUAL(75, pageOf({{"limit", "75"}}).limit);
    }

    void limitOutOfBoundsIsRejected() {
        for (const char* limit : {"0", "201", "100000", "999999999999999999999"}) {
            Problem p = problemOf({{"limit", limit}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(limit, 400, p.status);
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.errors.size());
            CPPUNIT_ASSERT_EQUAL(std::string("limit"), p.errors[0].field);
            CPPUNIT_ASSERT_EQUAL(std::string("must be an integer from 1 to 200"), p.errors[0].message);
        }
    }

    void nonNumericLimitIsRejected() {
        for (const char* limit : {"abc", "", "-5", "+5", "1.5", " 5", "5 "}) {
            Problem p = problemOf({{"limit", limit}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(limit, 400, p.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(limit, std::string("limit"), p.errors.at(0).field);
        }
    }

    void cursorRoundTrips() {
        // Whatever a page returned as next_cursor continues after that row.
        for (long long id : {0LL, 1LL, 42LL, 123456789012LL}) {
            const std::string cursor = cursorAfter(id);
            CPPUNIT_ASSERT_EQUAL(id, pageOf({{"cursor", cursor}}).afterId);
        }
    }

    void cursorAndLimitTogether() {
        PageRequest page = pageOf({{"cursor", cursorAfter(99)}, {"limit", "10"}});
        CPPUNIT_ASSERT_EQUAL(99LL, page.afterId);
        CPPUNIT_ASSERT_EQUAL(10, page.limit);
    }

    void badCursorsAreRejected() {
        // Not made by cursorAfter: raw ids, another version's prefix, junk after the prefix.
        for (const char* cursor : {"", "42", "c1.", "c2.42", "c1.abc", "c1.-3", "C1.42", "c1.42x", "xc1.42"}) {
            Problem p = problemOf({{"cursor", cursor}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(cursor, 400, p.status);
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.errors.size());
            CPPUNIT_ASSERT_EQUAL(std::string("cursor"), p.errors[0].field);
            CPPUNIT_ASSERT_EQUAL(std::string("is not a cursor this API returned; pass next_cursor unchanged"),
                                 p.errors[0].message);
        }
    }

    void unknownParametersAreNamed() {
        Problem p = problemOf({{"offset", "10"}});
        CPPUNIT_ASSERT_EQUAL(400, p.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Invalid query parameters"), p.title);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("offset"), p.errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown query parameter; allowed: limit, cursor"), p.errors[0].message);
        CPPUNIT_ASSERT_EQUAL(std::string("offset: unknown query parameter; allowed: limit, cursor"), p.detail);
    }

    void everyProblemIsReportedAtOnce() {
        Problem p = problemOf({{"page", "2"}, {"limit", "0"}, {"cursor", "bad"}, {"sort", "name"}});
        CPPUNIT_ASSERT_EQUAL(400, p.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), p.errors.size());
        // The query is a sorted map, so the errors follow parameter names.
        CPPUNIT_ASSERT_EQUAL(std::string("cursor"), p.errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::string("limit"), p.errors[1].field);
        CPPUNIT_ASSERT_EQUAL(std::string("page"), p.errors[2].field);
        CPPUNIT_ASSERT_EQUAL(std::string("sort"), p.errors[3].field);
    }

    void rankedCursorsRoundTrip() {
        for (long long rank : {0LL, 7LL, -1LL, 2000000LL}) {
            auto page = pageOf({{"cursor", cursorAfter(rank, 42)}});
            CPPUNIT_ASSERT_EQUAL(42LL, page.afterId);
            CPPUNIT_ASSERT(page.afterRank.has_value());
            CPPUNIT_ASSERT_EQUAL(rank, *page.afterRank);
        }
        CPPUNIT_ASSERT(!pageOf({{"cursor", cursorAfter(42)}}).afterRank.has_value());
        for (const char* bad : {"c1._5", "c1.3_", "c1.m_5", "c1.-3_5", "c1.3_5_6", "c1.x_5"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string("cursor"), problemOf({{"cursor", bad}}).errors.at(0).field);
    }

    void aPageBodyHasANextCursorOnlyWhenFull() {
        PageRequest page;
        page.limit = 2;
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":[1,2],\"next_cursor\":\"c1.2\"}"), pageBody({"1", "2"}, page, cursorAfter(2)));
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":[1],\"next_cursor\":null}"), pageBody({"1"}, page, cursorAfter(1)));
        CPPUNIT_ASSERT_EQUAL(std::string("{\"ref\":1,\"data\":[],\"next_cursor\":null}"), pageBody("[]", 0, page, "", "\"ref\":1,"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PaginationTest);
