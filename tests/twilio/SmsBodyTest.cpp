// The SMS text as Twilio gets it (SmsBody.h): at most 1600 characters counted as code points, cut
// at a word boundary with "…", never inside a UTF-8 sequence, and never through a link: the
// recovery link always arrives whole.
#include "SmsBody.h"
#include "TwilioTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::twilio;
using namespace tinko::twilio::test;

namespace {

const std::string kLink = "https://pay.tinko.example/r/7Gq2xZ";
const std::string kMark = "\xE2\x80\xA6";   // …

// `word` followed by a space, as often as it takes to reach `characters` characters or more.
std::string words(const std::string& word, std::size_t characters) {
    std::string out;
    while (countCharacters(out) < characters) out += word + " ";
    return out;
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

class SmsBodyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SmsBodyTest);
    CPPUNIT_TEST(charactersAreCodePointsNotBytes);
    CPPUNIT_TEST(aTextThatFitsIsSentAsItIs);
    CPPUNIT_TEST(aLongTextIsCutAtAWordBoundaryWithTheMark);
    CPPUNIT_TEST(aMultibyteTextIsNeverCutInsideACharacter);
    CPPUNIT_TEST(aTextWithoutSpacesIsCutAtACharacter);
    CPPUNIT_TEST(aLinkBeforeTheCutStaysInPlace);
    CPPUNIT_TEST(aLinkTheCutWouldDropFollowsTheMark);
    CPPUNIT_TEST(aLinkAcrossTheCutIsKeptWhole);
    CPPUNIT_TEST(aLinkThatCannotFitIsRefused);
    CPPUNIT_TEST(utf8IsChecked);
    CPPUNIT_TEST_SUITE_END();

public:
    void charactersAreCodePointsNotBytes() {
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), countCharacters("hello"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), countCharacters("caf\xC3\xA9"));           // café
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), countCharacters("\xF0\x9F\x91\x8D!"));      // 👍!
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countCharacters(kMark));
    }

    void aTextThatFitsIsSentAsItIs() {
        const std::string shortText = "Your payment failed: " + kLink;
        CPPUNIT_ASSERT_EQUAL(shortText, fitSmsBody(shortText));
        const std::string exactly(1600, 'a');
        CPPUNIT_ASSERT_EQUAL(exactly, fitSmsBody(exactly));
        std::string emoji;   // 1600 characters, 6400 bytes: fits, because characters are counted
        for (int i = 0; i < 1600; ++i) emoji += "\xF0\x9F\x91\x8D";
        CPPUNIT_ASSERT_EQUAL(emoji, fitSmsBody(emoji));
    }

    void aLongTextIsCutAtAWordBoundaryWithTheMark() {
        const std::string text = words("payment", 1700);
        const std::string body = fitSmsBody(text);
        CPPUNIT_ASSERT(countCharacters(body) <= 1600);
        CPPUNIT_ASSERT(countCharacters(body) > 1590);
        CPPUNIT_ASSERT(endsWith(body, "payment" + kMark));   // a whole word, then the mark
        CPPUNIT_ASSERT_EQUAL(text.substr(0, body.size() - kMark.size()), body.substr(0, body.size() - kMark.size()));
        // 1601 characters: one too many is cut too.
        const std::string justOver = std::string(1595, 'a') + " bcde";
        CPPUNIT_ASSERT_EQUAL(std::size_t(1600), countCharacters(justOver));
        CPPUNIT_ASSERT_EQUAL(std::string(1595, 'a') + kMark, fitSmsBody(justOver + "f"));
    }

    void aMultibyteTextIsNeverCutInsideACharacter() {
        const std::string text = words("\xC3\xA9t\xC3\xA9 \xF0\x9F\x91\x8D \xE4\xBD\xA0\xE5\xA5\xBD", 2000);   // été 👍 你好
        const std::string body = fitSmsBody(text);
        CPPUNIT_ASSERT(isValidUtf8(body));
        CPPUNIT_ASSERT(countCharacters(body) <= 1600);
        CPPUNIT_ASSERT(body.size() > 1600);   // more bytes than characters: the limit is on characters
        CPPUNIT_ASSERT(endsWith(body, kMark));
        const std::string kept = body.substr(0, body.size() - kMark.size());
        CPPUNIT_ASSERT_EQUAL(text.substr(0, kept.size()), kept);
        CPPUNIT_ASSERT(text[kept.size()] == ' ');   // the cut was at a space
    }

    void aTextWithoutSpacesIsCutAtACharacter() {
        std::string text;
        for (int i = 0; i < 2000; ++i) text += "\xE4\xBD\xA0";   // 你 x 2000, no spaces
        const std::string body = fitSmsBody(text);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1600), countCharacters(body));
        CPPUNIT_ASSERT(isValidUtf8(body));
        CPPUNIT_ASSERT(endsWith(body, "\xE4\xBD\xA0" + kMark));
    }

    void aLinkBeforeTheCutStaysInPlace() {
        const std::string text = "Pay here: " + kLink + " " + words("thanks", 1700);
        const std::string body = fitSmsBody(text);
        CPPUNIT_ASSERT(startsWith(body, "Pay here: " + kLink + " thanks"));
        CPPUNIT_ASSERT(endsWith(body, "thanks" + kMark));
        CPPUNIT_ASSERT(countCharacters(body) <= 1600);
    }

    void aLinkTheCutWouldDropFollowsTheMark() {
        const std::string text = words("Sorry", 1700) + "update your card: " + kLink;
        const std::string body = fitSmsBody(text);
        CPPUNIT_ASSERT(endsWith(body, "Sorry" + kMark + " " + kLink));
        CPPUNIT_ASSERT(countCharacters(body) <= 1600);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), [&] {
            std::size_t n = 0;
            for (std::size_t at = body.find("https://"); at != std::string::npos; at = body.find("https://", at + 1)) ++n;
            return n;
        }());
    }

    void aLinkAcrossTheCutIsKeptWhole() {
        // The link starts about 40 characters before the limit and ends after it; "!" is glued on.
        const std::string link = "https://pay.tinko.example/r/abcdefghij0123456789";
        const std::string text = words("abcd", 1560) + link + "! " + words("more", 200);
        const std::string body = fitSmsBody(text);
        CPPUNIT_ASSERT_MESSAGE(body, endsWith(body, "abcd" + kMark + " " + link + "!"));
        CPPUNIT_ASSERT(countCharacters(body) <= 1600);
        CPPUNIT_ASSERT(countCharacters(body) > 1540);
        CPPUNIT_ASSERT_EQUAL(body.find("https://"), body.rfind("https://"));   // once
    }

    void aLinkThatCannotFitIsRefused() {
        const std::string huge = "https://pay.tinko.example/r/" + std::string(1700, 'q');
        const std::string error = errorOf([&] { fitSmsBody("Pay: " + huge); });
        CPPUNIT_ASSERT_MESSAGE(error, startsWith(error, kind(TINKO_ERR_INVALID_INPUT, false)));
        CPPUNIT_ASSERT_MESSAGE(error, error.find("link") != std::string::npos);
    }

    void utf8IsChecked() {
        CPPUNIT_ASSERT(isValidUtf8("plain, caf\xC3\xA9, \xF0\x9F\x91\x8D"));
        CPPUNIT_ASSERT(!isValidUtf8("\xC3"));               // cut short
        CPPUNIT_ASSERT(!isValidUtf8("\xC0\xAF"));           // overlong "/"
        CPPUNIT_ASSERT(!isValidUtf8("\xED\xA0\x80"));       // a UTF-16 surrogate
        CPPUNIT_ASSERT(!isValidUtf8("\xF4\x90\x80\x80"));   // past U+10FFFF
        CPPUNIT_ASSERT(!isValidUtf8("\x80"));               // a lone continuation byte
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SmsBodyTest);
