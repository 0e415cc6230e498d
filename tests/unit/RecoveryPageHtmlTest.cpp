// The recovery page's markup: what the customer reads (merchant, amount, a labelled pay button
// that posts without script), the merchant's colours, and escaping of everything that came from
// merchants or customers.
#include "web/RecoveryPageHtml.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::web;

namespace {
const PageText& english() { return pageTextFor({}); }
const PageText& german() { return pageTextFor({"de-AT"}); }
}  // namespace

class RecoveryPageHtmlTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RecoveryPageHtmlTest);
    CPPUNIT_TEST(thePayPageShowsTheMerchantTheAmountAndAPlainForm);
    CPPUNIT_TEST(theBrandColourAndItsReadableTextAreUsed);
    CPPUNIT_TEST(withoutABrandColourTheDefaultIsUsed);
    CPPUNIT_TEST(merchantTextIsEscaped);
    CPPUNIT_TEST(messagePagesHaveOneHeadingAndTheText);
    CPPUNIT_TEST(theDeclinedPageOffersToTryAgain);
    CPPUNIT_TEST(thePageSpeaksTheCustomersLanguage);
    CPPUNIT_TEST(anotherCardIsOfferedOnlyWhenThePspCanSaveOne);
    CPPUNIT_TEST_SUITE_END();

    static bool has(const std::string& html, const std::string& part) { return html.find(part) != std::string::npos; }
    static std::size_t count(const std::string& html, const std::string& part) {
        std::size_t n = 0;
        for (auto at = html.find(part); at != std::string::npos; at = html.find(part, at + 1)) ++n;
        return n;
    }

