// PayPal webhook flooding (issue 11, item 14). Tinko checks each PayPal delivery by calling
// PayPal's verify-webhook-signature with the org's credentials, and anyone can post to the URL.
// A flood of forged deliveries makes at most the org's limit of calls (TINKO_WEBHOOK_VERIFY_RATE,
// _BURST); over it the answer is 503 with Retry-After, so PayPal delivers again and no event is
// lost. A verified delivery sent again needs no call, and another body under its transmission id
// is refused without one. PayPal is the fake in tests/fakes/paypal, which counts what it is asked.
#include "FakePayPal.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>

using namespace tinko;
using namespace tinko::test;
using namespace std::chrono_literals;

namespace {
constexpr int kPerSecond = 1;
constexpr int kBurst = 5;

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}
}  // namespace

class PayPalWebhookFloodTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PayPalWebhookFloodTest);
    CPPUNIT_TEST(aFloodOfForgeriesMakesAtMostTheLimitOfCallsAndAGenuineDeliveryGetsThrough);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<fakes::FakePayPal> paypal_;
    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    void setUp() override {
        paypal_ = std::make_unique<fakes::FakePayPal>();
        paypal_->start();
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR},
                                               {"TINKO_WEBHOOK_VERIFY_RATE", std::to_string(kPerSecond)},
                                               {"TINKO_WEBHOOK_VERIFY_BURST", std::to_string(kBurst)}});
        key_ = host_->createOrgWithKey("pacific");
        auto r = httpCall(host_->port(), "PUT", "/v1/config/psp",
                          R"({"plugin":"paypal","config":{"client_id":")" + paypal_->clientId() + R"(","client_secret":")" +
                              paypal_->clientSecret() + R"(","webhook_id":")" + paypal_->webhookId() +
                              R"(","api_base":")" + paypal_->baseUrl() + R"("}})",
                          jsonBearer(key_));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
    }

    void tearDown() override {
        if (paypal_) CPPUNIT_ASSERT_MESSAGE(joined(paypal_->violations()), paypal_->violations().empty());
        host_.reset();
        paypal_.reset();
    }

    std::size_t verificationCalls() {
        std::size_t n = 0;
        for (const auto& r : paypal_->requests())
            if (r.path == "/v1/notifications/verify-webhook-signature") ++n;
        return n;
    }
    HttpResult deliver(const fakes::PayPalWebhook& delivery, const std::map<std::string, std::string>& changed = {},
                       const std::string& body = "") {
        std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
        for (const auto& [name, value] : delivery.headers) headers[name] = value;
        for (const auto& [name, value] : changed) headers[name] = value;
        return httpCall(host_->port(), "POST", "/v1/webhooks/paypal/pacific", body.empty() ? delivery.body : body, headers);
    }

    void aFloodOfForgeriesMakesAtMostTheLimitOfCallsAndAGenuineDeliveryGetsThrough() {
        fakes::DeniedCaptureSeed seed;
        seed.invoiceId = "inv-genuine";
        const auto genuine = paypal_->signedWebhook(paypal_->captureDeniedEvent(seed));
        const auto template_ = paypal_->signedWebhook(paypal_->captureDeniedEvent());

        // 40 forged deliveries, each under its own transmission id.
        const auto started = std::chrono::steady_clock::now();
        int refused = 0, deferred = 0;
        for (int i = 0; i < 40; ++i) {
            auto r = deliver(template_, {{"paypal-transmission-id", "forged-" + std::to_string(i)},
                                         {"paypal-transmission-sig", "Zm9yZ2Vk"}});
            if (r.status == 401) ++refused;
            else if (r.status == 503) {
                ++deferred;
                CPPUNIT_ASSERT_MESSAGE(r.body, !r.header("retry-after").empty());
                CPPUNIT_ASSERT(r.body.find("urn:tinko:problem:unavailable") != std::string::npos);
            } else CPPUNIT_FAIL("a forged delivery answered " + std::to_string(r.status) + ": " + r.body);
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const std::size_t allowed = kBurst + static_cast<std::size_t>(std::ceil(seconds * kPerSecond));
        CPPUNIT_ASSERT_MESSAGE(std::to_string(verificationCalls()) + " calls in " + std::to_string(seconds) + " s",
                               verificationCalls() <= allowed);
        CPPUNIT_ASSERT(verificationCalls() >= std::size_t(kBurst));   // the limit, not a refusal of everything
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(verificationCalls()), refused);
        CPPUNIT_ASSERT(deferred > 0);

        // The genuine delivery: deferred while the bucket is empty, as PayPal would see it, and
        // taken when PayPal delivers it again.
        HttpResult last;
        const bool answered = waitUntil([&] {
            last = deliver(genuine);
            if (last.status == 503) CPPUNIT_ASSERT(!last.header("retry-after").empty());
            return last.status != 503;
        }, 20s, 250ms);
        CPPUNIT_ASSERT_MESSAGE(last.body, answered);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(last.body, 200, last.status);
        CPPUNIT_ASSERT_EQUAL(std::string("processed"), last.json()->getValue<std::string>("status"));
        auto events = httpCall(host_->port(), "GET", "/v1/events/by_ref/inv-genuine", "", jsonBearer(key_));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(events.body, 200, events.status);

        // Sent again: no call to PayPal, acknowledged as a duplicate.
        const std::size_t callsBefore = verificationCalls();
        auto again = deliver(genuine);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(again.body, 200, again.status);
        CPPUNIT_ASSERT_EQUAL(std::string("duplicate"), again.json()->getValue<std::string>("status"));
        // Another body under the verified transmission id: refused, without a call either.
        fakes::DeniedCaptureSeed other;
        other.invoiceId = "inv-smuggled";
        auto smuggled = deliver(genuine, {}, paypal_->captureDeniedEvent(other));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(smuggled.body, 401, smuggled.status);
        CPPUNIT_ASSERT_EQUAL(callsBefore, verificationCalls());
        CPPUNIT_ASSERT_EQUAL(404, httpCall(host_->port(), "GET", "/v1/events/by_ref/inv-smuggled", "", jsonBearer(key_)).status);

        // Ops see each refusal by why (deploy/prometheus alerts on verification failures).
        const std::string metrics = host_->ops("GET", "/metrics").body;
        for (const std::string line :
             {R"(tinko_webhooks_refused_total{plugin="paypal",reason="verification_failed"} )" + std::to_string(refused),
              std::string(R"(tinko_webhooks_refused_total{plugin="paypal",reason="body_changed"} 1)")})
            CPPUNIT_ASSERT_MESSAGE(line + "\n" + metrics, metrics.find("\n" + line + "\n") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PayPalWebhookFloodTest);
