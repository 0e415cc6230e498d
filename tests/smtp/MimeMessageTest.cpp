// The message notify-smtp builds: headers, the single-part and multipart/alternative forms, the
// encodings chosen, and the rules for the caller's extra headers.
#include "MimeMessage.h"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <string>
#include <vector>

using namespace tinko::smtp;

namespace {

OutgoingEmail sampleEmail() {
    OutgoingEmail email;
    email.from = Mailbox{"Acme Billing", "billing@acme.example"};
    email.to = Mailbox{"", "jane@example.com"};
    email.subject = "Your payment failed";
    email.text = "Hallo Jürgen,\nIhre Zahlung über 12,00 € ist fehlgeschlagen.\n";
    email.dateUnixSeconds = 1767225600;   // 2026-01-01T00:00:00Z
    email.messageId = "<tinko.0123@acme.example>";
    email.idempotencyKey = "rec_1:step_2";
    email.boundary = "=_tinko_00ff";
    return email;
}

std::vector<std::string> lines(const std::string& crlfText) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t end; (end = crlfText.find("\r\n", start)) != std::string::npos; start = end + 2)
        out.push_back(crlfText.substr(start, end - start));
    return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

class MimeMessageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MimeMessageTest);
    CPPUNIT_TEST(aTextOnlyMessageIsOnePlainPart);
    CPPUNIT_TEST(withHtmlTheMessageIsMultipartAlternativePlainFirst);
    CPPUNIT_TEST(aNonAsciiSubjectIsEncoded);
    CPPUNIT_TEST(aLongSubjectIsFoldedAtSpaces);
    CPPUNIT_TEST(theMessageIsSevenBitWithShortLines);
    CPPUNIT_TEST(oneClickUnsubscribeOnlyWithAnHttpsUrl);
    CPPUNIT_TEST(callerHeadersGoInAfterTheirOwn);
    CPPUNIT_TEST(onlySafeCallerHeadersAreAllowed);
    CPPUNIT_TEST(theBodyEncodingIsTheShorterOne);
    CPPUNIT_TEST(datesAreRfc5322InUtc);
    CPPUNIT_TEST(theMessageIdFollowsTheIdempotencyKey);
    CPPUNIT_TEST(theBoundaryCannotOccurInAnEncodedBody);
    CPPUNIT_TEST_SUITE_END();

public:
    void aTextOnlyMessageIsOnePlainPart() {
        const std::string expected =
            "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"
            "From: Acme Billing <billing@acme.example>\r\n"
            "To: jane@example.com\r\n"
            "Subject: Your payment failed\r\n"
            "Message-ID: <tinko.0123@acme.example>\r\n"
            "MIME-Version: 1.0\r\n"
            "List-Unsubscribe: <mailto:billing@acme.example?subject=unsubscribe>\r\n"
            "X-Tinko-Idempotency-Key: rec_1:step_2\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Hallo J=C3=BCrgen,\r\n"
            "Ihre Zahlung =C3=BCber 12,00 =E2=82=AC ist fehlgeschlagen.\r\n";
        CPPUNIT_ASSERT_EQUAL(expected, buildMessage(sampleEmail()));
    }

    void withHtmlTheMessageIsMultipartAlternativePlainFirst() {
        OutgoingEmail email = sampleEmail();
        email.html = "<p>Hallo J&uuml;rgen</p>";
        email.replyTo = Mailbox{"", "support@acme.example"};
        const std::string message = buildMessage(email);

        CPPUNIT_ASSERT(contains(message, "\r\nReply-To: support@acme.example\r\n"));
        CPPUNIT_ASSERT(contains(message, "\r\nContent-Type: multipart/alternative; boundary=\"=_tinko_00ff\"\r\n\r\n--=_tinko_00ff\r\n"));
        const std::size_t plain = message.find("--=_tinko_00ff\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                                               "Content-Transfer-Encoding: quoted-printable\r\n\r\nHallo J=C3=BCrgen,\r\n");
        const std::size_t html = message.find("\r\n--=_tinko_00ff\r\nContent-Type: text/html; charset=UTF-8\r\n"
                                              "Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>Hallo J&uuml;rgen</p>\r\n");
        const std::size_t end = message.find("\r\n--=_tinko_00ff--\r\n");
        CPPUNIT_ASSERT(plain != std::string::npos);
        CPPUNIT_ASSERT(html != std::string::npos);
        CPPUNIT_ASSERT(end != std::string::npos);
        CPPUNIT_ASSERT(plain < html && html < end);
        CPPUNIT_ASSERT_EQUAL(message.size(), end + std::string("\r\n--=_tinko_00ff--\r\n").size());
        // The header section holds one Content-Type: the multipart one.
        const std::string headers = message.substr(0, message.find("\r\n\r\n"));
        CPPUNIT_ASSERT(!contains(headers, "text/plain"));
    }

    void aNonAsciiSubjectIsEncoded() {
        OutgoingEmail email = sampleEmail();
        email.subject = "Grüße";
        CPPUNIT_ASSERT(contains(buildMessage(email), "\r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n"));
        email.subject = "tab\tinside";   // printable ASCII only goes unencoded
        CPPUNIT_ASSERT(contains(buildMessage(email), "\r\nSubject: =?UTF-8?B?dGFiCWluc2lkZQ==?=\r\n"));
    }

    void aLongSubjectIsFoldedAtSpaces() {
        OutgoingEmail email = sampleEmail();
        email.subject = "Your payment of 12.00 EUR to Acme Online Shop failed, please update your card details today";
        const std::string message = buildMessage(email);
        const std::size_t start = message.find("Subject:");
        const std::string header = message.substr(start, message.find("\r\nMessage-ID:") - start);
        CPPUNIT_ASSERT(contains(header, "\r\n "));   // folded
        for (const std::string& line : lines(header + "\r\n")) CPPUNIT_ASSERT_MESSAGE(line, line.size() <= 78);
        CPPUNIT_ASSERT_EQUAL("Subject: " + email.subject, std::regex_replace(header, std::regex("\r\n"), ""));
    }

    void theMessageIsSevenBitWithShortLines() {
        OutgoingEmail email = sampleEmail();
        email.to = Mailbox{"Jürgen Müller", "j@example.com"};
        email.subject = std::string(3, ' ') + "Ваш платёж не прошёл — пожалуйста, обновите данные карты";
        email.text = std::string(500, 'x') + "\n" + "Здравствуйте!";
        email.html = "<p>" + std::string(300, 'y') + "</p>";
        const std::string message = buildMessage(email);
        for (char c : message) CPPUNIT_ASSERT(static_cast<unsigned char>(c) < 0x80 && c != '\0');
        for (const std::string& line : lines(message)) CPPUNIT_ASSERT_MESSAGE(line, line.size() <= 78);
        CPPUNIT_ASSERT_MESSAGE("no bare CR or LF", !std::regex_search(message, std::regex("\r[^\n]|[^\r]\n")));
    }

    void oneClickUnsubscribeOnlyWithAnHttpsUrl() {
        OutgoingEmail email = sampleEmail();
        CPPUNIT_ASSERT_MESSAGE("RFC 8058 needs an HTTPS URI for one-click", !contains(buildMessage(email), "List-Unsubscribe-Post"));
        email.unsubscribeUrl = "https://acme.example/unsubscribe?t=abc";
        const std::string message = buildMessage(email);
        CPPUNIT_ASSERT(contains(message, "\r\nList-Unsubscribe: <https://acme.example/unsubscribe?t=abc>, "
                                         "<mailto:billing@acme.example?subject=unsubscribe>\r\n"
                                         "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
        email.from = Mailbox{"", "bills+eu@acme.example"};   // an address character a URI must escape
        CPPUNIT_ASSERT(contains(buildMessage(email), "<mailto:bills%2Beu@acme.example?subject=unsubscribe>"));
    }

    void callerHeadersGoInAfterTheirOwn() {
        OutgoingEmail email = sampleEmail();
        email.extraHeaders = {{"X-Campaign", "dunning-2"}, {"List-Id", "Acme billing <billing.acme.example>"}, {"X-Note", "Grüße"}};
        const std::string message = buildMessage(email);
        CPPUNIT_ASSERT(contains(message, "\r\nX-Tinko-Idempotency-Key: rec_1:step_2\r\nX-Campaign: dunning-2\r\n"
                                         "List-Id: Acme billing <billing.acme.example>\r\nX-Note: =?UTF-8?B?R3LDvMOfZQ==?=\r\n"
                                         "Content-Type: text/plain"));
        email.extraHeaders = {{"Bcc", "all@example.com"}};
        CPPUNIT_ASSERT_THROW(buildMessage(email), std::invalid_argument);
    }

    void onlySafeCallerHeadersAreAllowed() {
        for (const char* allowed : {"X-Campaign", "x-mailer", "List-Id", "Feedback-ID", "Precedence", "Auto-Submitted",
                                    "In-Reply-To", "References", "Organization"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(allowed, std::string(), extraHeaderProblem(allowed, "value"));
        for (const char* refused : {"Bcc", "Cc", "From", "To", "Subject", "Date", "Message-ID", "Sender", "Reply-To",
                                    "Return-Path", "Content-Type", "Content-Transfer-Encoding", "MIME-Version",
                                    "List-Unsubscribe", "List-Unsubscribe-Post", "DKIM-Signature", "X-Tinko-Idempotency-Key",
                                    "X-", "Received"}) {
            const std::string problem = extraHeaderProblem(refused, "value");
            CPPUNIT_ASSERT_MESSAGE(refused, contains(problem, "may not be set"));
        }
        CPPUNIT_ASSERT(contains(extraHeaderProblem("X-Bad Name", "v"), "is not a valid header name"));
        CPPUNIT_ASSERT(contains(extraHeaderProblem("X-Bad:Name", "v"), "is not a valid header name"));
        CPPUNIT_ASSERT(contains(extraHeaderProblem("X-Injected", "v\r\nBcc: all@example.com"), "must be one line"));
        CPPUNIT_ASSERT(contains(extraHeaderProblem("X-Long", std::string(901, 'v')), "longer than 900"));
        CPPUNIT_ASSERT(contains(extraHeaderProblem("X-Binary", "\xFF"), "not valid UTF-8"));
    }

    void theBodyEncodingIsTheShorterOne() {
        const EncodedBody german = encodeBody("Ihre Zahlung über 12,00 € ist fehlgeschlagen.");
        CPPUNIT_ASSERT_EQUAL(std::string("quoted-printable"), german.transferEncoding);
        const EncodedBody russian = encodeBody("Здравствуйте! Ваш платёж не прошёл.");
        CPPUNIT_ASSERT_EQUAL(std::string("base64"), russian.transferEncoding);
        // Text is encoded in canonical form, its line breaks as CRLF, in either encoding.
        CPPUNIT_ASSERT_EQUAL(std::string("a\r\nb\r\n"), encodeBody("a\nb\n").content);
        const EncodedBody lines = encodeBody("Привет\nмир\n");
        CPPUNIT_ASSERT_EQUAL(std::string("base64"), lines.transferEncoding);
        CPPUNIT_ASSERT_EQUAL(std::string("0J/RgNC40LLQtdGCDQrQvNC40YANCg==\r\n"), lines.content);
    }

    void datesAreRfc5322InUtc() {
        CPPUNIT_ASSERT_EQUAL(std::string("Thu, 01 Jan 1970 00:00:00 +0000"), rfc5322Date(0));
        CPPUNIT_ASSERT_EQUAL(std::string("Thu, 01 Jan 2026 00:00:00 +0000"), rfc5322Date(1767225600));
        CPPUNIT_ASSERT_EQUAL(std::string("Thu, 29 Feb 2024 12:34:56 +0000"), rfc5322Date(1709210096));
        CPPUNIT_ASSERT_EQUAL(std::string("Fri, 31 Dec 1999 23:59:59 +0000"), rfc5322Date(946684799));
    }

    void theMessageIdFollowsTheIdempotencyKey() {
        const Mailbox from{"Acme", "billing@acme.example"}, to{"", "jane@example.com"};
        const std::string id = messageIdFor("rec_1:step_2", from, to);
        CPPUNIT_ASSERT_MESSAGE(id, std::regex_match(id, std::regex("<tinko\\.[0-9a-f]{32}@acme\\.example>")));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a retry has the same Message-ID", id, messageIdFor("rec_1:step_2", from, to));
        CPPUNIT_ASSERT(id != messageIdFor("rec_1:step_3", from, to));
        CPPUNIT_ASSERT(id != messageIdFor("rec_1:step_2", from, Mailbox{"", "joe@example.com"}));
        CPPUNIT_ASSERT_MESSAGE("the key does not show", !contains(id, "rec_1"));
    }

    void theBoundaryCannotOccurInAnEncodedBody() {
        CPPUNIT_ASSERT_EQUAL(std::string("=_tinko_00ff10"), mimeBoundary({0x00, 0xff, 0x10}));
        // A body that spells the boundary out comes out with its '=' escaped.
        const EncodedBody body = encodeBody("--=_tinko_00ff10\n");
        CPPUNIT_ASSERT(!contains(body.content, "=_tinko_00ff10"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MimeMessageTest);
