// The linear-time matcher agrees with ECMAScript regexes on the subset plugin schemas use, refuses
// what it does not support instead of crashing, and takes megabyte inputs against every pattern a
// shipped plugin publishes without a deep stack or superlinear time.
#include "plugins/ConfigSchema.h"
#include "plugins/LinearPattern.h"

#include "../../plugins/notify-smtp/SmtpConfig.h"
#include "../../plugins/notify-twilio/TwilioConfig.h"
#include "../../plugins/paypal/PayPalConfig.h"
#include "../../plugins/razorpay/RazorpayConfig.h"
#include "../../plugins/stripe/StripeConfig.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <random>
#include <regex>

using tinko::plugins::LinearPattern;

namespace {

Poco::JSON::Object::Ptr json(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Every "pattern" in the schemas the shipped plugins publish (the SDK example publishes none).
std::vector<std::string> shippedPluginPatterns() {
    std::vector<std::string> patterns;
    for (const char* schema : {tinko::paypal::kConfigSchema, tinko::stripe::kConfigSchema, tinko::razorpay::kConfigSchema,
                               tinko::twilio::kConfigSchema, tinko::smtp::kSmtpConfigSchema}) {
        auto properties = json(schema)->getObject("properties");
        for (const auto& name : properties->getNames())
            if (properties->getObject(name)->has("pattern"))
                patterns.push_back(properties->getObject(name)->getValue<std::string>("pattern"));
    }
    return patterns;
}

LinearPattern compiled(const std::string& pattern) {
    std::string why;
    auto p = LinearPattern::compile(pattern, &why);
    CPPUNIT_ASSERT_MESSAGE(pattern + ": " + why, p.has_value());
    return *p;
}

// The same answer as std::regex (ECMAScript), used here only on short texts.
void assertAgreesWithStdRegex(const std::string& pattern, const std::string& text) {
    const bool expected = std::regex_search(text, std::regex(pattern));
    const bool expectedWhole = std::regex_match(text, std::regex(pattern));
    const auto linear = compiled(pattern);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("search /" + pattern + "/ in '" + text + "'", expected, linear.search(text));
    CPPUNIT_ASSERT_EQUAL_MESSAGE("match /" + pattern + "/ on '" + text + "'", expectedWhole, linear.fullMatch(text));
}

double secondsFor(const std::function<void()>& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

class LinearPatternTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LinearPatternTest);
    CPPUNIT_TEST(theShippedPluginsUseOnlyTheSupportedSubset);
    CPPUNIT_TEST(answersLikeStdRegexOnTheSubset);
    CPPUNIT_TEST(answersLikeStdRegexOnGeneratedTexts);
    CPPUNIT_TEST(unsupportedOrBrokenPatternsAreRefusedNotCrashed);
    CPPUNIT_TEST(aMegabyteAgainstEveryPluginPatternIsFastAndShallow);
    CPPUNIT_TEST(pathologicalPatternsStayLinear);
    CPPUNIT_TEST(theSchemaCheckCapsStringsBeforeAnyPattern);
    CPPUNIT_TEST(aPatternThatCannotCompileIsNotHeldAgainstTheValue);
    CPPUNIT_TEST_SUITE_END();

public:
    void theShippedPluginsUseOnlyTheSupportedSubset() {
        const auto patterns = shippedPluginPatterns();
        CPPUNIT_ASSERT(patterns.size() >= 10);
        for (const auto& p : patterns) compiled(p);
    }

    void answersLikeStdRegexOnTheSubset() {
        const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
            {"^[^:\\s]+$", {"", "abc", "a:b", "a b", "a\tb", "AZaz09_-"}},
            {"^\\S+$", {"", "x", "x y", "xy\n"}},
            {"^[A-Za-z0-9]+$", {"", "WH123", "wh-1"}},
            {"^https?://", {"https://x", "http://x", "ftp://x", " https://x", "httpss://"}},
            {"^rzp_(test|live)_", {"rzp_test_1", "rzp_live_", "rzp_prod_1", "xrzp_test_"}},
            {"^(sk|rk)_", {"sk_1", "rk_", "pk_1"}},
            {"^[0-9]{4}-[0-9]{2}-[0-9]{2}", {"2024-06-20", "2024-6-20", "20245-06-20x", "2024-06-201"}},
            {"^AC[0-9a-fA-F]{32}$", {"AC0123456789abcdef0123456789ABCDEF", "AC0123456789abcdef0123456789ABCDE",
                                      "AC0123456789abcdef0123456789ABCDEF0"}},
            {"^\\+[1-9][0-9]{1,14}$", {"+14155550123", "+0415", "+1", "+12", "+1234567890123456"}},
            {"a.c", {"abc", "a\nc", "ac", "xxa-cxx"}},
            {"^a{2,3}$", {"a", "aa", "aaa", "aaaa"}},
            {"^a{2,}$", {"a", "aa", "aaaaaaa"}},
            {"^(ab)*c?$", {"", "ab", "abab", "ababc", "aba", "c", "cc"}},
            {"^(a|b|)+$", {"", "abba", "abc"}},
            {"^[a\\-z]+$", {"a-z", "b"}},
            {"^[\\d.-]+$", {"1.2-3", "1,2"}},
            {"\\w+@\\w+\\.com", {"ann@example.com", "@example.com", "ann@example.org"}},
            {"x*?y+?", {"xxy", "x"}},
            {"^(?:a|bc)d$", {"ad", "bcd", "bd"}},
            {"\\$\\^\\.\\(\\)", {"$^.()", "$^x()"}},
            {"^\\D\\W\\s$", {"a- ", "1- ", "a_ "}},
            {"$", {"", "abc"}},
            {"^$", {"", "a"}},
        };
        for (const auto& [pattern, texts] : cases)
            for (const auto& text : texts) assertAgreesWithStdRegex(pattern, text);
    }

