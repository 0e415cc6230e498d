// Reading SMTP replies from however the bytes arrive, and what an EHLO reply offers.
#include "SmtpReply.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::smtp;

namespace {

std::string protocolErrorFor(const std::string& bytes) {
    ReplyReader reader;
    reader.feed(bytes);
    try {
        while (reader.next()) {
        }
        return "";
    } catch (const ProtocolError& e) {
        return e.what();
    }
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

class SmtpReplyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SmtpReplyTest);
    CPPUNIT_TEST(aOneLineReply);
    CPPUNIT_TEST(aMultiLineReplyEndsAtTheLineWithASpace);
    CPPUNIT_TEST(bytesMayArriveOneAtATime);
    CPPUNIT_TEST(twoRepliesInOneReadAreTwoReplies);
    CPPUNIT_TEST(aBareLineFeedIsTolerated);
    CPPUNIT_TEST(whatIsNotAReplyIsAProtocolError);
    CPPUNIT_TEST(ehloCapabilitiesAreRead);
    CPPUNIT_TEST_SUITE_END();

public:
    void aOneLineReply() {
        ReplyReader reader;
        reader.feed("220 mx.example.com ESMTP ready\r\n");
        const auto reply = reader.next();
        CPPUNIT_ASSERT(reply.has_value());
        CPPUNIT_ASSERT_EQUAL(220, reply->code);
        CPPUNIT_ASSERT_EQUAL(std::string("220 mx.example.com ESMTP ready"), reply->summary());
        CPPUNIT_ASSERT(reply->isPositive());
        CPPUNIT_ASSERT(!reader.next().has_value());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), reader.buffered());

        reader.feed("354\r\n");   // a code alone is a complete reply
        CPPUNIT_ASSERT_EQUAL(354, reader.next()->code);
    }

    void aMultiLineReplyEndsAtTheLineWithASpace() {
        ReplyReader reader;
        reader.feed("550-5.1.1 The email account that you tried to reach does not exist.\r\n550-5.1.1 Please try\r\n");
        CPPUNIT_ASSERT_MESSAGE("not complete before its last line", !reader.next().has_value());
        reader.feed("550 5.1.1 double-checking the recipient's address.\r\n");
        const auto reply = reader.next();
        CPPUNIT_ASSERT(reply.has_value());
        CPPUNIT_ASSERT_EQUAL(550, reply->code);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), reply->lines.size());
        CPPUNIT_ASSERT(reply->isPermanentFailure());
        CPPUNIT_ASSERT_EQUAL(std::string("550 5.1.1 The email account that you tried to reach does not exist. / 5.1.1 Please try / "
                                         "5.1.1 double-checking the recipient's address."),
                             reply->summary());
    }

    void bytesMayArriveOneAtATime() {
        const std::string bytes = "250-smtp.example.com\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n";
        ReplyReader reader;
        std::optional<SmtpReply> reply;
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            CPPUNIT_ASSERT_MESSAGE("nothing complete before the end", !reply);
            reader.feed(bytes.substr(i, 1));
            reply = reader.next();
        }
        CPPUNIT_ASSERT(reply.has_value());
        CPPUNIT_ASSERT_EQUAL(250, reply->code);
        CPPUNIT_ASSERT_EQUAL(std::string("AUTH PLAIN LOGIN"), reply->lines.at(2));
    }

    void twoRepliesInOneReadAreTwoReplies() {
        ReplyReader reader;
        reader.feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go");
        CPPUNIT_ASSERT_EQUAL(std::string("250 2.1.0 Ok"), reader.next()->summary());
        CPPUNIT_ASSERT_EQUAL(std::string("250 2.1.5 Ok"), reader.next()->summary());
        CPPUNIT_ASSERT(!reader.next().has_value());
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), reader.buffered());   // "354 go" waits for its line end
    }

    void aBareLineFeedIsTolerated() {
        ReplyReader reader;
        reader.feed("421-closing\n421 try later\n");
        const auto reply = reader.next();
        CPPUNIT_ASSERT_EQUAL(421, reply->code);
        CPPUNIT_ASSERT(reply->isTransientFailure());
        CPPUNIT_ASSERT_EQUAL(std::string("try later"), reply->lines.at(1));
    }

    void whatIsNotAReplyIsAProtocolError() {
        CPPUNIT_ASSERT(contains(protocolErrorFor("HTTP/1.1 400 Bad Request\r\n"), "not an SMTP reply: 'HTTP/1.1 400 Bad Request'"));
        CPPUNIT_ASSERT(contains(protocolErrorFor("25 short\r\n"), "not an SMTP reply"));
        CPPUNIT_ASSERT(contains(protocolErrorFor("250_odd separator\r\n"), "not an SMTP reply"));
        CPPUNIT_ASSERT(contains(protocolErrorFor("250-first\r\n550 second\r\n"), "changed the reply code within one reply (250 then 550)"));
        CPPUNIT_ASSERT(contains(protocolErrorFor(std::string(5000, 'x')), "without an end"));
        std::string endless;
        for (int i = 0; i < 300; ++i) endless += "250-more\r\n";
        CPPUNIT_ASSERT(contains(protocolErrorFor(endless), "more than 256 lines"));
    }

    void ehloCapabilitiesAreRead() {
        ReplyReader reader;
        reader.feed("250-smtp.example.com Hello\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-starttls\r\n"
                    "250-AUTH login Plain XOAUTH2\r\n250 SMTPUTF8\r\n");
        const EhloCapabilities offered = EhloCapabilities::of(*reader.next());
        CPPUNIT_ASSERT(offered.startTls);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), offered.authMechanisms.size());
        CPPUNIT_ASSERT(offered.authMechanisms.count("PLAIN") && offered.authMechanisms.count("LOGIN"));

        reader.feed("250-old.example.com\r\n250 AUTH=LOGIN\r\n");   // the pre-RFC 4954 form
        const EhloCapabilities old = EhloCapabilities::of(*reader.next());
        CPPUNIT_ASSERT(!old.startTls);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), old.authMechanisms.count("LOGIN"));

        // The greeting line is the server's name, not an extension, even when it reads like one.
        reader.feed("250 STARTTLS\r\n");
        CPPUNIT_ASSERT(!EhloCapabilities::of(*reader.next()).startTls);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SmtpReplyTest);
