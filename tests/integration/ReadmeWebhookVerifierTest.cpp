// The README's "Verify each delivery" receiver, run as a merchant would copy it (Node and the
// standardwebhooks library): it answers 200 to the deliveries of the endpoint whose secret it was
// given, and 400 to deliveries signed with another endpoint's secret. So the few lines a merchant
// copies work, and stay working as the README changes.
#include "TestSupport.h"

#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Process.h>
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <unistd.h>

using namespace tinko;
using namespace tinko::test;

namespace {
// The first ```js block after the "Verify each delivery" paragraph.
std::string readmeVerifier() {
    const std::string readme = readFile(std::string(TINKO_SOURCE_DIR) + "/README.md");
    const auto section = readme.find("**Verify each delivery**");
    if (section == std::string::npos) return "";
    const auto start = readme.find("```js\n", section);
    const auto end = readme.find("```", start + 6);
    if (start == std::string::npos || end == std::string::npos) return "";
    return readme.substr(start + 6, end - start - 6);
}

int freePort() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}
}  // namespace

class ReadmeWebhookVerifierTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ReadmeWebhookVerifierTest);
    CPPUNIT_TEST(theReadmeReceiverTakesItsOwnDeliveriesAndRefusesOthers);
    CPPUNIT_TEST_SUITE_END();

public:
    void theReadmeReceiverTakesItsOwnDeliveriesAndRefusesOthers() {
        const std::string code = readmeVerifier();
        CPPUNIT_ASSERT_MESSAGE("README.md has no js block after \"Verify each delivery\"", code.find("verify(") != std::string::npos);
        // Beside the receiver's node_modules, so `import "standardwebhooks"` resolves as in a merchant's project.
        const std::string script = std::string(TINKO_SOURCE_DIR) + "/tests/webhook-receiver/readme-verifier-" + std::to_string(getpid()) + ".mjs";
        std::ofstream(script) << code;
        struct Remove {
            std::string path;
            ~Remove() { Poco::File(path).remove(); }
        } removeScript{script};

        TestHost host(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}});
        const std::string key = host.createOrgWithKey("acme");
        auto create = [&](const std::string& url) {
            auto r = httpCall(host.port(), "POST", "/v1/webhook-endpoints", R"({"url":")" + url + R"(","events":["*"]})", jsonBearer(key));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
            return r.json();
        };
        const int port = freePort();
        const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
        auto own = create(url);
        auto other = create(url);   // the same receiver, but signed with a secret it was not given

        Poco::Process::Env env{{"PORT", std::to_string(port)}, {"TINKO_WEBHOOK_SECRET", own->getValue<std::string>("secret")}};
        Poco::ProcessHandle node = Poco::Process::launch("node", {script}, "", nullptr, nullptr, nullptr, env);
        struct Kill {
            Poco::ProcessHandle& handle;
            ~Kill() {
                Poco::Process::kill(handle);
                handle.wait();
            }
        } killNode{node};
        CPPUNIT_ASSERT(waitUntil([&] {
            try {
                Poco::Net::StreamSocket probe(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
                return true;
            } catch (const Poco::Exception&) {
                return false;
            }
        }, std::chrono::seconds(20)));

        auto failed = httpCall(host.port(), "POST", "/v1/events/payment_failed",
                               R"({"transaction_ref":"order-1","amount":1999,"currency":"USD","decline_code":"insufficient_funds"})",
                               jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(failed.body, 201, failed.status);

        auto lastStatusOf = [&](const Poco::JSON::Object::Ptr& endpoint) {
            auto r = httpCall(host.port(), "GET", "/v1/webhook-endpoints/" + endpoint->get("id").toString() + "/deliveries", "",
                              jsonBearer(key));
            auto list = r.json()->getArray("data");
            if (list->size() == 0) return std::string("none");
            auto delivery = list->getObject(0);
            return delivery->getValue<std::string>("state") + " " +
                   (delivery->isNull("last_status") ? std::string("-") : delivery->get("last_status").toString());
        };
        std::string ownStatus;
        std::string otherStatus;
        const bool answered = waitUntil([&] {
            ownStatus = lastStatusOf(own);
            otherStatus = lastStatusOf(other);
            return ownStatus.rfind("delivered", 0) == 0 && otherStatus.rfind("pending 4", 0) == 0;
        }, std::chrono::seconds(20));
        CPPUNIT_ASSERT_MESSAGE(ownStatus + " / " + otherStatus, answered);
        CPPUNIT_ASSERT_EQUAL(std::string("delivered 200"), ownStatus);
        CPPUNIT_ASSERT_EQUAL(std::string("pending 400"), otherStatus);   // refused, so tried again later
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReadmeWebhookVerifierTest);
