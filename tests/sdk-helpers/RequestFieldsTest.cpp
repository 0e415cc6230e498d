// tinko/helpers/fields.hpp, request fields: how the plugins read the host's requests, and the messages
// (naming the field) of the TINKO_ERR_INVALID_INPUT errors they answer with.
#include "tinko/helpers/fields.hpp"

#include "tinko/sdk.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <string>

using namespace tinko::sdk::helpers;
using tinko::json::Value;

namespace {

// The message of the sdk::Error(TINKO_ERR_INVALID_INPUT) `read` throws, or "" when it throws none.
std::string refusal(const std::function<void()>& read) {
    try {
        read();
    } catch (const tinko::sdk::Error& e) {
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_INPUT, e.category());
        return e.message();
    }
    return "";
}

}  // namespace

class RequestFieldsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RequestFieldsTest);
    CPPUNIT_TEST(optionalFieldsAreStringsOrAbsent);
    CPPUNIT_TEST(boundedStringsNameTheirLimit);
    CPPUNIT_TEST(urlsMustBeAbsolute);
    CPPUNIT_TEST(webhookBodyAndHeaders);
    CPPUNIT_TEST_SUITE_END();

public:
    void optionalFieldsAreStringsOrAbsent() {
        const Value request = Value::object({{"a", "x"}, {"n", nullptr}, {"e", ""}, {"i", 7}});
        CPPUNIT_ASSERT_EQUAL(std::string("x"), *optionalString(request, "a"));
        CPPUNIT_ASSERT(!optionalString(request, "n"));
        CPPUNIT_ASSERT(!optionalString(request, "e"));
        CPPUNIT_ASSERT(!optionalString(request, "absent"));
        CPPUNIT_ASSERT_EQUAL(std::string("i must be a string"), refusal([&] { optionalString(request, "i"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("x"), optionalText(request, "a"));
        CPPUNIT_ASSERT_EQUAL(std::string(), optionalText(request, "n"));
        CPPUNIT_ASSERT_EQUAL(std::string(), optionalText(request, "absent"));
        CPPUNIT_ASSERT_EQUAL(std::string("i must be a string"), refusal([&] { optionalText(request, "i"); }));
    }

    void boundedStringsNameTheirLimit() {
        const Value request = Value::object({{"key", "abcd"}});
        CPPUNIT_ASSERT_EQUAL(std::string("abcd"), boundedString(request, "key", 4, "Stripe's"));
        CPPUNIT_ASSERT_EQUAL(std::string("key is longer than Stripe's limit of 3 characters"),
                             refusal([&] { boundedString(request, "key", 3, "Stripe's"); }));
        CPPUNIT_ASSERT(!refusal([&] { boundedString(request, "other", 3, "Stripe's"); }).empty());
    }

    void urlsMustBeAbsolute() {
        const Value request = Value::object({{"ok", "https://shop.example/done"}, {"plain", "http://127.0.0.1/x"},
                                             {"relative", "/done"}});
        CPPUNIT_ASSERT_EQUAL(std::string("https://shop.example/done"), absoluteUrl(request, "ok"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1/x"), absoluteUrl(request, "plain"));
        CPPUNIT_ASSERT_EQUAL(std::string("relative must be an absolute http(s) URL"),
                             refusal([&] { absoluteUrl(request, "relative"); }));
    }

    void webhookBodyAndHeaders() {
        const Value request = Value::object(
            {{"body", "{\"id\":1}"}, {"headers", Value::object({{"x-signature", "abc"}, {"x-number", 7}})}});
        CPPUNIT_ASSERT_EQUAL(std::string("{\"id\":1}"), webhookBody(request));
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), headerOf(request, "x-signature"));
        CPPUNIT_ASSERT_EQUAL(std::string(), headerOf(request, "x-number"));
        CPPUNIT_ASSERT_EQUAL(std::string(), headerOf(request, "x-absent"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), webhookHeaders(request).size());

        const Value bare = Value::object({{"body", 1}, {"headers", "x"}});
        CPPUNIT_ASSERT_EQUAL(std::string("body is required and must be the raw request body as a string"),
                             refusal([&] { webhookBody(bare); }));
        CPPUNIT_ASSERT_EQUAL(std::string("headers is required and must be an object"),
                             refusal([&] { headerOf(bare, "x-signature"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("headers is required and must be an object"),
                             refusal([&] { webhookHeaders(Value::object()); }));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestFieldsTest);
