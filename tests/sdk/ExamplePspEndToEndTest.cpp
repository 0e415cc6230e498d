// The SDK's PSP example (sdk/examples/hello-psp), built out of tree against the installed SDK (CTest
// fixture example_psp_plugin), loaded into a running host and used as an org's PSP against its fake
// provider (fake-provider.js): a failed payment, its recovery link, pay (create_checkout at the
// provider, which is told the org's webhook_url), the provider's signed webhook to exactly that
// URL, and the recovery is recovered.
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <regex>
#include <stdexcept>

extern char** environ;

using namespace tinko::test;

namespace {

const std::string kApiKey = "key_e2e_0123456789";
const std::string kWebhookSecret = "whsec_e2e_0123456789";

std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }
std::string originOf(const std::string& url) { return url.substr(0, url.find('/', url.find("//") + 2)); }

// fake-provider.js under node, on a free port of 127.0.0.1; stopped when this object goes.
class FakeProvider {
public:
    FakeProvider() {
        const std::string log = dir_.path() + "/provider.log";
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        std::vector<std::string> argv = {"node", TINKO_EXAMPLE_HELLO_PSP_FAKE_PROVIDER, "--port", "0",
                                         "--api-key", kApiKey, "--webhook-secret", kWebhookSecret};
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        const int error = posix_spawnp(&pid_, "node", &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (error != 0) throw std::runtime_error(std::string("cannot start node: ") + std::strerror(error));
        const std::regex listening("listening on (http://127\\.0\\.0\\.1:([0-9]+))");
        std::smatch match;
        if (!waitUntil([&] { const std::string text = output(); return std::regex_search(text, match, listening); }, 20s))
            throw std::runtime_error("the fake provider did not start:\n" + output());
        const std::string text = output();
        std::regex_search(text, match, listening);
        baseUrl_ = match[1];
        port_ = std::stoi(match[2]);
    }
    ~FakeProvider() {
        kill(pid_, SIGTERM);
        int status = 0;
        if (!waitUntil([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, 10s)) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
        }
    }
    std::string output() const { return readFile(dir_.path() + "/provider.log"); }
    const std::string& baseUrl() const { return baseUrl_; }
    int port() const { return port_; }
    // The payment as the provider stored it: what the plugin sent, its status, the webhooks made.
    Poco::JSON::Object::Ptr payment(const std::string& id) const {
        return httpCall(port_, "GET", "/v1/payments/" + id, "", bearer(kApiKey)).json();
    }

private:
    TempDir dir_;
    pid_t pid_ = -1;
    std::string baseUrl_;
    int port_ = 0;
};

}  // namespace

class ExamplePspEndToEndTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ExamplePspEndToEndTest);
    CPPUNIT_TEST(aFailedPaymentIsRecoveredThroughTheExamplePsp);
    CPPUNIT_TEST_SUITE_END();

public:
    void aFailedPaymentIsRecoveredThroughTheExamplePsp() {
        FakeProvider provider;
        TestHost host;   // TINKO_EGRESS_ALLOW=127.0.0.1: the plugin may call the fake provider
        auto loaded = host.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_EXAMPLE_PLUGIN_HELLO_PSP "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        CPPUNIT_ASSERT_EQUAL(std::string("hello-psp"), loaded.json()->getValue<std::string>("name"));

        const std::string key = host.createOrgWithKey("acme");
        auto call = [&](const std::string& method, const std::string& path, const std::string& body = "") {
            return httpCall(host.port(), method, path, body, jsonBearer(key));
        };
        auto configured = call("PUT", "/v1/config/psp", R"({"plugin":"hello-psp","config":{"api_key":")" + kApiKey +
                                                            R"(","webhook_secret":")" + kWebhookSecret + R"(","api_base":")" +
                                                            provider.baseUrl() + R"("}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(configured.body, 200, configured.status);

        // A payment fails; the plugin classifies its decline.
        auto failed = call("POST", "/v1/events/payment_failed",
                           R"({"transaction_ref":"order-7","amount":1999,"currency":"USD","decline_code":"insufficient_funds",)"
                           R"("customer":{"email":"ann@example.com","name":"Ann"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(failed.body, 201, failed.status);
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds"), failed.json()->getValue<std::string>("category"));

        // The customer's link, as a message would carry it; the page and its pay button.
        auto link = call("POST", "/v1/recoveries/by_ref/order-7/link");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);
        const std::string linkUrl = link.json()->getValue<std::string>("url");
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "GET", pathOf(linkUrl)).status);
        auto pay = httpCall(host.port(), "POST", pathOf(linkUrl) + "/pay");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pay.body, 303, pay.status);
        const std::string checkout = pay.header("location");
        CPPUNIT_ASSERT_MESSAGE(checkout, checkout.rfind(provider.baseUrl() + "/checkout/pay_", 0) == 0);

        // create_checkout told the provider the org's webhook URL under the host's public URL.
        const std::string paymentId = checkout.substr(checkout.rfind('/') + 1);
        const std::string webhookUrl = originOf(linkUrl) + "/v1/webhooks/hello-psp/acme";
        auto payment = provider.payment(paymentId);
        CPPUNIT_ASSERT_EQUAL(webhookUrl, payment->getValue<std::string>("webhook_url"));
        CPPUNIT_ASSERT_EQUAL(linkUrl + "/done", payment->getValue<std::string>("return_url"));
        CPPUNIT_ASSERT_EQUAL(std::string("order-7"), payment->getValue<std::string>("reference"));

        // A delivery the provider did not sign is refused and changes nothing.
        auto forged = httpCall(host.port(), "POST", pathOf(webhookUrl),
                               R"({"id":"evt_x","type":"payment.paid","data":{"id":"pay_x","amount":1999,"currency":"USD","reference":"order-7"}})",
                               {{"Content-Type", "application/json"}, {"Hello-Signature", "t=1,v1=00"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(forged.body, 401, forged.status);
        CPPUNIT_ASSERT_EQUAL(std::string("active"),
                             call("GET", "/v1/recoveries/by_ref/order-7").json()->getValue<std::string>("state"));

        // The customer pays at the provider, which posts its signed webhook to webhook_url and sends
        // the customer back to Tinko.
        auto paid = httpCall(provider.port(), "POST", pathOf(checkout) + "/pay");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(provider.output(), 303, paid.status);
        CPPUNIT_ASSERT_EQUAL(linkUrl + "/done", paid.header("location"));
        CPPUNIT_ASSERT_MESSAGE(provider.output(), waitUntil([&] {
            auto deliveries = provider.payment(paymentId)->getArray("webhook_deliveries");
            return deliveries && deliveries->size() == 1;
        }, 10s));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(provider.output(), 200,
                                     provider.payment(paymentId)->getArray("webhook_deliveries")->getObject(0)->getValue<int>("status"));
        auto recovery = call("GET", "/v1/recoveries/by_ref/order-7").json();
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"), recovery->getValue<std::string>("state"));
        CPPUNIT_ASSERT(httpCall(host.port(), "GET", pathOf(linkUrl)).body.find("Already paid") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ExamplePspEndToEndTest);
