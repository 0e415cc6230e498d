// The customer's locale picks the org's template: exactly, then by language, then the org's
// default for the channel; with none of those the built-in English message is sent (nullptr).
#include "notify/TemplateChoice.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::notify;

namespace {
MessageTemplate tpl(long long id, const std::string& locale, bool isDefault = false) {
    MessageTemplate t;
    t.id = id;
    t.channel = "email";
    t.locale = locale;
    t.isDefault = isDefault;
    return t;
}

long long chosenId(const std::vector<MessageTemplate>& templates, const std::string& locale) {
    auto t = chooseTemplate(templates, locale);
    return t ? t->id : 0;
}
}  // namespace

class TemplateChoiceTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TemplateChoiceTest);
    CPPUNIT_TEST(theExactLocaleWinsIgnoringSpelling);
    CPPUNIT_TEST(thenTheLanguagePart);
    CPPUNIT_TEST(thenTheOrgDefault);
    CPPUNIT_TEST(withoutAMatchOrDefaultTheBuiltInMessageIsUsed);
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(TemplateChoiceTest);
