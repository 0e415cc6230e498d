// The egress policy as an org meets it, on a running host: a config pointing a plugin inside the
// network is refused at PUT time (422 naming the field); one stored before the policy is refused
// at call time (egress_refused, naming the host and TINKO_EGRESS_ALLOW) and the peer is never
// contacted; what a peer sends (an SSH banner read by the SMTP plugin) never reaches an answer;
// and a PSP's checkout URL becomes a redirect only when it is safe (no header injection, no
// redirect to another host).
#include "FakeStripe.h"
#include "RawPeer.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

namespace {
const std::string kSecretKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const std::string kBanner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3 SECRETBANNER-7f3a";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }

// A peer that answers anything with 200 {} and counts who called.
RawPeer::Behaviour quietHttp() {
    return [](Poco::Net::StreamSocket& s, RawPeer& p) {
        RawPeer::readRequestHead(s);
        p.send(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    };
}
}  // namespace

class EgressTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(EgressTest);
    CPPUNIT_TEST(configPointingInsideIsRefusedAtPut);
    CPPUNIT_TEST(configStoredBeforeThePolicyIsRefusedAtCallTime);
    CPPUNIT_TEST(aPeersBannerNeverReachesAnAnswer);
    CPPUNIT_TEST(anUnsafeCheckoutUrlIsNeverARedirect);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    void tearDown() override { host_.reset(); }

    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(key_));
    }
    void put(const std::string& path, const std::string& body) {
        auto r = call("PUT", path, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, 200, r.status);
    }
    void policy(const std::string& channels, bool retryCharge) {
        auto r = call("POST", "/v1/retry/policies",
                      R"({"name":"egress","max_retries":1,"initial_delay_seconds":1,"backoff_multiplier":1,)"
                      R"("max_delay_seconds":1,"channels":)" + channels + R"(,"retry_charge":)" +
                          (retryCharge ? "true" : "false") + R"(,"link_ttl_seconds":3600,"is_active":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
    }
    void failedPayment(const std::string& ref) {
        auto r = call("POST", "/v1/events/payment_failed",
                      R"({"transaction_ref":")" + ref + R"(","amount":1999,"currency":"USD","decline_code":"insufficient_funds",)"
                      R"("payment_reference":"pi_egress","customer":{"email":"ann@example.com","name":"Ann"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
    }
    Poco::JSON::Object::Ptr firstStepDetail(const std::string& ref, const std::string& key) {
        Poco::JSON::Object::Ptr found;
        waitUntil([&] {
            auto r = call("GET", "/v1/recoveries/by_ref/" + ref);
            if (r.status != 200) return false;
            auto steps = r.json()->getArray("steps");
            auto detail = steps && steps->size() ? steps->getObject(0)->getObject("detail") : nullptr;
            if (!detail || !detail->has(key)) return false;
            found = detail;
            return true;
        }, 20s);
        return found;
    }
    std::string stripeConfig(const std::string& apiBase) {
        return R"({"plugin":"stripe","config":{"secret_key":"sk_test_tinko_fake","webhook_secret":"whsec_egress",)"
               R"("api_base":")" + apiBase + R"("}})";
    }
    std::string smtpConfig(const std::string& host, int port, const std::string& tls) {
        return R"({"plugin":"notify-smtp","config":{"host":")" + host + R"(","port":)" + std::to_string(port) +
               R"(,"tls":")" + tls + R"(","from":"Acme <billing@acme.test>"}})";
    }

    void configPointingInsideIsRefusedAtPut() {
        RawPeer peer(quietHttp());
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_EGRESS_ALLOW", ""}});
        key_ = host_->createOrgWithKey("acme");
        const std::string local = "127.0.0.1:" + std::to_string(peer.port());
        struct Case {
            std::string path, body, field, says;
        };
        const Case cases[] = {
            {"/v1/config/psp", stripeConfig("http://" + local), "config.api_base", "egress refused: " + local},
            {"/v1/config/psp", stripeConfig("https://10.0.0.1"), "config.api_base", "10.0.0.1"},
            {"/v1/config/psp", stripeConfig("https://169.254.169.254/latest"), "config.api_base", "169.254.169.254"},
            {"/v1/config/psp", stripeConfig("https://[::ffff:127.0.0.1]:443"), "config.api_base", "::ffff:127.0.0.1"},
            {"/v1/config/psp", stripeConfig("https://evil.example"), "config.api_base", "not a host this plugin declares"},
            {"/v1/config/channels/email", smtpConfig("127.0.0.1", 587, "starttls"), "config.host", "loopback"},
            {"/v1/config/channels/email", smtpConfig("10.1.2.3", 25, "implicit"), "config.host", "private"},
            {"/v1/config/channels/email", smtpConfig("mail.example.com", 22, "implicit"), "config.port", "mail.example.com:22"},
            {"/v1/config/channels/email", smtpConfig("mail.example.com", 25, "none"), "config.host", "plain (unencrypted)"},
        };
        for (const auto& c : cases) {
            auto r = call("PUT", c.path, c.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.body + " -> " + r.body, 422, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
            CPPUNIT_ASSERT_MESSAGE(r.body, contains(r.body, "\"" + c.field + "\""));
            CPPUNIT_ASSERT_MESSAGE(r.body, contains(r.body, c.says));
            CPPUNIT_ASSERT_MESSAGE(r.body, contains(r.body, "TINKO_EGRESS_ALLOW"));
        }
        // Nothing was stored, and the peer was never called.
        auto config = call("GET", "/v1/config").json();
        CPPUNIT_ASSERT(config->isNull("psp"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), config->getObject("channels")->size());
        CPPUNIT_ASSERT_EQUAL(0, peer.connections());
        // The provider's own host, and a mail server on a mail port over TLS, are fine.
        put("/v1/config/psp", R"({"plugin":"stripe","config":{"secret_key":"sk_test_tinko_fake","webhook_secret":"whsec_egress"}})");
        put("/v1/config/channels/email", smtpConfig("mail.example.com", 587, "starttls"));
    }

    void configStoredBeforeThePolicyIsRefusedAtCallTime() {
        RawPeer peer(quietHttp());
        const std::string local = "127.0.0.1:" + std::to_string(peer.port());
        // Stored by a host whose ops allowed loopback...
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SECRET_KEY", kSecretKey},
                                               {"TINKO_SCHEDULER_WORKERS", "0"}});
        key_ = host_->createOrgWithKey("acme");
        put("/v1/config/psp", stripeConfig("http://" + local));
        policy(R"(["email"])", true);
        const std::string database = host_->databaseUrl;
        host_.reset();
        // ...and used by one whose ops do not.
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SECRET_KEY", kSecretKey},
                                               {"TINKO_DATABASE_URL", database}, {"TINKO_EGRESS_ALLOW", ""},
                                               {"TINKO_SCHEDULER_POLL_MS", "50"}});
        failedPayment("order-egress");
        auto detail = firstStepDetail("order-egress", "charge_error");
        CPPUNIT_ASSERT_MESSAGE(call("GET", "/v1/recoveries/by_ref/order-egress").body, detail);
        auto error = detail->getObject("charge_error");
        CPPUNIT_ASSERT_EQUAL(std::string("egress_refused"), error->getValue<std::string>("category"));
        const std::string message = error->getValue<std::string>("message");
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "egress refused: " + local));
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "TINKO_EGRESS_ALLOW"));

        // The recovery page cannot make the plugin call it either.
        auto link = call("POST", "/v1/recoveries/by_ref/order-egress/link");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);
        auto pay = httpCall(host_->port(), "POST", pathOf(link.json()->getValue<std::string>("url")) + "/pay");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pay.body, 502, pay.status);
        CPPUNIT_ASSERT(pay.header("location").empty());
        CPPUNIT_ASSERT_EQUAL(0, peer.connections());
    }

    void aPeersBannerNeverReachesAnAnswer() {
        // Something that is not a mail server (here: what an SSH daemon says first).
        RawPeer peer([](Poco::Net::StreamSocket& s, RawPeer& p) {
            p.send(s, kBanner + "\r\n");
            RawPeer::readRequestHead(s);
        });
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SCHEDULER_POLL_MS", "50"}});
        key_ = host_->createOrgWithKey("acme");
        put("/v1/config/channels/email", smtpConfig("127.0.0.1", peer.port(), "none"));   // ops allow 127.0.0.1
        policy(R"(["email"])", false);
        failedPayment("order-banner");
        auto detail = firstStepDetail("order-banner", "notification_error");
        CPPUNIT_ASSERT_MESSAGE(call("GET", "/v1/recoveries/by_ref/order-banner").body, detail);
        CPPUNIT_ASSERT(peer.connections() >= 1);

        auto recovery = call("GET", "/v1/recoveries/by_ref/order-banner");
        const std::string id = std::to_string(recovery.json()->getValue<long long>("id"));
        const HttpResult answers[] = {recovery, call("GET", "/v1/recoveries/" + id + "/notifications"),
                                      call("GET", "/v1/retry/stats")};
        for (const auto& a : answers) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
            CPPUNIT_ASSERT_MESSAGE(a.body, !contains(a.body, "SECRETBANNER") && !contains(a.body, "OpenSSH"));
        }
        CPPUNIT_ASSERT_MESSAGE(answers[1].body, contains(answers[1].body, "network") || contains(answers[1].body, "provider"));
        // Ops still read what the peer said, in the log.
        CPPUNIT_ASSERT(waitUntil([&] {
            return contains(host_->process.stdoutText() + host_->process.stderrText(), "SECRETBANNER");
        }, 5s));
    }

    void anUnsafeCheckoutUrlIsNeverARedirect() {
        fakes::FakeStripe stripe;
        stripe.start();
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SCHEDULER_WORKERS", "0"}});
        key_ = host_->createOrgWithKey("acme");
        put("/v1/config/psp", stripeConfig(stripe.baseUrl()));
        policy(R"(["email"])", false);
        failedPayment("order-checkout");
        // Each pay goes through a fresh link, so the provider sees a fresh idempotency key.
        auto pay = [&](const std::string& checkoutUrl) {
            if (!checkoutUrl.empty()) stripe.nextCheckoutUrl(checkoutUrl);
            auto link = call("POST", "/v1/recoveries/by_ref/order-checkout/link");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);
            return httpCall(host_->port(), "POST", pathOf(link.json()->getValue<std::string>("url")) + "/pay");
        };

        auto injected = pay("https://checkout.stripe.com/c/pay/cs_1\r\nSet-Cookie: tinko_session=stolen; Path=/");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(injected.body, 502, injected.status);
        CPPUNIT_ASSERT(injected.header("set-cookie").empty());
        CPPUNIT_ASSERT(injected.header("location").empty());
        CPPUNIT_ASSERT_MESSAGE(injected.body, contains(injected.body, "<html"));

        auto elsewhere = pay("https://evil.example/phish");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(elsewhere.body, 502, elsewhere.status);
        CPPUNIT_ASSERT(elsewhere.header("location").empty());
        CPPUNIT_ASSERT(!contains(elsewhere.body, "evil.example"));

        auto plain = pay("http://checkout.stripe.com/c/pay/cs_2");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(plain.body, 502, plain.status);

        const std::string logs = host_->process.stdoutText() + host_->process.stderrText();
        CPPUNIT_ASSERT_MESSAGE(logs, contains(logs, "refused the PSP's checkout URL"));
        CPPUNIT_ASSERT_MESSAGE(logs, contains(logs, "not one of the plugin's declared checkout hosts"));

        // Stripe's own checkout host, and the fake on an ops-allowed address, are redirects.
        auto declared = pay("https://checkout.stripe.com/c/pay/cs_3");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(declared.body, 303, declared.status);
        CPPUNIT_ASSERT_EQUAL(std::string("https://checkout.stripe.com/c/pay/cs_3"), declared.header("location"));
        auto fake = pay("");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(fake.body, 303, fake.status);
        CPPUNIT_ASSERT(fake.header("location").rfind(stripe.baseUrl() + "/checkout/", 0) == 0);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EgressTest);
