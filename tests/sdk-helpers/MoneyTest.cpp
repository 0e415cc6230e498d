// tinko/helpers/money.hpp: minor units to a provider's decimal string and back, with the ISO 4217
// exponents (two digits, none, three, four), at the edges of int64.
#include "tinko/helpers/money.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <limits>
#include <string>

using namespace tinko::sdk::helpers;

class MoneyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MoneyTest);
    CPPUNIT_TEST(knowsTheIsoExponents);
    CPPUNIT_TEST(formatsMinorUnitsWithTheCurrencysDigits);
    CPPUNIT_TEST(formatsAnyDigitCountAndSign);
    CPPUNIT_TEST(parsesDecimalsIntoMinorUnits);
    CPPUNIT_TEST(refusesDecimalsItCannotRead);
    CPPUNIT_TEST_SUITE_END();

public:
    void knowsTheIsoExponents() {
        CPPUNIT_ASSERT_EQUAL(2, *currencyExponent("USD"));
        CPPUNIT_ASSERT_EQUAL(2, *currencyExponent("EUR"));
        CPPUNIT_ASSERT_EQUAL(2, *currencyExponent("HUF"));   // ISO's; a provider may take fewer
        for (const char* zero : {"JPY", "KRW", "VND", "CLP", "ISK", "XAF", "XOF", "XPF", "UGX", "BIF", "PYG"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(zero, 0, *currencyExponent(zero));
        for (const char* three : {"KWD", "BHD", "JOD", "OMR", "TND", "IQD", "LYD"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(three, 3, *currencyExponent(three));
        CPPUNIT_ASSERT_EQUAL(4, *currencyExponent("CLF"));
        CPPUNIT_ASSERT(!currencyExponent("XAU"));   // a metal
        CPPUNIT_ASSERT(!currencyExponent("usd"));   // codes are upper case
        CPPUNIT_ASSERT(!currencyExponent("ZZZ"));
        CPPUNIT_ASSERT(!currencyExponent(""));
    }

    void formatsMinorUnitsWithTheCurrencysDigits() {
        CPPUNIT_ASSERT_EQUAL(std::string("12.50"), *amountToDecimal(1250, "USD"));
        CPPUNIT_ASSERT_EQUAL(std::string("0.01"), *amountToDecimal(1, "EUR"));
        CPPUNIT_ASSERT_EQUAL(std::string("0.00"), *amountToDecimal(0, "EUR"));
        CPPUNIT_ASSERT_EQUAL(std::string("500"), *amountToDecimal(500, "JPY"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.234"), *amountToDecimal(1234, "KWD"));
        CPPUNIT_ASSERT_EQUAL(std::string("0.005"), *amountToDecimal(5, "BHD"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0000"), *amountToDecimal(10000, "CLF"));
        CPPUNIT_ASSERT_EQUAL(std::string("-12.50"), *amountToDecimal(-1250, "USD"));   // a refund
        CPPUNIT_ASSERT_EQUAL(std::string("92233720368547758.07"), *amountToDecimal(std::numeric_limits<std::int64_t>::max(), "USD"));
        CPPUNIT_ASSERT_EQUAL(std::string("-92233720368547758.08"), *amountToDecimal(std::numeric_limits<std::int64_t>::min(), "USD"));
        CPPUNIT_ASSERT(!amountToDecimal(100, "XAU"));
    }

    void formatsAnyDigitCountAndSign() {
        CPPUNIT_ASSERT_EQUAL(std::string("100"), formatDecimal(100, 0));
        CPPUNIT_ASSERT_EQUAL(std::string("0.1"), formatDecimal(1, 1));
        CPPUNIT_ASSERT_EQUAL(std::string("-0.05"), formatDecimal(-5, 2));
        CPPUNIT_ASSERT_EQUAL(std::string("0.000000000000000001"), formatDecimal(1, 18));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), powerOfTen(3));
    }

    void parsesDecimalsIntoMinorUnits() {
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1250), *decimalToAmount("12.50", "USD"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1250), *decimalToAmount("12.5", "USD"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(3000), *decimalToAmount("30", "USD"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(50), *decimalToAmount(".50", "USD"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), *decimalToAmount("0.00", "USD"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(500), *decimalToAmount("500", "JPY"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1234), *decimalToAmount("1.234", "KWD"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1200), *decimalToAmount("1.2", "KWD"));
        CPPUNIT_ASSERT_EQUAL(std::numeric_limits<std::int64_t>::max(), *parseDecimal("92233720368547758.07", 2));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(7), *parseDecimal("7", 0));
    }

    void refusesDecimalsItCannotRead() {
        CPPUNIT_ASSERT(!decimalToAmount("12.505", "USD"));   // more digits than the currency has
        CPPUNIT_ASSERT(!decimalToAmount("5.5", "JPY"));
        CPPUNIT_ASSERT(!decimalToAmount("-1.00", "USD"));
        CPPUNIT_ASSERT(!decimalToAmount("+1.00", "USD"));
        CPPUNIT_ASSERT(!decimalToAmount("12.", "USD"));
        CPPUNIT_ASSERT(!decimalToAmount(".", "USD"));
        CPPUNIT_ASSERT(!decimalToAmount("", "USD"));
        CPPUNIT_ASSERT(!decimalToAmount("1e3", "USD"));
        CPPUNIT_ASSERT(!decimalToAmount(" 1.00", "USD"));
        CPPUNIT_ASSERT(!decimalToAmount("1,00", "EUR"));
        CPPUNIT_ASSERT(!decimalToAmount("1.2.3", "USD"));
        CPPUNIT_ASSERT(!decimalToAmount("12.50", "ZZZ"));
        CPPUNIT_ASSERT(!decimalToAmount("92233720368547758.08", "USD"));   // past int64
        CPPUNIT_ASSERT(!decimalToAmount("99999999999999999999", "USD"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MoneyTest);
