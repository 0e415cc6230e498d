// What a webhook URL tells someone without credentials (issue 11, item 11): nothing about which
// orgs exist or which provider each uses. An unknown org slug, an org with another PSP, an org
// with no PSP, an unknown plugin and a bad signature all get the same status and the same problem
// body, after about the same work (the host reads the org's slots and computes a signature's worth
// of HMAC in every case), so a timer cannot tell them apart by more than noise.
#include "FakeRazorpay.h"
#include "FakeStripe.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <ctime>
#include <iostream>

using namespace tinko;
using namespace tinko::test;
using namespace std::chrono_literals;

namespace {
double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}
}  // namespace

class WebhookRefusalTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookRefusalTest);
    CPPUNIT_TEST(everyRefusalIsTheSameAnswer);
    CPPUNIT_TEST(everyRefusalTakesAboutTheSameTime);
    CPPUNIT_TEST(refusalsAreCountedForOpsByPluginAndReason);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<fakes::FakeStripe> stripe_;
    std::unique_ptr<fakes::FakeRazorpay> razorpay_;
    std::unique_ptr<TestHost> host_;

    // The URLs a scanner would try, with a Stripe-looking delivery whose signature is wrong.
    const std::vector<std::string> paths_{
        "/v1/webhooks/stripe/acme",          // the org uses Stripe: a bad signature
        "/v1/webhooks/stripe/no-such-org",   // no such org
        "/v1/webhooks/stripe/bharat",        // the org uses Razorpay
        "/v1/webhooks/stripe/empty",         // the org has no PSP yet
        "/v1/webhooks/no-such-plugin/acme",  // no such plugin
    };

public:
    void setUp() override {
        stripe_ = std::make_unique<fakes::FakeStripe>();
        razorpay_ = std::make_unique<fakes::FakeRazorpay>();
        stripe_->start();
        razorpay_->start();
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}});
        const std::string acme = host_->createOrgWithKey("acme");
        auto r = httpCall(host_->port(), "PUT", "/v1/config/psp",
                          R"({"plugin":"stripe","config":{"secret_key":")" + stripe_->secretKey() +
                              R"(","webhook_secret":"whsec_acme","api_base":")" + stripe_->baseUrl() + R"("}})",
                          jsonBearer(acme));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        const std::string bharat = host_->createOrgWithKey("bharat");
        r = httpCall(host_->port(), "PUT", "/v1/config/psp",
                     R"({"plugin":"razorpay","config":{"key_id":")" + razorpay_->keyId() + R"(","key_secret":")" +
                         razorpay_->keySecret() + R"(","webhook_secret":"bharat_secret","api_base":")" +
                         razorpay_->baseUrl() + R"("}})",
                     jsonBearer(bharat));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        host_->createOrgWithKey("empty");
    }

    void tearDown() override {
        host_.reset();
        razorpay_.reset();
        stripe_.reset();
    }

    HttpResult forged(const std::string& path, const std::string& body) {
        const auto signedElsewhere = fakes::FakeStripe::signedWebhook(body, "whsec_someone_else", std::time(nullptr));
        return httpCall(host_->port(), "POST", path, body,
                        {{"Content-Type", "application/json"}, {"Stripe-Signature", signedElsewhere.signatureHeader},
                         {"X-Razorpay-Signature", "00"}});
    }

    void everyRefusalIsTheSameAnswer() {
        const std::string body = R"({"id":"evt_1","object":"event","type":"payment_intent.payment_failed"})";
        const HttpResult first = forged(paths_.front(), body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 401, first.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), first.header("content-type"));
        CPPUNIT_ASSERT(first.body.find("urn:tinko:problem:unauthorized") != std::string::npos);
        for (const auto& path : paths_) {
            const HttpResult r = forged(path, body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, 401, r.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, first.body, r.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, first.header("content-type"), r.header("content-type"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, first.header("www-authenticate"), r.header("www-authenticate"));
        }
    }

    // The answers are all alike; /metrics (ops only) tells them apart, for the alert on webhooks
    // that fail verification (deploy/prometheus). A plugin name no host runs is counted as "other",
    // so URLs a scanner makes up cannot grow the label set.
    void refusalsAreCountedForOpsByPluginAndReason() {
        const std::string body = R"({"id":"evt_1","object":"event","type":"payment_intent.payment_failed"})";
        for (const auto& path : paths_) CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 401, forged(path, body).status);
        CPPUNIT_ASSERT_EQUAL(401, forged(paths_.front(), body).status);
        const HttpResult metrics = host_->ops("GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL(200, metrics.status);
        for (const std::string line : {R"(tinko_webhooks_refused_total{plugin="stripe",reason="verification_failed"} 2)",
                                       R"(tinko_webhooks_refused_total{plugin="stripe",reason="unknown_target"} 3)",
                                       R"(tinko_webhooks_refused_total{plugin="other",reason="unknown_target"} 1)"})
            CPPUNIT_ASSERT_MESSAGE(line + "\n" + metrics.body, metrics.body.find("\n" + line + "\n") != std::string::npos);
        CPPUNIT_ASSERT(metrics.body.find("no-such-plugin") == std::string::npos);
    }

    // Interleaved rounds of every case with a body big enough for the signature check to show
    // (about 256 KiB): each case's median is within 25% of the bad signature's (on the 2-core test
    // box they are within about 5%; leaving out only the stand-in check made the other cases about
    // 15% faster). A generous bound, so a loaded machine does not fail it.
    void everyRefusalTakesAboutTheSameTime() {
        const std::string body = R"({"id":"evt_1","object":"event","type":"payment_intent.payment_failed","data":")" +
                                 std::string(256 * 1024, 'x') + R"("})";
        std::map<std::string, std::vector<double>> millis;
        for (int round = 0; round < 3; ++round)   // warm up the connections, caches and plugin
            for (const auto& path : paths_) forged(path, body);
        for (int round = 0; round < 61; ++round)
            for (const auto& path : paths_) {
                const auto started = std::chrono::steady_clock::now();
                const HttpResult r = forged(path, body);
                millis[path].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
                CPPUNIT_ASSERT_EQUAL(401, r.status);
            }
        const double reference = median(millis.at(paths_.front()));
        std::string report;
        for (const auto& path : paths_) report += path + ": " + std::to_string(median(millis.at(path))) + " ms\n";
        std::cout << "median refusal times:\n" << report;
        for (const auto& path : paths_) {
            const double ratio = median(millis.at(path)) / reference;
            CPPUNIT_ASSERT_MESSAGE(report, ratio > 0.75 && ratio < 1.33);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookRefusalTest);
