// SIGTERM stops the host gracefully: /readyz fails first, then the listener closes, a request
// already in flight is still answered in full, and only then does the process exit 0.
#include "TestSupport.h"

#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>
#include <cppunit/extensions/HelperMacros.h>

#include <csignal>

using namespace tinko::test;

class GracefulStopTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GracefulStopTest);
    CPPUNIT_TEST(aRequestInFlightFinishesBeforeTheExit);
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(GracefulStopTest);
