// The wire encodings of notify-smtp: base64 body lines, quoted-printable, RFC 2047 encoded-words, and the
// text checks in front of them. Expected values come from RFC vectors or Python's base64/quopri.
#include "TextEncoding.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using namespace tinko::smtp;

namespace {

// A decoder written independently of the encoder, to read encoded-words back.
std::string decodeBase64(const std::string& text) {
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned bits = 0, value = 0;
    for (char c : text) {
        if (c == '=') break;
        value = (value << 6) | static_cast<unsigned>(alphabet.find(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((value >> bits) & 0xFF);
        }
    }
    return out;
}

std::vector<std::string> lines(const std::string& crlfText) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t end; (end = crlfText.find("\r\n", start)) != std::string::npos; start = end + 2)
        out.push_back(crlfText.substr(start, end - start));
    if (start < crlfText.size()) out.push_back(crlfText.substr(start));
    return out;
}

}  // namespace

class TextEncodingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TextEncodingTest);
    CPPUNIT_TEST(base64BodyLinesAreAtMost76Characters);
    CPPUNIT_TEST(quotedPrintableEscapesWhatMustBeEscaped);
    CPPUNIT_TEST(quotedPrintableKeepsLinesWithin76WithoutSplittingAnEscape);
    CPPUNIT_TEST(encodedWordsCarryUtf8);
    CPPUNIT_TEST(longEncodedWordsAreFoldedWithoutSplittingACharacter);
    CPPUNIT_TEST(lineBreaksBecomeCrlf);
    CPPUNIT_TEST(utf8ValidationRefusesBrokenSequences);
    CPPUNIT_TEST_SUITE_END();

public:
    void base64BodyLinesAreAtMost76Characters() {
        const std::string body = base64Body(std::string(200, 'x'));
        const std::vector<std::string> parts = lines(body);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), parts.size());   // 268 characters: 76 + 76 + 76 + 40
        CPPUNIT_ASSERT_EQUAL(std::size_t(76), parts[0].size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(40), parts[3].size());
        CPPUNIT_ASSERT_EQUAL(std::string("\r\n"), body.substr(body.size() - 2));
        CPPUNIT_ASSERT_EQUAL(std::string(200, 'x'), decodeBase64(parts[0] + parts[1] + parts[2] + parts[3]));
    }

    void quotedPrintableEscapesWhatMustBeEscaped() {
        // As Python's quopri.encodestring: '=' and non-ASCII escaped, a space at the end of a line too.
        CPPUNIT_ASSERT_EQUAL(std::string("Gr=C3=BC=C3=9Fe =3D 100% =20\r\n"), quotedPrintable("Grüße = 100%  \r\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("tab=09\r\nnext"), quotedPrintable("tab\t\r\nnext"));
        CPPUNIT_ASSERT_EQUAL(std::string("a=0Db"), quotedPrintable("a\rb"));   // a lone CR is data, not a line break
        CPPUNIT_ASSERT_EQUAL(std::string("\r\n\r\n.line"), quotedPrintable("\r\n\r\n.line"));
    }

    void quotedPrintableKeepsLinesWithin76WithoutSplittingAnEscape() {
        const std::string text = std::string(74, 'a') + "é" + std::string(100, 'b');
        const std::string encoded = quotedPrintable(text);
        const std::vector<std::string> parts = lines(encoded);
        CPPUNIT_ASSERT(parts.size() >= 3);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            CPPUNIT_ASSERT_MESSAGE(parts[i], parts[i].size() <= 76);
            if (i + 1 < parts.size()) CPPUNIT_ASSERT_EQUAL('=', parts[i].back());   // soft breaks only
        }
        // 74 a's and "=C3" would be 77 with the soft break: the escape moves to the next line whole.
        CPPUNIT_ASSERT_EQUAL(std::string(74, 'a') + "=", parts[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("=C3=A9"), parts[1].substr(0, 6));
        // A line of exactly 76 characters needs no soft break.
        CPPUNIT_ASSERT_EQUAL(std::string(76, 'c'), quotedPrintable(std::string(76, 'c')));
        CPPUNIT_ASSERT_EQUAL(std::string(75, 'c') + "=\r\ncc", quotedPrintable(std::string(77, 'c')));
    }

    void encodedWordsCarryUtf8() {
        CPPUNIT_ASSERT_EQUAL(std::string("=?UTF-8?B?R3LDvMOfZQ==?="), encodedWords("Grüße"));
    }

    void longEncodedWordsAreFoldedWithoutSplittingACharacter() {
        std::string subject;
        for (int i = 0; i < 30; ++i) subject += "Zahlung ✓ ";   // '✓' is three bytes
        const std::string encoded = encodedWords(subject);
        std::string decoded;
        for (const std::string& line : lines(encoded)) {
            const std::string word = line.front() == ' ' ? line.substr(1) : line;   // folding: CRLF SP
            CPPUNIT_ASSERT_EQUAL(std::string("=?UTF-8?B?"), word.substr(0, 10));
            CPPUNIT_ASSERT_EQUAL(std::string("?="), word.substr(word.size() - 2));
            CPPUNIT_ASSERT_MESSAGE(word, std::string("Subject: ").size() + word.size() <= 78);
            const std::string piece = decodeBase64(word.substr(10, word.size() - 12));
            CPPUNIT_ASSERT_MESSAGE("each word holds whole characters", isValidUtf8(piece));
            decoded += piece;
        }
        CPPUNIT_ASSERT_EQUAL(subject, decoded);
    }

    void lineBreaksBecomeCrlf() {
        CPPUNIT_ASSERT_EQUAL(std::string("a\r\nb\r\nc\r\nd\r\n\r\n"), toCrlf("a\nb\rc\r\nd\n\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("no breaks"), toCrlf("no breaks"));
    }

    void utf8ValidationRefusesBrokenSequences() {
        CPPUNIT_ASSERT(isValidUtf8("plain, Grüße, ✓, 😀"));
        CPPUNIT_ASSERT(!isValidUtf8("\xC3"));                 // cut short
        CPPUNIT_ASSERT(!isValidUtf8("\xC0\xAF"));             // overlong '/'
        CPPUNIT_ASSERT(!isValidUtf8("\xED\xA0\x80"));         // a UTF-16 surrogate
        CPPUNIT_ASSERT(!isValidUtf8("\xF4\x90\x80\x80"));     // beyond U+10FFFF
        CPPUNIT_ASSERT(!isValidUtf8("\xFF"));
        CPPUNIT_ASSERT(isPrintableAscii("Hello, world ~"));
        CPPUNIT_ASSERT(!isPrintableAscii("tab\there"));
        CPPUNIT_ASSERT(!isPrintableAscii("é"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TextEncodingTest);
