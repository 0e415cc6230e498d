// The started-components stack stops in reverse order, also when start-up fails half way, and a
// failing stop keeps the others stopping.
#include "util/StartedComponents.h"

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

using tinko::util::StartedComponents;

class StartedComponentsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StartedComponentsTest);
    CPPUNIT_TEST(stopsInReverseOrderOnce);
    CPPUNIT_TEST(aFailedStartStopsWhatStartedBefore);
    CPPUNIT_TEST(aStopThatThrowsDoesNotKeepTheOthersRunning);
    CPPUNIT_TEST_SUITE_END();

public:
    void stopsInReverseOrderOnce() {
        std::string trace;
        StartedComponents started;
        started.start("a", [&] { trace += "+a"; }, [&] { trace += "-a"; });
        started.start("b", [&] { trace += "+b"; }, [&] { trace += "-b"; });
        CPPUNIT_ASSERT(started.running() == (std::vector<std::string>{"a", "b"}));
        started.stopAll();
        started.stopAll();
        CPPUNIT_ASSERT_EQUAL(std::string("+a+b-b-a"), trace);
        CPPUNIT_ASSERT(started.running().empty());
    }

    void aFailedStartStopsWhatStartedBefore() {
        std::string trace;
        try {
            StartedComponents started;
            started.start("a", [&] { trace += "+a"; }, [&] { trace += "-a"; });
            started.start("b", [&] { trace += "+b"; }, [&] { trace += "-b"; });
            started.start("c", [&] { throw std::runtime_error("port taken"); }, [&] { trace += "-c"; });
            CPPUNIT_FAIL("start should have thrown");
        } catch (const std::runtime_error&) {
            trace += "!";
        }
        // Unwinding stopped b then a (never c, which did not start) before the handler ran.
        CPPUNIT_ASSERT_EQUAL(std::string("+a+b-b-a!"), trace);
    }

    void aStopThatThrowsDoesNotKeepTheOthersRunning() {
        std::string trace;
        {
            StartedComponents started;
            started.start("a", [] {}, [&] { trace += "-a"; });
            started.start("b", [] {}, [&] { throw std::runtime_error("stuck"); });
            started.start("c", [] {}, [&] { trace += "-c"; });
        }
        CPPUNIT_ASSERT_EQUAL(std::string("-c-a"), trace);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StartedComponentsTest);
