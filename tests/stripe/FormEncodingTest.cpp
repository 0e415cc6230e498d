// The stripe plugin's form encoding: bracket nesting as Stripe's libraries send it, and values
// that cannot smuggle in parameters of their own. Decoding with the fake Stripe's decoder checks
// the round trip a real form parser would make.
#include "FormEncoding.h"
#include "StripeContract.h"

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

using tinko::fakes::decodeForm;
using tinko::fakes::FormPairs;
using tinko::json::Value;
using tinko::stripe::encodeForm;

class FormEncodingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FormEncodingTest);
    CPPUNIT_TEST(nestsObjectsAndArraysWithBrackets);
    CPPUNIT_TEST(aValueCannotAddParameters);
    CPPUNIT_TEST(metadataKeysAreEncodedInsideTheBrackets);
    CPPUNIT_TEST(nullSendsAnEmptyValueAndFractionsAreRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void nestsObjectsAndArraysWithBrackets() {
        const Value params = Value::object(
            {{"mode", "payment"},
             {"line_items",
              Value::array({Value::object({{"price_data", Value::object({{"currency", "eur"},
                                                                          {"unit_amount", 1999},
                                                                          {"product_data", Value::object({{"name", "Order 7"}})}})},
                                           {"quantity", 1}}),
                            Value::object({{"price", "price_1"}, {"quantity", 2}})})},
             {"off_session", true}});
        CPPUNIT_ASSERT_EQUAL(std::string("mode=payment"
                                         "&line_items[0][price_data][currency]=eur"
                                         "&line_items[0][price_data][unit_amount]=1999"
                                         "&line_items[0][price_data][product_data][name]=Order%207"
                                         "&line_items[0][quantity]=1"
                                         "&line_items[1][price]=price_1"
                                         "&line_items[1][quantity]=2"
                                         "&off_session=true"),
                             encodeForm(params));
    }

    void aValueCannotAddParameters() {
        const std::string body =
            encodeForm(Value::object({{"success_url", "https://shop.example/done?a=1&mode=setup"}, {"client_reference_id", "7"}}));
        const std::optional<FormPairs> decoded = decodeForm(body);
        CPPUNIT_ASSERT(decoded);
        const FormPairs expected{{"success_url", "https://shop.example/done?a=1&mode=setup"}, {"client_reference_id", "7"}};
        CPPUNIT_ASSERT(expected == *decoded);
    }

    void metadataKeysAreEncodedInsideTheBrackets() {
        const std::string body = encodeForm(Value::object({{"metadata", Value::object({{"order ref", "A&B"}})}}));
        CPPUNIT_ASSERT_EQUAL(std::string("metadata[order%20ref]=A%26B"), body);
        const FormPairs expected{{"metadata[order ref]", "A&B"}};
        CPPUNIT_ASSERT(expected == *decodeForm(body));
    }

    void nullSendsAnEmptyValueAndFractionsAreRefused() {
        CPPUNIT_ASSERT_EQUAL(std::string("description=&amount=5"),
                             encodeForm(Value::object({{"description", nullptr}, {"amount", 5}})));
        CPPUNIT_ASSERT_THROW(encodeForm(Value::object({{"amount", 12.5}})), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(encodeForm(Value::array({1})), std::invalid_argument);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FormEncodingTest);