public:
    void anotherCardIsOfferedOnlyWhenThePspCanSaveOne() {
        auto plain = payPageHtml(english(), {"Acme", std::nullopt}, {"tok_1", "$1.00", "soon"});
        CPPUNIT_ASSERT(!has(plain, "new-card") && !has(plain, "Use another card"));
        auto offered = payPageHtml(english(), {"Acme", std::nullopt}, {"tok_1", "$1.00", "soon", true});
        // A second plain form, after Pay, posting to the link's new-card action; no script.
        CPPUNIT_ASSERT(has(offered, "<form method=\"post\" action=\"/r/tok_1/new-card\">"
                                    "<button type=\"submit\" class=\"secondary\" aria-describedby=\"where\">Use another card</button></form>"));
        CPPUNIT_ASSERT(offered.find("/r/tok_1/pay") < offered.find("/r/tok_1/new-card"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), count(offered, "<form"));
        CPPUNIT_ASSERT(!has(offered, "<script"));
        CPPUNIT_ASSERT(has(payPageHtml(german(), {"Acme", std::nullopt}, {"t", "1,00 €", "bald", true}), ">Andere Karte verwenden</button>"));
        // The token is escaped like everywhere else.
        CPPUNIT_ASSERT(has(payPageHtml(english(), {"Acme", std::nullopt}, {"a\"b", "$1.00", "soon", true}), "/r/a&quot;b/new-card"));
    }

    void thePayPageShowsTheMerchantTheAmountAndAPlainForm() {
        auto html = payPageHtml(english(), {"Acme Ltd", std::nullopt}, {"tok_123", "$19.99", "2026-11-25 10:00 UTC"});
        CPPUNIT_ASSERT(has(html, "<html lang=\"en\">"));
        CPPUNIT_ASSERT(has(html, "<h1>Complete your payment to Acme Ltd</h1>"));
        CPPUNIT_ASSERT(has(html, "<dt id=\"amount-label\">Amount due</dt><dd id=\"amount\">$19.99</dd>"));
        CPPUNIT_ASSERT(has(html, "<form method=\"post\" action=\"/r/tok_123/pay\">"));
        CPPUNIT_ASSERT(has(html, ">Pay $19.99</button>"));
        CPPUNIT_ASSERT(has(html, "valid until 2026-11-25 10:00 UTC"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), count(html, "<h1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), count(html, "<main>"));
        CPPUNIT_ASSERT(!has(html, "<script"));
        CPPUNIT_ASSERT(has(html, "width=device-width"));
        CPPUNIT_ASSERT(!has(html, "maximum-scale"));   // people may zoom
    }

    void theBrandColourAndItsReadableTextAreUsed() {
        auto html = payPageHtml(english(), {"Sunny Co", std::string("#ffd400")}, {"t", "$1.00", "soon"});
        CPPUNIT_ASSERT(has(html, "background:#ffd400;border:0"));   // the button
        CPPUNIT_ASSERT(has(html, "color:#000000;background:#ffd400"));
        auto accent = buttonColoursFor(std::string("#ffd400")).accent;
        CPPUNIT_ASSERT(has(html, "button:focus-visible{outline:3px solid " + accent));
        CPPUNIT_ASSERT(has(html, "header{background:#ffd400;color:#000000"));
    }

    void withoutABrandColourTheDefaultIsUsed() {
        auto html = payPageHtml(english(), {"Acme", std::nullopt}, {"t", "$1.00", "soon"});
        CPPUNIT_ASSERT(has(html, std::string("color:#ffffff;background:") + kDefaultBrandColour));
    }

    void merchantTextIsEscaped() {
        auto html = payPageHtml(english(), {"<b>Evil</b> & Co", std::nullopt}, {"t\"x", "<$1.00>", "soon"});
        CPPUNIT_ASSERT(!has(html, "<b>Evil"));
        CPPUNIT_ASSERT(has(html, "&lt;b&gt;Evil&lt;/b&gt; &amp; Co"));
        CPPUNIT_ASSERT(has(html, "/r/t&quot;x/pay"));
        CPPUNIT_ASSERT(has(html, "<dd id=\"amount\">&lt;$1.00&gt;</dd>"));
        CPPUNIT_ASSERT(has(html, "<title>Complete your payment to &lt;b&gt;Evil&lt;/b&gt; &amp; Co</title>"));
    }

    void messagePagesHaveOneHeadingAndTheText() {
        auto html = messagePageHtml(english(), {"Acme", std::nullopt}, Phrase::ExpiredTitle, Phrase::ExpiredText,
                                    {{"expires", "2026-11-25 10:00 UTC"}});
        CPPUNIT_ASSERT(has(html, "<title>This link has expired</title>"));
        CPPUNIT_ASSERT(has(html, "<h1>This link has expired</h1><p class=\"muted\">The link expired on 2026-11-25 10:00 UTC. "
                                 "Contact Acme for a new one.</p>"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), count(html, "<h1"));
        CPPUNIT_ASSERT(!has(html, "<form"));
    }

    void theDeclinedPageOffersToTryAgain() {
        auto html = declinedPageHtml(english(), {"Acme", std::nullopt}, "tok");
        CPPUNIT_ASSERT(has(html, "Nothing was charged"));
        CPPUNIT_ASSERT(has(html, "<form method=\"get\" action=\"/r/tok\"><button type=\"submit\">Try again</button>"));
    }

    void thePageSpeaksTheCustomersLanguage() {
        auto html = payPageHtml(german(), {"Müller & Söhne", std::nullopt}, {"t", "19,99 €", "2026-11-25 10:00 UTC"});
        CPPUNIT_ASSERT(has(html, "<html lang=\"de\">"));
        CPPUNIT_ASSERT(has(html, "<h1>Schließen Sie Ihre Zahlung an Müller &amp; Söhne ab</h1>"));
        CPPUNIT_ASSERT(has(html, "<dt id=\"amount-label\">Offener Betrag</dt><dd id=\"amount\">19,99 €</dd>"));
        CPPUNIT_ASSERT(has(html, ">19,99 € bezahlen</button>"));
        CPPUNIT_ASSERT(has(html, "Dieser Link ist gültig bis 2026-11-25 10:00 UTC."));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecoveryPageHtmlTest);
