// Poison steps: the attempt cap read from a recovery's policy snapshot, when it is reached, and
// the reason a given-up step shows (category and provider code only).
#include "scheduler/StepAttempts.h"

#include "recovery/RecoveryPlan.h"

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace tinko::scheduler;

class StepAttemptsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StepAttemptsTest);
    CPPUNIT_TEST(theCapComesFromThePolicySnapshot);
    CPPUNIT_TEST(oldOrBadSnapshotsRunOnTheDefault);
    CPPUNIT_TEST(theLastAllowedAttemptExhausts);
    CPPUNIT_TEST(theReasonIsTheLastErrorsCategory);
    CPPUNIT_TEST(theFailedDetailKeepsOnlyWhatTheOrgMaySee);
    CPPUNIT_TEST(invalidCapsNameTheField);
    CPPUNIT_TEST_SUITE_END();

    static Poco::JSON::Object error(const std::string& category, const std::string& code) {
        Poco::JSON::Object e;
        e.set("category", category);
        e.set("retryable", true);
        e.set("provider_code", code);
        e.set("message", "the provider refused for now");
        return e;
    }

public:
    void theCapComesFromThePolicySnapshot() {
        CPPUNIT_ASSERT_EQUAL(3, maxStepAttemptsOf(R"({"name":"fast","max_step_attempts":3})"));
        CPPUNIT_ASSERT_EQUAL(100, maxStepAttemptsOf(R"({"max_step_attempts":100})"));
        CPPUNIT_ASSERT_EQUAL(1, maxStepAttemptsOf(R"({"max_step_attempts":1})"));
    }

    void oldOrBadSnapshotsRunOnTheDefault() {
        CPPUNIT_ASSERT_EQUAL(8, tinko::recovery::kDefaultMaxStepAttempts);
        CPPUNIT_ASSERT_EQUAL(8, maxStepAttemptsOf(R"({"name":"before the cap existed"})"));
        CPPUNIT_ASSERT_EQUAL(8, maxStepAttemptsOf(R"({"max_step_attempts":0})"));
        CPPUNIT_ASSERT_EQUAL(8, maxStepAttemptsOf(R"({"max_step_attempts":101})"));
        CPPUNIT_ASSERT_EQUAL(8, maxStepAttemptsOf(R"({"max_step_attempts":"3"})"));
        CPPUNIT_ASSERT_EQUAL(8, maxStepAttemptsOf("not json"));
        CPPUNIT_ASSERT_EQUAL(8, maxStepAttemptsOf(""));
    }

    void theLastAllowedAttemptExhausts() {
        CPPUNIT_ASSERT(!attemptsExhausted(1, 3));
        CPPUNIT_ASSERT(!attemptsExhausted(2, 3));
        CPPUNIT_ASSERT(attemptsExhausted(3, 3));
        CPPUNIT_ASSERT(attemptsExhausted(4, 3));
        CPPUNIT_ASSERT(attemptsExhausted(1, 1));
    }

    void theReasonIsTheLastErrorsCategory() {
        Poco::JSON::Object sent;
        sent.set("notification_error", error("provider", "451"));
        CPPUNIT_ASSERT_EQUAL(std::string("provider"), failureReason(sent));
        Poco::JSON::Object charged;
        charged.set("charge_error", error("network", ""));
        CPPUNIT_ASSERT_EQUAL(std::string("network"), failureReason(charged));
        Poco::JSON::Object unanswered;
        Poco::JSON::Object::Ptr charge = new Poco::JSON::Object;
        charge->set("outcome", "unknown");
        unanswered.set("charge", charge);
        CPPUNIT_ASSERT_EQUAL(std::string("outcome_unknown"), failureReason(unanswered));
        CPPUNIT_ASSERT_EQUAL(std::string("interrupted"), failureReason(Poco::JSON::Object()));
    }

    void theFailedDetailKeepsOnlyWhatTheOrgMaySee() {
        Poco::JSON::Object last;
        last.set("notification_error", error("provider", "451"));
        last.set("notification", "failed");
        auto detail = failedStepDetail(last, 3);
        std::ostringstream out;
        detail.stringify(out);
        CPPUNIT_ASSERT_EQUAL(std::string("provider"), detail.getValue<std::string>("reason"));
        CPPUNIT_ASSERT_EQUAL(3, detail.getValue<int>("attempts"));
        auto shown = detail.getObject("last_error");
        CPPUNIT_ASSERT_MESSAGE(out.str(), shown);
        CPPUNIT_ASSERT_EQUAL(std::string("451"), shown->getValue<std::string>("provider_code"));
        CPPUNIT_ASSERT_EQUAL(std::string("provider"), shown->getValue<std::string>("category"));
    }

    void invalidCapsNameTheField() {
        auto policy = tinko::recovery::defaultRetryPolicy();
        CPPUNIT_ASSERT_EQUAL(8, policy.maxStepAttempts);
        CPPUNIT_ASSERT(tinko::recovery::policyProblems(policy).empty());
        for (int bad : {0, -1, 101}) {
            policy.maxStepAttempts = bad;
            auto problems = tinko::recovery::policyProblems(policy);
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), problems.size());
            CPPUNIT_ASSERT_EQUAL(std::string("max_step_attempts"), problems[0].first);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StepAttemptsTest);
