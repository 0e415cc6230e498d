// Planning is pure: the steps a policy makes for a category, and which categories may be retried.
#include "recovery/RecoveryPlan.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::recovery;

class RecoveryPlanTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RecoveryPlanTest);
    CPPUNIT_TEST(theDefaultPolicyIsThreeRetriesDoublingFromAnHour);
    CPPUNIT_TEST(delaysAreCappedByTheMaximum);
    CPPUNIT_TEST(hardDeclinesGetNoSteps);
    CPPUNIT_TEST(customerDeclinesOnlyMessage);
    CPPUNIT_TEST(chargeRetriesNeedThePolicyAndThePsp);
    CPPUNIT_TEST(channelsFollowTheContactsTheCustomerHas);
    CPPUNIT_TEST(nothingToDoMeansNoSteps);
    CPPUNIT_TEST(categoriesFollowTheTaxonomy);
    CPPUNIT_TEST(invalidPoliciesNameTheField);
    CPPUNIT_TEST_SUITE_END();

public:
    void theDefaultPolicyIsThreeRetriesDoublingFromAnHour() {
        auto steps = planSteps(defaultRetryPolicy(), "insufficient_funds", true, {true, true});
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), steps.size());
        CPPUNIT_ASSERT_EQUAL(3600LL, steps[0].delaySeconds);
        CPPUNIT_ASSERT_EQUAL(3600LL + 7200, steps[1].delaySeconds);
        CPPUNIT_ASSERT_EQUAL(3600LL + 7200 + 14400, steps[2].delaySeconds);
        CPPUNIT_ASSERT_EQUAL(std::string("email"), *steps[0].channel);
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), *steps[1].channel);
        CPPUNIT_ASSERT(steps[0].retryCharge);
        CPPUNIT_ASSERT_EQUAL(86400LL, defaultRetryPolicy().linkTtlSeconds);
    }

    void delaysAreCappedByTheMaximum() {
        RetryPolicy p;
        p.maxRetries = 4;
        p.initialDelaySeconds = 10;
        p.backoffMultiplier = 10;
        p.maxDelaySeconds = 500;
        auto steps = planSteps(p, "generic_decline", true, {true, false});
        CPPUNIT_ASSERT_EQUAL(10LL, steps[0].delaySeconds);
        CPPUNIT_ASSERT_EQUAL(110LL, steps[1].delaySeconds);
        CPPUNIT_ASSERT_EQUAL(610LL, steps[2].delaySeconds);   // 1000 capped to 500
        CPPUNIT_ASSERT_EQUAL(1110LL, steps[3].delaySeconds);
    }

    void hardDeclinesGetNoSteps() {
        CPPUNIT_ASSERT(planSteps(defaultRetryPolicy(), "fraud_suspected", true, {true, true}).empty());
        CPPUNIT_ASSERT(planSteps(defaultRetryPolicy(), "lost_or_stolen", true, {true, true}).empty());
    }

    void customerDeclinesOnlyMessage() {
        auto steps = planSteps(defaultRetryPolicy(), "card_expired", true, {true, false});
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), steps.size());
        for (const auto& s : steps) {
            CPPUNIT_ASSERT(!s.retryCharge);
            CPPUNIT_ASSERT_EQUAL(std::string("email"), *s.channel);
        }
    }

    void chargeRetriesNeedThePolicyAndThePsp() {
        CPPUNIT_ASSERT(!planSteps(defaultRetryPolicy(), "insufficient_funds", false, {true, false})[0].retryCharge);
        RetryPolicy noRetry;
        noRetry.retryCharge = false;
        CPPUNIT_ASSERT(!planSteps(noRetry, "insufficient_funds", true, {true, false})[0].retryCharge);
    }

    void channelsFollowTheContactsTheCustomerHas() {
        auto smsOnly = planSteps(defaultRetryPolicy(), "unknown", true, {false, true});
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), *smsOnly[0].channel);
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), *smsOnly[1].channel);
        auto noContact = planSteps(defaultRetryPolicy(), "unknown", true, {false, false});
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), noContact.size());   // charge retries still run
        CPPUNIT_ASSERT(!noContact[0].channel.has_value());
    }

    void nothingToDoMeansNoSteps() {
        // A customer decline with no way to reach the customer: nothing can be done.
        CPPUNIT_ASSERT(planSteps(defaultRetryPolicy(), "card_expired", true, {false, false}).empty());
    }

    void categoriesFollowTheTaxonomy() {
        CPPUNIT_ASSERT_EQUAL(std::size_t(12), declineCategories().size());
        CPPUNIT_ASSERT(hardnessOf("issuer_unavailable") == Hardness::Soft);
        CPPUNIT_ASSERT(hardnessOf("authentication_required") == Hardness::Customer);
        CPPUNIT_ASSERT(hardnessOf("something_new") == Hardness::Soft);
        CPPUNIT_ASSERT(!isDeclineCategory("something_new"));
        CPPUNIT_ASSERT_EQUAL(std::string("hard"), std::string(hardnessName(hardnessOf("fraud_suspected"))));
    }

    void invalidPoliciesNameTheField() {
        RetryPolicy p;
        p.maxRetries = 0;
        p.backoffMultiplier = 0.5;
        p.channels = {"pigeon"};
        auto problems = policyProblems(p);
        std::string fields;
        for (const auto& [field, why] : problems) fields += field + ";";
        CPPUNIT_ASSERT_EQUAL(std::string("max_retries;backoff_multiplier;channels;"), fields);
        CPPUNIT_ASSERT(policyProblems(defaultRetryPolicy()).empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecoveryPlanTest);
