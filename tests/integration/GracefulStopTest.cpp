// SIGTERM stops the host gracefully: /readyz fails first, then the listener closes, a request
// already in flight is still answered in full, and only then does the process exit 0. A request
// that stalls past TINKO_SHUTDOWN_TIMEOUT_SECONDS is cut off: its connection is closed unanswered
// and the process exits soon after the deadline.
#include "TestSupport.h"

#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Thread.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>

using namespace tinko::test;

class GracefulStopTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GracefulStopTest);
    CPPUNIT_TEST(aRequestInFlightFinishesBeforeTheExit);
    CPPUNIT_TEST(aStalledRequestIsCutAtTheDrainDeadline);
    CPPUNIT_TEST_SUITE_END();

public:
    void aRequestInFlightFinishesBeforeTheExit() {
        TestHost host(Env{{"TINKO_SHUTDOWN_DELAY_SECONDS", "3"}});
        const std::string body = R"({"name":"Late but answered","slug":"in-flight"})";

        // Start a request and send only half its body: it is in flight until the rest arrives.
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(host.port())));
        socket.setReceiveTimeout(Poco::Timespan(30, 0));
        const std::string head = "POST /v1/admin/orgs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " +
                                 host.opsToken + "\r\nContent-Type: application/json\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\n\r\n";
        const std::string firstHalf = head + body.substr(0, body.size() / 2);
        socket.sendBytes(firstHalf.data(), static_cast<int>(firstHalf.size()));

        host.process.signal(SIGTERM);
        HttpResult readiness;
        CPPUNIT_ASSERT(waitUntil([&] { return (readiness = httpCall(host.port(), "GET", "/readyz")).status == 503; }, 10s));
        CPPUNIT_ASSERT_EQUAL(std::string("host"), readiness.json()->getArray("failed")->getElement<std::string>(0));
        CPPUNIT_ASSERT(host.process.running());
        // After the readiness delay the listener closes; our request is still waiting for its body.
        CPPUNIT_ASSERT(waitUntil([&] {
            try {
                Poco::Net::StreamSocket probe(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(host.port())));
                return false;
            } catch (const Poco::Exception&) {
                return true;
            }
        }, 10s));
        CPPUNIT_ASSERT(host.process.running());

        const std::string secondHalf = body.substr(body.size() / 2);
        socket.sendBytes(secondHalf.data(), static_cast<int>(secondHalf.size()));
        std::string answer;
        char buffer[4096];
        int n;
        while ((n = socket.receiveBytes(buffer, sizeof buffer)) > 0) {
            answer.append(buffer, static_cast<std::size_t>(n));
            if (answer.find("}") != std::string::npos && answer.find("\r\n\r\n") != std::string::npos) break;
        }
        CPPUNIT_ASSERT_MESSAGE(answer, answer.rfind("HTTP/1.1 201", 0) == 0);
        CPPUNIT_ASSERT(answer.find("\"slug\":\"in-flight\"") != std::string::npos);
        std::string lower = answer;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        CPPUNIT_ASSERT_MESSAGE(answer, lower.find("connection: close") != std::string::npos);

        CPPUNIT_ASSERT_EQUAL(0, host.process.waitForExit(30s).value_or(-1));
        const std::string logs = host.process.stderrText();
        CPPUNIT_ASSERT(logs.find("requests in flight finished") != std::string::npos);
        CPPUNIT_ASSERT(logs.find("readiness now fails") < logs.find("requests in flight finished"));
    }

    void aStalledRequestIsCutAtTheDrainDeadline() {
        TestHost host(Env{{"TINKO_SHUTDOWN_TIMEOUT_SECONDS", "1"}});
        // The head of a POST promising 100 bytes, then 10 of them, then nothing.
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(host.port())));
        socket.setReceiveTimeout(Poco::Timespan(60, 0));
        const std::string stalled = "POST /v1/admin/orgs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + host.opsToken +
                                    "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":\"S";
        socket.sendBytes(stalled.data(), static_cast<int>(stalled.size()));
        // Connections are taken in the order they came: once a later one is answered, the stalled
        // request is being read.
        CPPUNIT_ASSERT(waitUntil([&] { return httpCall(host.port(), "GET", "/healthz").status == 200; }, 5s));

        const auto signalled = std::chrono::steady_clock::now();
        host.process.signal(SIGTERM);
        // Exit within the drain timeout (1 s) and a little slack; the stalled client never sends more.
        const auto code = host.process.waitForExit(10s);
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - signalled);
        CPPUNIT_ASSERT_MESSAGE("still running " + std::to_string(took.count()) + " ms after SIGTERM", code.has_value());
        CPPUNIT_ASSERT_EQUAL(0, *code);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(took.count()) + " ms", took < 5s);

        // The cut connection is closed without an answer: the truncated body was never dispatched.
        std::string answer;
        char buffer[4096];
        try {
            int n;
            while ((n = socket.receiveBytes(buffer, sizeof buffer)) > 0) answer.append(buffer, static_cast<std::size_t>(n));
        } catch (const Poco::Exception&) {
            // reset by the peer: cut as well
        }
        CPPUNIT_ASSERT_MESSAGE(answer, answer.find("HTTP/1.1 201") == std::string::npos);
        const std::string logs = host.process.stderrText();
        CPPUNIT_ASSERT_MESSAGE(logs, logs.find("remaining connections cut") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(logs, logs.find("\"stopped\"") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(GracefulStopTest);
