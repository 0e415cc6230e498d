// A plugin's error on a webhook becomes the answer the provider acts on (recovery/WebhookIntake,
// api/WebhooksApi): what may pass later is a 503 with Retry-After from verify_webhook and
// parse_webhook alike (so a provider outage during a lookup is delivered again, not lost); what no
// redelivery changes is final: 401 from verification, 400 from reading.
#include "api/WebhooksApi.h"
#include "recovery/WebhookIntake.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::recovery;
using Kind = WebhookOutcome::Kind;

namespace {
tinko::plugins::PluginError error(tinko_error_category category) { return {category, false, "", "what the plugin said"}; }
}  // namespace

class WebhookIntakeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookIntakeTest);
    CPPUNIT_TEST(retryableErrorsAskForRedeliveryFromEitherStep);
    CPPUNIT_TEST(finalErrorsAreRefusals);
    CPPUNIT_TEST(eachOutcomeHasItsAnswer);
    CPPUNIT_TEST_SUITE_END();

public:
    void retryableErrorsAskForRedeliveryFromEitherStep() {
        for (auto step : {WebhookStep::Verify, WebhookStep::Parse})
            for (auto category : {TINKO_ERR_NETWORK, TINKO_ERR_PROVIDER, TINKO_ERR_INTERNAL, TINKO_ERR_OPTED_OUT,
                                  tinko::plugins::kErrEgressRefused}) {
                const auto outcome = pluginRefusal(step, error(category));
                CPPUNIT_ASSERT(outcome.kind == Kind::DeliverAgain);
                CPPUNIT_ASSERT_EQUAL(60, outcome.retryAfterSeconds);
            }
    }

    void finalErrorsAreRefusals() {
        for (auto category : {TINKO_ERR_AUTH, TINKO_ERR_INVALID_INPUT, TINKO_ERR_UNSUPPORTED, TINKO_ERR_INVALID_CONFIG}) {
            const auto verify = pluginRefusal(WebhookStep::Verify, error(category));
            CPPUNIT_ASSERT(verify.kind == Kind::NotAccepted);
            // The one refusal for everything not taken: it does not repeat what the plugin said.
            CPPUNIT_ASSERT(verify.detail.find("what the plugin said") == std::string::npos);
            const auto parse = pluginRefusal(WebhookStep::Parse, error(category));
            CPPUNIT_ASSERT(parse.kind == Kind::BadRequest);
            CPPUNIT_ASSERT_EQUAL(std::string("the webhook could not be read: what the plugin said"), parse.detail);
        }
    }

    void eachOutcomeHasItsAnswer() {
        using tinko::api::webhookAnswer;
        auto again = webhookAnswer(pluginRefusal(WebhookStep::Parse, error(TINKO_ERR_NETWORK)));
        CPPUNIT_ASSERT_EQUAL(503, again.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), again.contentType);
        CPPUNIT_ASSERT_EQUAL(std::string("60"), header(again, "Retry-After"));
        CPPUNIT_ASSERT_EQUAL(401, webhookAnswer(pluginRefusal(WebhookStep::Verify, error(TINKO_ERR_AUTH))).status);
        CPPUNIT_ASSERT_EQUAL(400, webhookAnswer(pluginRefusal(WebhookStep::Parse, error(TINKO_ERR_INVALID_INPUT))).status);
        WebhookOutcome taken;
        taken.kind = Kind::Taken;
        taken.answer.set("status", "processed");
        auto ok = webhookAnswer(taken);
        CPPUNIT_ASSERT_EQUAL(200, ok.status);
        CPPUNIT_ASSERT(ok.body.find("\"processed\"") != std::string::npos);
    }

private:
    static std::string header(const tinko::http::HttpResponse& r, const std::string& name) {
        for (const auto& [n, v] : r.headers)
            if (n == name) return v;
        return "";
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookIntakeTest);
