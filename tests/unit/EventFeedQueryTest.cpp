// events/EventFeedQuery: GET /v1/events's parameters (type, after, limit) and its page body.
#include "events/EventFeedQuery.h"
#include "events/EventTypes.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::events;
using tinko::http::Problem;

namespace {
using Query = std::map<std::string, std::string>;

FeedRequest requestOf(const Query& query) {
    auto result = parseFeedRequest(query);
    if (auto* p = std::get_if<Problem>(&result)) CPPUNIT_FAIL("expected a feed request, got: " + p->detail);
    return std::get<FeedRequest>(result);
}

Problem problemOf(const Query& query) {
    auto result = parseFeedRequest(query);
    CPPUNIT_ASSERT_MESSAGE("expected a problem", std::holds_alternative<Problem>(result));
    return std::get<Problem>(result);
}

std::string fields(const Problem& p) {
    std::string out;
    for (const auto& e : p.errors) out += e.field + ";";
    return out;
}

StoredEvent event(long long id) { return {id, "link.opened", 0, R"({"link_id": "3"})"}; }
}  // namespace

class EventFeedQueryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(EventFeedQueryTest);
    CPPUNIT_TEST(defaults);
    CPPUNIT_TEST(parametersAreRead);
    CPPUNIT_TEST(typesMayBeAList);
    CPPUNIT_TEST(thirteenTypes);
    CPPUNIT_TEST(badParametersAre400NamingEach);
    CPPUNIT_TEST(cursorIsTheListsNameForAfter);
    CPPUNIT_TEST(anUnknownCursorNamesItsParameter);
    CPPUNIT_TEST(aPageWithMoreHasTheLastIdAsCursor);
    CPPUNIT_TEST(theFeedsEndHasNoCursor);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaults() {
        FeedRequest r = requestOf({});
        CPPUNIT_ASSERT(r.types.empty());
        CPPUNIT_ASSERT(!r.afterId);
        CPPUNIT_ASSERT_EQUAL(50, r.limit);
    }

    void parametersAreRead() {
        FeedRequest r = requestOf({{"type", "recovery.recovered"}, {"after", "evt_12"}, {"limit", "200"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.types.size());
        CPPUNIT_ASSERT_EQUAL(std::string("recovery.recovered"), r.types[0]);
        CPPUNIT_ASSERT_EQUAL(12LL, r.afterId.value_or(0));
        CPPUNIT_ASSERT_EQUAL(200, r.limit);
        CPPUNIT_ASSERT_EQUAL(1, requestOf({{"limit", "1"}}).limit);
    }

    void typesMayBeAList() {
        FeedRequest r = requestOf({{"type", "message.sent,message.failed,link.opened"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), r.types.size());
        CPPUNIT_ASSERT_EQUAL(std::string("link.opened"), r.types[2]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), requestOf({{"type", "message.sent,link.opened,message.sent"}}).types.size());
    }

    void thirteenTypes() {
        CPPUNIT_ASSERT_EQUAL(std::size_t(14), merchantEventTypes().size());
        for (const auto& type : merchantEventTypes()) CPPUNIT_ASSERT_EQUAL(std::size_t(1), requestOf({{"type", type}}).types.size());
        CPPUNIT_ASSERT(!isMerchantEventType("*"));
    }

    void badParametersAre400NamingEach() {
        for (const std::string limit : {"0", "201", "-1", "abc", "", "1.5", "0050000"}) {
            Problem p = problemOf({{"limit", limit}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(limit, 400, p.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(limit, std::string("limit;"), fields(p));
        }
        for (const std::string after : {"12", "evt_", "evt_x", "c1.12", ""})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(after, std::string("after;"), fields(problemOf({{"after", after}})));
        for (const std::string type : {"recovery", "*", "", "recovery.recovered,", "recovery.recovered,,link.opened", "Recovery.recovered"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(type, std::string("type;"), fields(problemOf({{"type", type}})));
        CPPUNIT_ASSERT(problemOf({{"type", "nope"}}).errors[0].message.find("checkout.started") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("since;"), fields(problemOf({{"since", "x"}})));
        // Every problem at once.
        CPPUNIT_ASSERT_EQUAL(std::string("after;limit;type;"), fields(problemOf({{"limit", "0"}, {"after", "x"}, {"type", "x"}})));
    }

    void cursorIsTheListsNameForAfter() {
        CPPUNIT_ASSERT_EQUAL(5LL, requestOf({{"cursor", "evt_5"}}).afterId.value_or(0));
        CPPUNIT_ASSERT_EQUAL(std::string("cursor;"), fields(problemOf({{"cursor", "evt_5"}, {"after", "evt_5"}})));
    }

    void anUnknownCursorNamesItsParameter() {
        Problem p = unknownFeedCursor("after", "evt_99");
        CPPUNIT_ASSERT_EQUAL(400, p.status);
        CPPUNIT_ASSERT_EQUAL(std::string("after;"), fields(p));
        CPPUNIT_ASSERT(p.errors[0].message.find("evt_99") != std::string::npos);
    }

    void aPageWithMoreHasTheLastIdAsCursor() {
        const std::string body = feedPageBody({event(4), event(9), event(11)}, 2);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":[") + eventEnvelope(event(4)) + "," + eventEnvelope(event(9)) +
                                 "],\"next_cursor\":\"evt_9\"}",
                             body);
    }

    void theFeedsEndHasNoCursor() {
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":[") + eventEnvelope(event(4)) + "],\"next_cursor\":null}",
                             feedPageBody({event(4)}, 2));
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":[") + eventEnvelope(event(4)) + "],\"next_cursor\":null}",
                             feedPageBody({event(4)}, 1));
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":[],\"next_cursor\":null}"), feedPageBody({}, 50));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EventFeedQueryTest);
