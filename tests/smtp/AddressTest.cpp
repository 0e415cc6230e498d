// Addresses as notify-smtp accepts them for from, reply_to and to, and how they appear in headers.
#include "Address.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::smtp;

namespace {

// Why `text` is refused, or "" when it is accepted.
std::string refusal(const std::string& text) {
    try {
        parseMailbox(text);
        return "";
    } catch (const AddressError& e) {
        return e.what();
    }
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

class AddressTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AddressTest);
    CPPUNIT_TEST(aBareAddressHasNoName);
    CPPUNIT_TEST(aNameComesBeforeTheAngleBrackets);
    CPPUNIT_TEST(aQuotedNameIsUnquoted);
    CPPUNIT_TEST(lineBreaksCannotSmuggleInHeadersOrCommands);
    CPPUNIT_TEST(malformedAddressesAreRefusedWithTheReason);
    CPPUNIT_TEST(headersQuoteOrEncodeNamesAsNeeded);
    CPPUNIT_TEST_SUITE_END();

public:
    void aBareAddressHasNoName() {
        const Mailbox m = parseMailbox("  jane.doe+billing@mail.example.com ");
        CPPUNIT_ASSERT_EQUAL(std::string(""), m.displayName);
        CPPUNIT_ASSERT_EQUAL(std::string("jane.doe+billing@mail.example.com"), m.address);
        CPPUNIT_ASSERT_EQUAL(std::string("mail.example.com"), m.domain());
        CPPUNIT_ASSERT_EQUAL(std::string("tinko@localhost"), parseMailbox("tinko@localhost").address);
    }

    void aNameComesBeforeTheAngleBrackets() {
        const Mailbox m = parseMailbox("Acme Billing <billing@acme.example>");
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Billing"), m.displayName);
        CPPUNIT_ASSERT_EQUAL(std::string("billing@acme.example"), m.address);
        CPPUNIT_ASSERT_EQUAL(std::string("Jürgen Müller"), parseMailbox("Jürgen Müller <j@example.com>").displayName);
        CPPUNIT_ASSERT_EQUAL(std::string(""), parseMailbox("<j@example.com>").displayName);
    }

    void aQuotedNameIsUnquoted() {
        CPPUNIT_ASSERT_EQUAL(std::string("Doe, Jane"), parseMailbox("\"Doe, Jane\" <jane@example.com>").displayName);
        CPPUNIT_ASSERT_EQUAL(std::string("say \"hi\""), parseMailbox("\"say \\\"hi\\\"\" <a@example.com>").displayName);
    }

    void lineBreaksCannotSmuggleInHeadersOrCommands() {
        CPPUNIT_ASSERT(contains(refusal("jane@example.com\r\nBcc: all@example.com"), "line break"));
        CPPUNIT_ASSERT(contains(refusal("jane@example.com>\r\nRCPT TO:<x@evil.example"), "line break"));
        CPPUNIT_ASSERT(contains(refusal("Jane\n <jane@example.com>"), "line break"));
        CPPUNIT_ASSERT(contains(refusal("a@example.com, b@example.com"), "needs quoting"));
        CPPUNIT_ASSERT(contains(refusal("A <a@example.com> <b@example.com>"), "more than one"));
    }

    void malformedAddressesAreRefusedWithTheReason() {
        CPPUNIT_ASSERT(contains(refusal("jane.example.com"), "has no '@'"));
        CPPUNIT_ASSERT(contains(refusal("@example.com"), "before '@' is empty"));
        CPPUNIT_ASSERT(contains(refusal("jane@"), "domain after '@' is empty"));
        CPPUNIT_ASSERT(contains(refusal("jane..doe@example.com"), "misplaced dot"));
        CPPUNIT_ASSERT(contains(refusal("jane@example..com"), "not a valid host name"));
        CPPUNIT_ASSERT(contains(refusal("jane@-example.com"), "starts or ends with '-'"));
        CPPUNIT_ASSERT(contains(refusal("jürgen@example.com"), "SMTPUTF8"));
        CPPUNIT_ASSERT(contains(refusal("Jane <jane@example.com> x"), "nothing may follow"));
        CPPUNIT_ASSERT(contains(refusal(std::string(65, 'a') + "@example.com"), "longer than 64"));
        CPPUNIT_ASSERT(contains(refusal(""), "empty"));
        CPPUNIT_ASSERT(contains(refusal("\"Jane <jane@example.com>"), "quotes"));
        CPPUNIT_ASSERT(contains(refusal(std::string(201, 'J') + " <j@example.com>"), "longer than 200"));
    }

    void headersQuoteOrEncodeNamesAsNeeded() {
        CPPUNIT_ASSERT_EQUAL(std::string("jane@example.com"), formatMailbox(parseMailbox("jane@example.com")));
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Billing <billing@acme.example>"),
                             formatMailbox(parseMailbox("Acme Billing <billing@acme.example>")));
        CPPUNIT_ASSERT_EQUAL(std::string("\"Doe, Jane\" <jane@example.com>"),
                             formatMailbox(parseMailbox("\"Doe, Jane\" <jane@example.com>")));
        CPPUNIT_ASSERT_EQUAL(std::string("\"say \\\"hi\\\"\" <a@example.com>"), formatMailbox(Mailbox{"say \"hi\"", "a@example.com"}));
        CPPUNIT_ASSERT_EQUAL(std::string("=?UTF-8?B?R3LDvMOfZQ==?= <a@example.com>"), formatMailbox(Mailbox{"Grüße", "a@example.com"}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AddressTest);
