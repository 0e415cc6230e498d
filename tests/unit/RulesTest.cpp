// Rules decide a recovery: the first match in priority order, every condition must hold, and a
// rule that could never be applied is refused with the field that is wrong.
#include "recovery/RuleJson.h"
#include "recovery/Rules.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::recovery;

namespace {
FailureFacts facts(const std::string& category = "insufficient_funds", long long amount = 5000,
                   const std::string& currency = "EUR") {
    return {category, "soft", "stripe", currency, amount, "insufficient_funds"};
}

Rule rule(long long id, int priority, RuleConditions when, RuleActions then = {false, std::nullopt, std::vector<std::string>{"email"}}) {
    return {id, priority, std::move(when), std::move(then)};
}

ParsedRule parsed(const std::string& json) {
    Poco::JSON::Parser parser;
    return ruleFromJson(*parser.parse(json).extract<Poco::JSON::Object::Ptr>());
}

bool names(const ParsedRule& p, const std::string& field) {
    for (const auto& [f, why] : p.errors)
        if (f == field) return true;
    return false;
}
}  // namespace

class RulesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RulesTest);
    CPPUNIT_TEST(everyConditionMustHold);
    CPPUNIT_TEST(amountBoundsAreInclusiveAndCurrencyIgnoresCase);
    CPPUNIT_TEST(theLowestPriorityMatchingRuleDecides);
    CPPUNIT_TEST(noMatchDecidesNothing);
    CPPUNIT_TEST(aValidRuleReadsAndWritesTheSameJson);
    CPPUNIT_TEST(invalidRulesNameTheField);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyConditionMustHold() {
        RuleConditions when;
        when.category = "insufficient_funds";
        when.psp = "stripe";
        CPPUNIT_ASSERT(matches(when, facts()));
        when.psp = "paypal";
        CPPUNIT_ASSERT(!matches(when, facts()));
        CPPUNIT_ASSERT(matches(RuleConditions{}, facts("card_expired")));   // no condition: every payment
        RuleConditions code;
        code.declineCode = "do_not_honor";
        CPPUNIT_ASSERT(!matches(code, facts()));
    }

    void amountBoundsAreInclusiveAndCurrencyIgnoresCase() {
        RuleConditions when;
        when.currency = "EUR";
        when.amountMin = 1000;
        when.amountMax = 5000;
        CPPUNIT_ASSERT(matches(when, facts("insufficient_funds", 5000, "eur")));
        CPPUNIT_ASSERT(matches(when, facts("insufficient_funds", 1000)));
        CPPUNIT_ASSERT(!matches(when, facts("insufficient_funds", 5001)));
        CPPUNIT_ASSERT(!matches(when, facts("insufficient_funds", 999)));
        CPPUNIT_ASSERT(!matches(when, facts("insufficient_funds", 2000, "USD")));
    }

    void theLowestPriorityMatchingRuleDecides() {
        RuleConditions expired;
        expired.category = "card_expired";
        const std::vector<Rule> rules{rule(1, 50, {}), rule(2, 10, expired), rule(3, 20, {}), rule(4, 20, {})};
        CPPUNIT_ASSERT_EQUAL(2LL, decidingRule(rules, facts("card_expired"))->id);
        CPPUNIT_ASSERT_EQUAL(3LL, decidingRule(rules, facts("insufficient_funds"))->id);   // a tie: the older rule
    }

    void noMatchDecidesNothing() {
        RuleConditions big;
        big.amountMin = 100000;
        CPPUNIT_ASSERT(decidingRule({rule(1, 1, big)}, facts()) == nullptr);
        CPPUNIT_ASSERT(decidingRule({}, facts()) == nullptr);
    }

    void aValidRuleReadsAndWritesTheSameJson() {
        const auto p = parsed(R"({"priority":5,"when":{"category":"insufficient_funds","currency":"eur","amount_min":100},)"
                              R"("then":{"policy_id":7,"channels":["sms","email"]}})");
        CPPUNIT_ASSERT(p.errors.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("EUR"), *p.rule.when.currency);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"priority":5,"when":{"category":"insufficient_funds","currency":"EUR",)"
                                         R"("amount_min":100},"then":{"action":"recover","policy_id":7,"channels":["sms","email"]}})"),
                             ruleToJson(p.rule, false));
        const auto picksTemplate = parsed(R"({"priority":2,"when":{"amount_min":100000},"then":{"template":"vip"}})");
        CPPUNIT_ASSERT(picksTemplate.errors.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("vip"), *picksTemplate.rule.then.templateName);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"priority":2,"when":{"amount_min":100000},"then":{"action":"recover","template":"vip"}})"),
                             ruleToJson(picksTemplate.rule, false));
        const auto skip = parsed(R"({"priority":1,"when":{"hardness":"hard"},"then":{"action":"skip"}})");
        CPPUNIT_ASSERT(skip.errors.empty());
        CPPUNIT_ASSERT(skip.rule.then.skip);
    }

    void invalidRulesNameTheField() {
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"when":{"category":"broke"},"then":{"channels":["email"]}})"), "when.category"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"when":{"hardness":"firm"},"then":{"channels":["email"]}})"), "when.hardness"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"when":{"currency":"EURO"},"then":{"channels":["email"]}})"), "when.currency"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"when":{"amount_min":10,"amount_max":5},"then":{"channels":["email"]}})"),
                             "when.amount_max"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":0,"then":{"channels":["email"]}})"), "priority"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"then":{"channels":["fax"]}})"), "then.channels"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"then":{"channels":["sms","sms"]}})"), "then.channels"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"then":{"action":"skip","policy_id":3}})"), "then.action"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"then":{"action":"maybe"}})"), "then.action"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"then":{}})"), "then"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"then":{"template":" "}})"), "then.template"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"then":{"template":7}})"), "then.template"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"then":{"action":"skip","template":"friendly"}})"), "then.action"));
        CPPUNIT_ASSERT(names(parsed(R"({"priority":1,"when":{"colour":"red"},"then":{"channels":["email"]}})"), "when.colour"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RulesTest);
