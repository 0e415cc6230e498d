// The customer's locale picks the org's template: exactly, then by language, then the org's
// default for the channel; with none of those the built-in English message is sent (nullptr).
#include "notify/TemplateChoice.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::notify;

namespace {
MessageTemplate tpl(long long id, const std::string& locale, bool isDefault = false, const std::string& name = "usual") {
    MessageTemplate t;
    t.id = id;
    t.name = name;
    t.channel = "email";
    t.locale = locale;
    t.isDefault = isDefault;
    return t;
}

long long chosenId(const std::vector<MessageTemplate>& templates, const std::string& locale) {
    auto t = chooseTemplate(templates, locale, std::nullopt, {});
    return t ? t->id : 0;
}

long long chosenId(const std::vector<MessageTemplate>& templates, const std::string& locale,
                   const std::optional<std::string>& ruleTemplate, const std::set<std::string>& pickedByRules) {
    auto t = chooseTemplate(templates, locale, ruleTemplate, pickedByRules);
    return t ? t->id : 0;
}
}  // namespace

class TemplateChoiceTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TemplateChoiceTest);
    CPPUNIT_TEST(theExactLocaleWinsIgnoringSpelling);
    CPPUNIT_TEST(thenTheLanguagePart);
    CPPUNIT_TEST(thenTheOrgDefault);
    CPPUNIT_TEST(withoutAMatchOrDefaultTheBuiltInMessageIsUsed);
    CPPUNIT_TEST(aRulesSetIsTriedFirstByLocale);
    CPPUNIT_TEST(aRulesSetWithoutTheLanguageFallsBackToTheUsualChoice);
    CPPUNIT_TEST(templatesARulePicksAreKeptForItsPayments);
    CPPUNIT_TEST_SUITE_END();

    const std::vector<MessageTemplate> templates_{tpl(1, "en", true), tpl(2, "de"), tpl(3, "de-AT"), tpl(4, "pt-BR")};

public:
    void theExactLocaleWinsIgnoringSpelling() {
        CPPUNIT_ASSERT_EQUAL(3LL, chosenId(templates_, "de-AT"));
        CPPUNIT_ASSERT_EQUAL(3LL, chosenId(templates_, "de_at"));
        CPPUNIT_ASSERT_EQUAL(2LL, chosenId(templates_, "de"));
    }

    void thenTheLanguagePart() {
        CPPUNIT_ASSERT_EQUAL(2LL, chosenId(templates_, "de-CH"));
        // No "pt" template: another of the same language is closer than the default.
        CPPUNIT_ASSERT_EQUAL(4LL, chosenId(templates_, "pt-PT"));
        CPPUNIT_ASSERT_EQUAL(4LL, chosenId(templates_, "pt"));
    }

    void thenTheOrgDefault() {
        CPPUNIT_ASSERT_EQUAL(1LL, chosenId(templates_, "fr"));
        CPPUNIT_ASSERT_EQUAL(1LL, chosenId(templates_, ""));
        CPPUNIT_ASSERT_EQUAL(1LL, chosenId(templates_, "not a locale"));
    }

    void withoutAMatchOrDefaultTheBuiltInMessageIsUsed() {
        CPPUNIT_ASSERT_EQUAL(0LL, chosenId({tpl(2, "de")}, "fr"));
        CPPUNIT_ASSERT_EQUAL(0LL, chosenId({}, "de-AT"));
    }

    // The org's usual templates plus a "vip" set in English and German.
    const std::vector<MessageTemplate> withVip_{tpl(1, "en", true), tpl(2, "de"), tpl(10, "en", false, "vip"),
                                                tpl(11, "de", false, "vip")};
    const std::set<std::string> vipPicked_{"vip"};

    void aRulesSetIsTriedFirstByLocale() {
        CPPUNIT_ASSERT_EQUAL(11LL, chosenId(withVip_, "de-AT", std::string("vip"), vipPicked_));
        CPPUNIT_ASSERT_EQUAL(10LL, chosenId(withVip_, "en-GB", std::string("vip"), vipPicked_));
    }

    void aRulesSetWithoutTheLanguageFallsBackToTheUsualChoice() {
        CPPUNIT_ASSERT_EQUAL(1LL, chosenId(withVip_, "fr", std::string("vip"), vipPicked_));   // the org's default
        CPPUNIT_ASSERT_EQUAL(1LL, chosenId(withVip_, "", std::string("vip"), vipPicked_));
        // A rule whose set is gone (deleted templates) gets the usual choice.
        CPPUNIT_ASSERT_EQUAL(2LL, chosenId(withVip_, "de", std::string("gone"), vipPicked_));
    }

    void templatesARulePicksAreKeptForItsPayments() {
        CPPUNIT_ASSERT_EQUAL(2LL, chosenId(withVip_, "de", std::nullopt, vipPicked_));
        // Once no rule picks "vip", its templates are ordinary ones again (the oldest of a locale wins).
        CPPUNIT_ASSERT_EQUAL(2LL, chosenId(withVip_, "de", std::nullopt, {}));
        CPPUNIT_ASSERT_EQUAL(11LL, chosenId({tpl(1, "en", true), tpl(11, "de", false, "vip")}, "de", std::nullopt, {}));
        CPPUNIT_ASSERT_EQUAL(1LL, chosenId({tpl(1, "en", true), tpl(11, "de", false, "vip")}, "de", std::nullopt, vipPicked_));
        // The channel's default stays the default even when a rule picks its name.
        CPPUNIT_ASSERT_EQUAL(1LL, chosenId({tpl(1, "en", true, "vip")}, "fr", std::nullopt, vipPicked_));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TemplateChoiceTest);
