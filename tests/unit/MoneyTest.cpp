// Amounts for customers: integer minor units, the currency's own decimals (JPY none, KWD three),
// and the separators, grouping and symbol placement of the customer's language.
#include "notify/Money.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::notify::formatAmount;

class MoneyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MoneyTest);
    CPPUNIT_TEST(theEnglishFormIsUnchanged);
    CPPUNIT_TEST(europeanLanguagesSwapSeparatorsAndMoveTheSymbol);
    CPPUNIT_TEST(spanishGroupsOnlyFromFiveDigits);
    CPPUNIT_TEST(hindiGroupsTheIndianWay);
    CPPUNIT_TEST(minorDigitsFollowTheCurrency);
    CPPUNIT_TEST(negativeAmountsKeepTheirSign);
    CPPUNIT_TEST(onlyTheLanguageOfTheLocaleCountsAndUnknownOnesAreEnglish);
    CPPUNIT_TEST_SUITE_END();

    static std::string s(const char* utf8) { return utf8; }

public:
    void theEnglishFormIsUnchanged() {
        CPPUNIT_ASSERT_EQUAL(s("$19.99"), formatAmount(1999, "USD"));
        CPPUNIT_ASSERT_EQUAL(s("$1,234,567.89"), formatAmount(123456789, "USD"));
        CPPUNIT_ASSERT_EQUAL(s("¥1,500"), formatAmount(1500, "JPY"));
        CPPUNIT_ASSERT_EQUAL(s("KWD 1.234"), formatAmount(1234, "KWD"));
        CPPUNIT_ASSERT_EQUAL(formatAmount(123456, "EUR"), formatAmount(123456, "EUR", "en-GB"));
    }

    void europeanLanguagesSwapSeparatorsAndMoveTheSymbol() {
        CPPUNIT_ASSERT_EQUAL(s("19,99 €"), formatAmount(1999, "EUR", "de"));
        CPPUNIT_ASSERT_EQUAL(s("1.234,56 €"), formatAmount(123456, "EUR", "de"));
        CPPUNIT_ASSERT_EQUAL(s("1.234,56 $"), formatAmount(123456, "USD", "de"));
        CPPUNIT_ASSERT_EQUAL(s("1\u202F234,56 €"), formatAmount(123456, "EUR", "fr"));
        CPPUNIT_ASSERT_EQUAL(s("1.234,56 €"), formatAmount(123456, "EUR", "it"));
        CPPUNIT_ASSERT_EQUAL(s("€ 1.234,56"), formatAmount(123456, "EUR", "nl"));
        CPPUNIT_ASSERT_EQUAL(s("€ 1.234,56"), formatAmount(123456, "EUR", "pt-BR"));
        CPPUNIT_ASSERT_EQUAL(s("¥1,500"), formatAmount(1500, "JPY", "ja"));
        CPPUNIT_ASSERT_EQUAL(s("$1,234.56"), formatAmount(123456, "USD", "ja"));
    }

    void spanishGroupsOnlyFromFiveDigits() {
        CPPUNIT_ASSERT_EQUAL(s("1234,56 €"), formatAmount(123456, "EUR", "es"));
        CPPUNIT_ASSERT_EQUAL(s("12.345,67 €"), formatAmount(1234567, "EUR", "es"));
    }

    void hindiGroupsTheIndianWay() {
        CPPUNIT_ASSERT_EQUAL(s("₹12,34,567.89"), formatAmount(123456789, "INR", "hi"));
        CPPUNIT_ASSERT_EQUAL(s("₹999.00"), formatAmount(99900, "INR", "hi-IN"));
        CPPUNIT_ASSERT_EQUAL(s("₹1,000.00"), formatAmount(100000, "INR", "hi"));
    }

    void minorDigitsFollowTheCurrency() {
        CPPUNIT_ASSERT_EQUAL(s("1.500 ¥"), formatAmount(1500, "JPY", "de"));
        CPPUNIT_ASSERT_EQUAL(s("1,234 KWD"), formatAmount(1234, "KWD", "de"));
        CPPUNIT_ASSERT_EQUAL(s("KWD 1,234"), formatAmount(1234, "KWD", "nl"));
        CPPUNIT_ASSERT_EQUAL(s("0,05 €"), formatAmount(5, "EUR", "fr"));
        CPPUNIT_ASSERT_EQUAL(s("CLF 1.0000"), formatAmount(10000, "CLF", "en"));   // four digits
        CPPUNIT_ASSERT_EQUAL(s("XAU 1.00"), formatAmount(100, "XAU", "en"));       // not in ISO's list: two
    }

    void negativeAmountsKeepTheirSign() {
        CPPUNIT_ASSERT_EQUAL(s("-$19.99"), formatAmount(-1999, "USD", "en"));
        CPPUNIT_ASSERT_EQUAL(s("-19,99 €"), formatAmount(-1999, "EUR", "de"));
        CPPUNIT_ASSERT_EQUAL(s("€ -19,99"), formatAmount(-1999, "EUR", "nl"));
    }

    void onlyTheLanguageOfTheLocaleCountsAndUnknownOnesAreEnglish() {
        CPPUNIT_ASSERT_EQUAL(s("19,99 €"), formatAmount(1999, "EUR", "de-AT"));
        CPPUNIT_ASSERT_EQUAL(s("19,99 €"), formatAmount(1999, "EUR", "DE_ch"));
        CPPUNIT_ASSERT_EQUAL(s("€19.99"), formatAmount(1999, "EUR", "sw"));
        CPPUNIT_ASSERT_EQUAL(s("€19.99"), formatAmount(1999, "EUR", ""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MoneyTest);
