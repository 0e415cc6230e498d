// Amounts between Tinko's integer minor units and PayPal's decimal strings, both ways: ISO 4217's
// exponents (none for JPY and KRW, three for KWD), PayPal's own rule for HUF and TWD, and what
// cannot be sent or read.
#include "Money.h"
#include "PayPalTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <limits>

using namespace tinko::paypal;
using namespace tinko::paypal::test;

class MoneyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MoneyTest);
    CPPUNIT_TEST(formatsWithTheCurrencysDigits);
    CPPUNIT_TEST(paypalTakesHufAndTwdWithoutDecimals);
    CPPUNIT_TEST(refusesWhatCannotBeSent);
    CPPUNIT_TEST(parsesPayPalsValuesIntoMinorUnits);
    CPPUNIT_TEST(refusesValuesItCannotRead);
    CPPUNIT_TEST(knowsTheIsoExponents);
    CPPUNIT_TEST_SUITE_END();

public:
    void formatsWithTheCurrencysDigits() {
        CPPUNIT_ASSERT_EQUAL(std::string("12.50"), formatAmount(1250, "USD"));
        CPPUNIT_ASSERT_EQUAL(std::string("500"), formatAmount(500, "JPY"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.234"), formatAmount(1234, "KWD"));
        CPPUNIT_ASSERT_EQUAL(std::string("0.01"), formatAmount(1, "EUR"));
        CPPUNIT_ASSERT_EQUAL(std::string("0.005"), formatAmount(5, "BHD"));
        CPPUNIT_ASSERT_EQUAL(std::string("10000"), formatAmount(10000, "KRW"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0000"), formatAmount(10000, "CLF"));
        CPPUNIT_ASSERT_EQUAL(std::string("92233720368547758.07"), formatAmount(std::numeric_limits<std::int64_t>::max(), "USD"));
    }

    void paypalTakesHufAndTwdWithoutDecimals() {
        CPPUNIT_ASSERT_EQUAL(std::string("100"), formatAmount(10000, "HUF"));
        CPPUNIT_ASSERT_EQUAL(std::string("35"), formatAmount(3500, "TWD"));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: PayPal takes HUF amounts without decimals; 10050 minor units is not a whole number"),
                             errorOf([] { formatAmount(10050, "HUF"); }));
    }

    void refusesWhatCannotBeSent() {
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: currency XAU is not an ISO 4217 currency this plugin knows"),
                             errorOf([] { formatAmount(100, "XAU"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: currency usd is not an ISO 4217 currency this plugin knows"),
                             errorOf([] { formatAmount(100, "usd"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: amount must be a positive integer in minor units"),
                             errorOf([] { formatAmount(0, "USD"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: amount must be a positive integer in minor units"),
                             errorOf([] { formatAmount(-5, "USD"); }));
    }

    void parsesPayPalsValuesIntoMinorUnits() {
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1250), *parseAmount("12.50", "USD"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1250), *parseAmount("12.5", "USD"));   // PayPal's summaries drop zeros
        CPPUNIT_ASSERT_EQUAL(std::int64_t(3000), *parseAmount("30", "USD"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(500), *parseAmount("500", "JPY"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1234), *parseAmount("1.234", "KWD"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(10000), *parseAmount("100", "HUF"));   // back to ISO's minor units
        CPPUNIT_ASSERT_EQUAL(std::int64_t(50), *parseAmount(".50", "USD"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), *parseAmount("0.00", "USD"));
    }

    void refusesValuesItCannotRead() {
        CPPUNIT_ASSERT(!parseAmount("12.505", "USD"));   // more digits than the currency has
        CPPUNIT_ASSERT(!parseAmount("5.5", "JPY"));
        CPPUNIT_ASSERT(!parseAmount("-1.00", "USD"));
        CPPUNIT_ASSERT(!parseAmount("12.", "USD"));
        CPPUNIT_ASSERT(!parseAmount("", "USD"));
        CPPUNIT_ASSERT(!parseAmount("1e3", "USD"));
        CPPUNIT_ASSERT(!parseAmount("12.50", "ZZZ"));
        CPPUNIT_ASSERT(!parseAmount("99999999999999999999", "USD"));   // past int64
    }

    void knowsTheIsoExponents() {
        for (const char* zero : {"JPY", "KRW", "VND", "CLP", "ISK", "XAF", "XOF", "XPF", "UGX"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(zero, 0, currencyDigits(zero)->iso);
        for (const char* three : {"KWD", "BHD", "JOD", "OMR", "TND", "IQD", "LYD"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(three, 3, currencyDigits(three)->iso);
        for (const char* two : {"USD", "EUR", "GBP", "INR", "BRL", "MXN", "HUF", "TWD", "MGA"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(two, 2, currencyDigits(two)->iso);
        CPPUNIT_ASSERT_EQUAL(0, currencyDigits("HUF")->paypal);
        CPPUNIT_ASSERT_EQUAL(2, currencyDigits("EUR")->paypal);
        CPPUNIT_ASSERT(!currencyDigits("XAU"));   // gold is not money PayPal moves
        CPPUNIT_ASSERT(!currencyDigits("EURO"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MoneyTest);