    // Short random texts from each pattern's own alphabet, so both answers occur.
    void answersLikeStdRegexOnGeneratedTexts() {
        std::mt19937 random(20261206);
        const std::string alphabet = "aAbC019:_-+ .h/tps\nrzk";
        auto patterns = shippedPluginPatterns();
        for (const char* extra : {"^(a|ab)(c|bcd)(d*)$", "^(a*)*b$", "^[a-c]{1,3}(b|c)?$", "(h|t)+p?s?:"})
            patterns.push_back(extra);
        for (const auto& pattern : patterns)
            for (int n = 0; n < 300; ++n) {
                std::string text;
                const int length = static_cast<int>(random() % 12);
                for (int k = 0; k < length; ++k) text += alphabet[random() % alphabet.size()];
                assertAgreesWithStdRegex(pattern, text);
            }
    }

    void unsupportedOrBrokenPatternsAreRefusedNotCrashed() {
        for (const std::string& bad : {"(a)\\1", "(?=a)", "(?<n>a)", "\\bword", "\\x41", "a{3,1}", "[z-a]", "(", "a)",
                                       "[abc", "*a", "+", "a{1001}", "((((a{1000}){1000}){1000}){1000})", "^*", "a\\"}) {
            std::string why;
            CPPUNIT_ASSERT_MESSAGE(bad, !LinearPattern::compile(bad, &why).has_value());
            CPPUNIT_ASSERT_MESSAGE(bad, !why.empty());
        }
        std::string deep(10000, '(');
        CPPUNIT_ASSERT(!LinearPattern::compile(deep + "a" + std::string(10000, ')')).has_value());
    }

    void aMegabyteAgainstEveryPluginPatternIsFastAndShallow() {
        const std::size_t megabyte = 1024 * 1024;
        const std::vector<std::string> inputs = {std::string(megabyte, 'x'), std::string(megabyte, 'A'),
                                                 std::string(megabyte, '0'), "https://" + std::string(megabyte, 'a'),
                                                 std::string(megabyte - 1, 'a') + ":", "AC" + std::string(megabyte, 'f')};
        for (const auto& pattern : shippedPluginPatterns()) {
            const auto linear = compiled(pattern);
            for (const auto& input : inputs) {
                bool found = false;
                const double seconds = secondsFor([&] { found = linear.search(input); });
                CPPUNIT_ASSERT_MESSAGE(pattern + " took " + std::to_string(seconds) + " s", seconds < 5.0);
                (void)found;
            }
        }
        // The inputs that killed the host: a 30,000-character client_id, and a megabyte of it.
        const auto clientId = compiled("^[^:\\s]+$");
        CPPUNIT_ASSERT(clientId.search(std::string(30000, 'A')));
        CPPUNIT_ASSERT(clientId.search(std::string(megabyte, 'A')));
        CPPUNIT_ASSERT(!clientId.search(std::string(megabyte, 'A') + " "));
        CPPUNIT_ASSERT(compiled("^\\S+$").fullMatch(std::string(megabyte, 'z')));
    }

    void pathologicalPatternsStayLinear() {
        // Catastrophic for a backtracking engine: (a*)*b on a^n, and a?^n a^n on a^n.
        const std::string as(100000, 'a');
        const double first = secondsFor([&] { CPPUNIT_ASSERT(!compiled("^(a*)*b$").search(as)); });
        const double second = secondsFor([&] { CPPUNIT_ASSERT(compiled("^(a?){30}a{30}").search(as)); });
        const double third = secondsFor([&] { CPPUNIT_ASSERT(!compiled("(x+x+)+y").search(std::string(100000, 'x'))); });
        CPPUNIT_ASSERT_MESSAGE(std::to_string(first) + " " + std::to_string(second) + " " + std::to_string(third),
                               first < 5.0 && second < 5.0 && third < 5.0);
    }

    void theSchemaCheckCapsStringsBeforeAnyPattern() {
        auto schema = json(tinko::paypal::kConfigSchema);
        auto config = json(R"({"client_secret":"s","webhook_id":"W1"})");
        config->set("client_id", std::string(30000, 'A'));
        const auto errors = tinko::plugins::checkConfigAgainstSchema(*config, *schema);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("config.client_id"), errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::string("must be at most 4096 characters"), errors[0].message);

        config->set("client_id", std::string(4096, 'A'));
        CPPUNIT_ASSERT(tinko::plugins::checkConfigAgainstSchema(*config, *schema).empty());
        config->set("webhook_id", std::string(51, 'W'));   // the schema's own maxLength wins
        const auto own = tinko::plugins::checkConfigAgainstSchema(*config, *schema);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), own.size());
        CPPUNIT_ASSERT_EQUAL(std::string("must be at most 50 characters"), own[0].message);
    }

    void aPatternThatCannotCompileIsNotHeldAgainstTheValue() {
        auto schema = json(R"({"type":"object","properties":{"a":{"type":"string","pattern":"(x)\\1"},
                                                                "b":{"type":"string","pattern":"^b+$"}}})");
        auto errors = tinko::plugins::checkConfigAgainstSchema(*json(R"({"a":"anything","b":"bbc"})"), *schema);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("config.b"), errors[0].field);
        // Asked again: still no crash, still ignored (and logged only the first time).
        errors = tinko::plugins::checkConfigAgainstSchema(*json(R"({"a":"other"})"), *schema);
        CPPUNIT_ASSERT(errors.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LinearPatternTest);
