// Decline advice is pure: every code the issue names, unknown codes, combinations, and what the
// decision does to a plan.
#include "recovery/DeclineAdvice.h"
#include "recovery/IntakeAdvice.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace tinko::recovery;
using Kind = AdviceDecision::Kind;

namespace {
AdviceDecision decide(std::optional<std::string> advice, std::optional<std::string> mac = std::nullopt,
                      std::optional<std::string> networkCode = std::nullopt, std::optional<std::string> network = std::nullopt) {
    return decideAdvice({advice, mac, networkCode, network});
}

std::vector<PlannedStep> threeSteps() {
    // 1 h, 3 h, 7 h after the failure; email, no message, sms; each with a charge.
    return {{1, 3600, true, std::string("email")}, {2, 3 * 3600, true, std::nullopt}, {3, 7 * 3600, true, std::string("sms")}};
}
}  // namespace

class DeclineAdviceTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DeclineAdviceTest);
    CPPUNIT_TEST(stripesAdviceCodes);
    CPPUNIT_TEST(stopMerchantAdviceCodes);
    CPPUNIT_TEST(everyDelayMacNamesItsDelay);
    CPPUNIT_TEST(visaCategoryOneCodesStopOnlyOnVisa);
    CPPUNIT_TEST(unknownCodesChangeNothingButAreNamed);
    CPPUNIT_TEST(stopWinsOverEverythingElse);
    CPPUNIT_TEST(confirmCardDataWinsOverADelay);
    CPPUNIT_TEST(aDelayWinsOverTryAgainLater);
    CPPUNIT_TEST(stopTakesEveryChargeOffThePlan);
    CPPUNIT_TEST(aDelayKeepsTheChargeOnTheFirstStepAfterIt);
    CPPUNIT_TEST(aDelayPastThePlanMovesTheLastStep);
    CPPUNIT_TEST(noAdviceLeavesThePlanAlone);
    CPPUNIT_TEST(adviceJsonNamesCodeSourceAndDecision);
    CPPUNIT_TEST(fieldChecks);
    CPPUNIT_TEST(webhookEventsKeepOnlyWellFormedAdvice);
    CPPUNIT_TEST(intakeKeepsTheDecisionAndTheCard);
    CPPUNIT_TEST_SUITE_END();

