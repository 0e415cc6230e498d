// A plugin's error on a webhook becomes the answer the provider acts on: what may pass later is a
// 503 from verify_webhook and parse_webhook alike (so a provider outage during a lookup is
// delivered again, not lost); what no redelivery changes is final.
#include "api/WebhookErrorAnswer.h"
#include "plugins/PluginInstance.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::api;

class WebhookErrorAnswerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookErrorAnswerTest);
    CPPUNIT_TEST(retryableErrorsAskForRedeliveryFromEitherStep);
    CPPUNIT_TEST(finalErrorsAreRefusals);
    CPPUNIT_TEST_SUITE_END();

public:
    void retryableErrorsAskForRedeliveryFromEitherStep() {
        for (auto step : {WebhookStep::Verify, WebhookStep::Parse})
            for (auto category : {TINKO_ERR_NETWORK, TINKO_ERR_PROVIDER, TINKO_ERR_INTERNAL, tinko::plugins::kErrEgressRefused})
                CPPUNIT_ASSERT(webhookErrorAnswer(step, category) == WebhookErrorAnswer::DeliverAgain);
    }

    void finalErrorsAreRefusals() {
        for (auto category : {TINKO_ERR_AUTH, TINKO_ERR_INVALID_INPUT, TINKO_ERR_UNSUPPORTED, TINKO_ERR_INVALID_CONFIG}) {
            CPPUNIT_ASSERT(webhookErrorAnswer(WebhookStep::Verify, category) == WebhookErrorAnswer::NotAccepted);
            CPPUNIT_ASSERT(webhookErrorAnswer(WebhookStep::Parse, category) == WebhookErrorAnswer::BadRequest);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookErrorAnswerTest);
