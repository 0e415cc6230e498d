// The recovery page's words: the customer's locale picks the language (by its language part,
// then the browser's Accept-Language, else English), and every language says every phrase with
// the same placeholders as English, so no page ever shows a gap or a raw {{tag}}.
#include "web/PageText.h"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <set>

using namespace tinko::web;

class PageTextTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PageTextTest);
    CPPUNIT_TEST(theLocalesLanguagePicksTheText);
    CPPUNIT_TEST(unknownOrMalformedLocalesFallThroughToEnglish);
    CPPUNIT_TEST(acceptLanguageIsReadByWeight);
    CPPUNIT_TEST(everyLanguageSaysEveryPhraseWithEnglishsPlaceholders);
    CPPUNIT_TEST(phrasesAreFilledInAndEscaped);
    CPPUNIT_TEST_SUITE_END();

    static std::string languageFor(const std::vector<std::string>& preferences) { return pageTextFor(preferences).language; }
    static std::set<std::string> placeholders(const std::string& phrase) {
        std::set<std::string> out;
        static const std::regex tag(R"(\{\{\s*([a-z_]+)\s*\}\})");
        for (std::sregex_iterator it(phrase.begin(), phrase.end(), tag), end; it != end; ++it) out.insert((*it)[1]);
        return out;
    }

public:
    void theLocalesLanguagePicksTheText() {
        CPPUNIT_ASSERT_EQUAL(std::string("de"), languageFor({"de-AT"}));
        CPPUNIT_ASSERT_EQUAL(std::string("pt"), languageFor({"pt_BR"}));
        CPPUNIT_ASSERT_EQUAL(std::string("fr"), languageFor({"FR-ca"}));
        CPPUNIT_ASSERT_EQUAL(std::string("nl"), languageFor({"ja-JP", "nl"}));   // the first the page speaks
        CPPUNIT_ASSERT_EQUAL(std::string("es"), languageFor({"es", "de"}));
    }

    void unknownOrMalformedLocalesFallThroughToEnglish() {
        CPPUNIT_ASSERT_EQUAL(std::string("en"), languageFor({}));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), languageFor({""}));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), languageFor({"not a locale", "x"}));
        CPPUNIT_ASSERT_EQUAL(std::string("it"), languageFor({"not a locale", "it-IT"}));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), languageFor({"zh-Hant-TW"}));
    }

    void acceptLanguageIsReadByWeight() {
        CPPUNIT_ASSERT((std::vector<std::string>{"de-AT", "de", "en"}) == acceptedLanguages("de-AT,de;q=0.9,en;q=0.5"));
        CPPUNIT_ASSERT((std::vector<std::string>{"fr", "en-GB"}) == acceptedLanguages(" en-GB;q=0.3 , fr , *;q=0.1"));
        CPPUNIT_ASSERT((std::vector<std::string>{"es"}) == acceptedLanguages("de;q=0,es"));   // q=0: not German
        CPPUNIT_ASSERT(acceptedLanguages("").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("de"), languageFor(acceptedLanguages("da, de;q=0.8, en;q=0.7")));
    }

    void everyLanguageSaysEveryPhraseWithEnglishsPlaceholders() {
        const auto& languages = pageLanguages();
        CPPUNIT_ASSERT_EQUAL(std::string("en"), languages.front().language);
        CPPUNIT_ASSERT_EQUAL(std::size_t(7), languages.size());
        const auto& english = languages.front().phrases;
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(Phrase::UseAnotherCard) + 1, english.size());   // the last phrase
        for (const auto& text : languages) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text.language, english.size(), text.phrases.size());
            for (const auto& [phrase, words] : english) {
                auto found = text.phrases.find(phrase);
                CPPUNIT_ASSERT_MESSAGE(text.language, found != text.phrases.end() && !found->second.empty());
                CPPUNIT_ASSERT_MESSAGE(text.language + ": " + found->second, placeholders(words) == placeholders(found->second));
            }
        }
    }

    void phrasesAreFilledInAndEscaped() {
        const auto& german = pageTextFor({"de"});
        CPPUNIT_ASSERT_EQUAL(std::string("19,99 € bezahlen"), say(german, Phrase::PayButton, {{"amount", "19,99 €"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("Diese Zahlung an A &amp; B ist eingegangen. Vielen Dank!"),
                             say(german, Phrase::PaidText, {{"merchant", "A & B"}}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PageTextTest);