public:
    void stripesAdviceCodes() {
        auto stop = decide("do_not_try_again");
        CPPUNIT_ASSERT(stop.kind == Kind::StopCharges);
        CPPUNIT_ASSERT(stop.asksForAnotherCard());
        CPPUNIT_ASSERT_EQUAL(std::string("advice_code"), stop.source);
        auto confirm = decide("confirm_card_data");
        CPPUNIT_ASSERT(confirm.kind == Kind::MessagesOnly);
        CPPUNIT_ASSERT(confirm.stopsCharges());
        CPPUNIT_ASSERT(!confirm.asksForAnotherCard());
        auto later = decide("try_again_later");
        CPPUNIT_ASSERT(later.kind == Kind::None);
        CPPUNIT_ASSERT_EQUAL(std::string("try_again_later"), later.code);
        CPPUNIT_ASSERT(decide(std::nullopt).kind == Kind::None);
        CPPUNIT_ASSERT(!decide(std::nullopt).hasAdvice());
    }

    void stopMerchantAdviceCodes() {
        for (const std::string mac : {"03", "21"}) {
            auto d = decide(std::nullopt, mac);
            CPPUNIT_ASSERT_MESSAGE(mac, d.kind == Kind::StopCharges);
            CPPUNIT_ASSERT_EQUAL(std::string("network_advice_code"), d.source);
            CPPUNIT_ASSERT(isStopMac(mac));
        }
        CPPUNIT_ASSERT(!isStopMac("02"));
        CPPUNIT_ASSERT(decide(std::nullopt, std::string("02")).kind == Kind::None);   // try again later: as today
        CPPUNIT_ASSERT(decide(std::nullopt, std::string("01")).kind == Kind::None);
    }

    void everyDelayMacNamesItsDelay() {
        const std::vector<std::pair<std::string, long long>> expected{
            {"24", 3600}, {"25", 86400}, {"26", 2 * 86400}, {"27", 4 * 86400}, {"28", 6 * 86400}, {"29", 8 * 86400}, {"30", 10 * 86400}};
        for (const auto& [mac, seconds] : expected) {
            auto d = decide(std::nullopt, mac);
            CPPUNIT_ASSERT_MESSAGE(mac, d.kind == Kind::DelayCharges);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(mac, seconds, d.delaySeconds);
        }
        CPPUNIT_ASSERT(!macRetryDelaySeconds("23"));
        CPPUNIT_ASSERT(!macRetryDelaySeconds("31"));
    }

    void visaCategoryOneCodesStopOnlyOnVisa() {
        for (const std::string code : {"04", "07", "12", "14", "15", "41", "43", "46", "57", "R0", "R1", "R3"}) {
            auto d = decide(std::nullopt, std::nullopt, code, std::string("visa"));
            CPPUNIT_ASSERT_MESSAGE(code, d.kind == Kind::StopCharges);
            CPPUNIT_ASSERT_EQUAL(std::string("network_decline_code"), d.source);
        }
        CPPUNIT_ASSERT(decide(std::nullopt, std::nullopt, std::string("51"), std::string("visa")).kind == Kind::None);
        CPPUNIT_ASSERT(decide(std::nullopt, std::nullopt, std::string("46"), std::string("mastercard")).kind == Kind::None);
        CPPUNIT_ASSERT(decide(std::nullopt, std::nullopt, std::string("46")).kind == Kind::None);
    }

    void unknownCodesChangeNothingButAreNamed() {
        auto d = decide("something_new");
        CPPUNIT_ASSERT(d.kind == Kind::None);
        CPPUNIT_ASSERT_EQUAL(std::string("something_new"), d.code);
        auto m = decide(std::nullopt, std::string("99"));
        CPPUNIT_ASSERT(m.kind == Kind::None);
        CPPUNIT_ASSERT_EQUAL(std::string("network_advice_code"), m.source);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), applyAdviceToPlan(threeSteps(), d).size());
    }

    void stopWinsOverEverythingElse() {
        CPPUNIT_ASSERT(decide("try_again_later", std::string("03")).kind == Kind::StopCharges);
        CPPUNIT_ASSERT(decide("confirm_card_data", std::string("21")).kind == Kind::StopCharges);
        auto d = decide("do_not_try_again", std::string("24"));
        CPPUNIT_ASSERT(d.kind == Kind::StopCharges);
        CPPUNIT_ASSERT_EQUAL(std::string("do_not_try_again"), d.code);
    }

    void confirmCardDataWinsOverADelay() {
        CPPUNIT_ASSERT(decide("confirm_card_data", std::string("26")).kind == Kind::MessagesOnly);
    }

    void aDelayWinsOverTryAgainLater() {
        auto d = decide("try_again_later", std::string("25"));
        CPPUNIT_ASSERT(d.kind == Kind::DelayCharges);
        CPPUNIT_ASSERT_EQUAL(std::string("25"), d.code);
    }

    void stopTakesEveryChargeOffThePlan() {
        auto steps = applyAdviceToPlan(threeSteps(), decide("do_not_try_again"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), steps.size());   // the step with no message is dropped
        for (const auto& s : steps) CPPUNIT_ASSERT(!s.retryCharge);
        CPPUNIT_ASSERT_EQUAL(1, steps[0].sequence);
        CPPUNIT_ASSERT_EQUAL(2, steps[1].sequence);
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), *steps[1].channel);
        CPPUNIT_ASSERT_EQUAL(7 * 3600LL, steps[1].delaySeconds);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), applyAdviceToPlan(threeSteps(), decide("confirm_card_data")).size());
    }

    void aDelayKeepsTheChargeOnTheFirstStepAfterIt() {
        // MAC 25: 24 hours; a plan reaching past it keeps its charge there, messages before it go on.
        auto plan = threeSteps();
        plan.push_back({4, 30 * 3600, true, std::string("email")});
        auto steps = applyAdviceToPlan(plan, decide(std::nullopt, std::string("25")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), steps.size());
        CPPUNIT_ASSERT(!steps[0].retryCharge);
        CPPUNIT_ASSERT(!steps[1].retryCharge);
        CPPUNIT_ASSERT(steps[2].retryCharge);
        CPPUNIT_ASSERT_EQUAL(30 * 3600LL, steps[2].delaySeconds);
        // MAC 24 (1 hour) changes nothing in a plan whose first step is an hour out.
        auto hour = applyAdviceToPlan(threeSteps(), decide(std::nullopt, std::string("24")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), hour.size());
        CPPUNIT_ASSERT(hour[0].retryCharge);
    }

    void aDelayPastThePlanMovesTheLastStep() {
        auto steps = applyAdviceToPlan(threeSteps(), decide(std::nullopt, std::string("30")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), steps.size());
        CPPUNIT_ASSERT(!steps[0].retryCharge);
        CPPUNIT_ASSERT(steps[1].retryCharge);
        CPPUNIT_ASSERT_EQUAL(10 * 86400LL, steps[1].delaySeconds);
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), *steps[1].channel);
    }

    void noAdviceLeavesThePlanAlone() {
        auto steps = applyAdviceToPlan(threeSteps(), decide(std::nullopt));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), steps.size());
        for (const auto& s : steps) CPPUNIT_ASSERT(s.retryCharge);
    }

    void adviceJsonNamesCodeSourceAndDecision() {
        std::ostringstream out;
        adviceJson(decide(std::nullopt, std::string("26")), std::string("2026-12-09T10:00:00Z"))->stringify(out);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"code":"26","source":"network_advice_code","decision":"delay_charges","retry_not_before":"2026-12-09T10:00:00Z"})"),
                             out.str());
        std::ostringstream stop;
        adviceJson(decide("do_not_try_again"), std::nullopt)->stringify(stop);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"code":"do_not_try_again","source":"advice_code","decision":"stop_charges"})"), stop.str());
    }

    void fieldChecks() {
        CPPUNIT_ASSERT(!networkAdviceCodeProblem("03"));
        CPPUNIT_ASSERT(networkAdviceCodeProblem("3"));
        CPPUNIT_ASSERT(networkAdviceCodeProblem("a3"));
        CPPUNIT_ASSERT(!networkDeclineCodeProblem("R1"));
        CPPUNIT_ASSERT(networkDeclineCodeProblem(""));
        CPPUNIT_ASSERT(networkDeclineCodeProblem("12345"));
        CPPUNIT_ASSERT(networkDeclineCodeProblem("5 1"));
        CPPUNIT_ASSERT(!cardNetworkProblem("mastercard"));
        CPPUNIT_ASSERT(cardNetworkProblem("Visa"));
    }

    void webhookEventsKeepOnlyWellFormedAdvice() {
        Poco::JSON::Parser parser;
        auto event = parser.parse(R"({"advice_code":"do_not_try_again","network_advice_code":"3","network_decline_code":"R1",)"
                                  R"("card_network":"VISA","card_fingerprint":"fp_1"})").extract<Poco::JSON::Object::Ptr>();
        tinko::store::FailureEventInput e;
        takeAdviceFields(*event, e);
        CPPUNIT_ASSERT_EQUAL(std::string("do_not_try_again"), *e.adviceCode);
        CPPUNIT_ASSERT(!e.networkAdviceCode);   // not two digits
        CPPUNIT_ASSERT_EQUAL(std::string("R1"), *e.networkDeclineCode);
        CPPUNIT_ASSERT(!e.cardNetwork);         // not a network name
        CPPUNIT_ASSERT_EQUAL(std::string("fp:fp_1"), *e.cardKey());
        auto numbers = parser.parse(R"({"advice_code":7,"network_advice_code":24})").extract<Poco::JSON::Object::Ptr>();
        tinko::store::FailureEventInput f;
        takeAdviceFields(*numbers, f);
        CPPUNIT_ASSERT(!f.adviceCode);
        CPPUNIT_ASSERT(!f.networkAdviceCode);
    }

    void intakeKeepsTheDecisionAndTheCard() {
        tinko::store::FailureEventInput e;
        e.paymentMethod = "pm_1";
        e.networkAdviceCode = "21";
        auto d = readIntakeAdvice(e);
        CPPUNIT_ASSERT(d.kind == Kind::StopCharges);
        CPPUNIT_ASSERT(e.stopAdvice);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"code":"21","source":"network_advice_code","decision":"stop_charges"})"), *e.chargeAdviceJson);
        CPPUNIT_ASSERT_EQUAL(std::string("pm:pm_1"), *e.cardKey());
        tinko::store::FailureEventInput none;
        readIntakeAdvice(none);
        CPPUNIT_ASSERT(!none.chargeAdviceJson);
        CPPUNIT_ASSERT(!none.stopAdvice);
        CPPUNIT_ASSERT(!none.cardKey());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeclineAdviceTest);
