// http/ReadDeadline: how long a read may still wait before a request's deadline, and whether a
// request has a body at all (RFC 9112 section 6.3).
#include "http/ReadDeadline.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::http;
using namespace std::chrono_literals;

class ReadDeadlineTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ReadDeadlineTest);
    CPPUNIT_TEST(withoutADeadlineAReadWaitsTheCap);
    CPPUNIT_TEST(aReadWaitsAtMostTheTimeLeft);
    CPPUNIT_TEST(aReadWaitsAtMostTheCap);
    CPPUNIT_TEST(noReadOnceTheDeadlineIsReachedOrPassed);
    CPPUNIT_TEST(requestsWithNeitherLengthNorTransferEncodingHaveNoBody);
    CPPUNIT_TEST(chunkedAndLengthBodiesAreRead);
    CPPUNIT_TEST(otherTransferEncodingsAreUnsupported);
    CPPUNIT_TEST_SUITE_END();

public:
    const ReadClock::time_point now = ReadClock::time_point() + 1000s;

    void withoutADeadlineAReadWaitsTheCap() {
        CPPUNIT_ASSERT(readWaitBefore(std::nullopt, now, 30s) == std::chrono::microseconds(30s));
    }
    void aReadWaitsAtMostTheTimeLeft() {
        CPPUNIT_ASSERT(readWaitBefore(now + 250ms, now, 30s) == std::chrono::microseconds(250ms));
        CPPUNIT_ASSERT(readWaitBefore(now + 1us, now, 30s) == std::chrono::microseconds(1));
    }
    void aReadWaitsAtMostTheCap() {
        CPPUNIT_ASSERT(readWaitBefore(now + 90s, now, 30s) == std::chrono::microseconds(30s));
    }
    void noReadOnceTheDeadlineIsReachedOrPassed() {
        CPPUNIT_ASSERT(!readWaitBefore(now, now, 30s));
        CPPUNIT_ASSERT(!readWaitBefore(now - 1ms, now, 30s));
        CPPUNIT_ASSERT(!readWaitBefore(now + 500ns, now, 30s));   // less than the socket can wait
    }
    void requestsWithNeitherLengthNorTransferEncodingHaveNoBody() {
        CPPUNIT_ASSERT(bodyFramingOf(false, false, false) == BodyFraming::None);
    }
    void chunkedAndLengthBodiesAreRead() {
        CPPUNIT_ASSERT(bodyFramingOf(true, false, false) == BodyFraming::Length);
        CPPUNIT_ASSERT(bodyFramingOf(false, true, true) == BodyFraming::Chunked);
        CPPUNIT_ASSERT(bodyFramingOf(true, true, true) == BodyFraming::Chunked);   // chunked wins (RFC 9112 6.3)
    }
    void otherTransferEncodingsAreUnsupported() {
        CPPUNIT_ASSERT(bodyFramingOf(false, true, false) == BodyFraming::Unsupported);
        CPPUNIT_ASSERT(bodyFramingOf(true, true, false) == BodyFraming::Unsupported);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReadDeadlineTest);
