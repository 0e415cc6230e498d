// The host starts its threads last, after its ports are bound, in one order, and stops them in the
// reverse order on SIGTERM (read from its debug log: "started" and "stopped" name each component).
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <csignal>
#include <regex>
#include <sstream>

using namespace tinko::test;

class StartStopOrderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StartStopOrderTest);
    CPPUNIT_TEST(threadsStopInTheReverseOrderOfStarting);
    CPPUNIT_TEST_SUITE_END();

    // The components of the log lines whose message is `msg`, in order.
    static std::vector<std::string> components(const std::string& log, const std::string& msg) {
        std::vector<std::string> names;
        const std::regex component(R"re("component":"([^"]+)")re");
        std::istringstream lines(log);
        for (std::string line; std::getline(lines, line);) {
            std::smatch m;
            if (line.find("\"msg\":\"" + msg + "\"") != std::string::npos && std::regex_search(line, m, component))
                names.push_back(m[1]);
        }
        return names;
    }

    static std::string joined(const std::vector<std::string>& names) {
        std::string out;
        for (const auto& n : names) out += n + ";";
        return out;
    }

public:
    void threadsStopInTheReverseOrderOfStarting() {
        TestHost host(Env{{"TINKO_LOG_LEVEL", "debug"}, {"TINKO_REDIS_URL", testRedisUrl()},
                          {"TINKO_METRICS_LISTEN", "127.0.0.1:0"}});
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "GET", "/readyz").status);
        host.process.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL(0, host.process.waitForExit(60s).value_or(-1));
        const std::string log = host.process.stderrText();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::string("org data changes;ingest writer;plugin listener;analytics folding;scheduler;event dispatcher;webhook delivery;metrics listener;http server;"),
                                     joined(components(log, "started")));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::string("http server;metrics listener;webhook delivery;event dispatcher;scheduler;analytics folding;plugin listener;ingest writer;org data changes;"),
                                     joined(components(log, "stopped")));
        // Listening is said once everything runs; the last thread stopped before "stopped" for good.
        CPPUNIT_ASSERT(log.find("\"msg\":\"listening\"") > log.find("\"component\":\"http server\""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StartStopOrderTest);
