// The merchant's colour on the recovery page: parsed strictly, and the pay button's label always
// reads at 4.5:1 or better (WCAG 2.1 AA), whatever colour the merchant picked.
#include "web/BrandColours.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::web;

class BrandColoursTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BrandColoursTest);
    CPPUNIT_TEST(hexColoursAreParsedInEitherCaseAndShortForm);
    CPPUNIT_TEST(anythingElseIsNotAColour);
    CPPUNIT_TEST(contrastMatchesTheWcagReferenceValues);
    CPPUNIT_TEST(darkBrandsGetWhiteTextAndLightBrandsBlack);
    CPPUNIT_TEST(everyColourGivesAReadableButton);
    CPPUNIT_TEST(theAccentIsDarkenedUntilItShowsOnWhite);
    CPPUNIT_TEST(noColourOrABadOneMeansTheDefault);
    CPPUNIT_TEST_SUITE_END();

    static Rgb rgb(const char* hex) { return *parseHexColour(hex); }

public:
    void hexColoursAreParsedInEitherCaseAndShortForm() {
        CPPUNIT_ASSERT_EQUAL(std::string("#1f4fd1"), hexOf(rgb("#1F4FD1")));
        CPPUNIT_ASSERT_EQUAL(std::string("#aabbcc"), hexOf(rgb("#abc")));
        CPPUNIT_ASSERT_EQUAL(std::string("#000000"), hexOf(rgb("#000")));
    }

    void anythingElseIsNotAColour() {
        for (const char* bad : {"", "#", "1f4fd1", "#1f4fd", "#1f4fd1f", "#ggg", "red", "#12 456", "rgb(1,2,3)"})
            CPPUNIT_ASSERT_MESSAGE(bad, !parseHexColour(bad));
    }

    void contrastMatchesTheWcagReferenceValues() {
        CPPUNIT_ASSERT_DOUBLES_EQUAL(21.0, contrastRatio(rgb("#000"), rgb("#fff")), 1e-9);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(1.0, contrastRatio(rgb("#777"), rgb("#777")), 1e-9);
        // #767676 is the lightest grey that passes AA on white; #777777 just fails it.
        CPPUNIT_ASSERT(contrastRatio(rgb("#767676"), rgb("#fff")) >= 4.5);
        CPPUNIT_ASSERT(contrastRatio(rgb("#777777"), rgb("#fff")) < 4.5);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(contrastRatio(rgb("#fff"), rgb("#1f4fd1")), contrastRatio(rgb("#1f4fd1"), rgb("#fff")), 1e-12);
    }

    void darkBrandsGetWhiteTextAndLightBrandsBlack() {
        CPPUNIT_ASSERT_EQUAL(std::string("#ffffff"), buttonColoursFor(std::string("#0a2540")).text);
        CPPUNIT_ASSERT_EQUAL(std::string("#ffffff"), buttonColoursFor(std::string("#1f4fd1")).text);
        CPPUNIT_ASSERT_EQUAL(std::string("#000000"), buttonColoursFor(std::string("#ffd400")).text);
        CPPUNIT_ASSERT_EQUAL(std::string("#000000"), buttonColoursFor(std::string("#7fdbff")).text);
        CPPUNIT_ASSERT_EQUAL(std::string("#ffd400"), buttonColoursFor(std::string("#FFD400")).background);
    }

    void everyColourGivesAReadableButton() {
        double worst = 21;
        for (int r = 0; r < 256; r += 15)
            for (int g = 0; g < 256; g += 15)
                for (int b = 0; b < 256; b += 15) {
                    auto colours = buttonColoursFor(hexOf({r, g, b}));
                    const double ratio = contrastRatio(rgb(colours.text.c_str()), rgb(colours.background.c_str()));
                    CPPUNIT_ASSERT_DOUBLES_EQUAL(ratio, colours.contrast, 1e-9);
                    worst = std::min(worst, ratio);
                }
        CPPUNIT_ASSERT_MESSAGE(std::to_string(worst), worst >= 4.5);
    }

    void theAccentIsDarkenedUntilItShowsOnWhite() {
        CPPUNIT_ASSERT_EQUAL(std::string("#0a2540"), buttonColoursFor(std::string("#0a2540")).accent);
        for (const char* light : {"#ffd400", "#ffffff", "#7fdbff"}) {
            auto accent = buttonColoursFor(std::string(light)).accent;
            CPPUNIT_ASSERT_MESSAGE(light, accent != light);
            CPPUNIT_ASSERT_MESSAGE(light, contrastRatio(rgb(accent.c_str()), rgb("#fff")) >= 3.0);
        }
    }

    void noColourOrABadOneMeansTheDefault() {
        CPPUNIT_ASSERT_EQUAL(std::string(kDefaultBrandColour), buttonColoursFor(std::nullopt).background);
        CPPUNIT_ASSERT_EQUAL(std::string(kDefaultBrandColour), buttonColoursFor(std::string("blue")).background);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BrandColoursTest);
