// The recovery page speaks the customer's language: the failed payment's customer.locale first,
// then the browser's Accept-Language, else English; amounts are written the way that language
// writes them.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class RecoveryPageLanguageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RecoveryPageLanguageTest);
    CPPUNIT_TEST(theCustomersLocaleChoosesTheLanguage);
    CPPUNIT_TEST(withoutALocaleTheBrowsersLanguageIsUsed);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    void setUp() override {
        host_ = std::make_unique<TestHost>();
        auto loaded = host_->ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        key_ = host_->createOrgWithKey("lang");
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host_->port(), "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})",
                                           jsonBearer(key_)).status);
    }
    void tearDown() override { host_.reset(); }

    // The path of a fresh link for a failed payment of 42.50 EUR by a customer with `customer` (JSON).
    std::string linkFor(const std::string& ref, const std::string& customer) {
        auto event = httpCall(host_->port(), "POST", "/v1/events/payment_failed",
                              R"({"transaction_ref":")" + ref + R"(","amount":4250,"currency":"EUR","customer":)" + customer + "}",
                              jsonBearer(key_));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(event.body, 201, event.status);
        auto link = httpCall(host_->port(), "POST", "/v1/recoveries/by_ref/" + ref + "/link", "", jsonBearer(key_));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);
        const std::string url = link.json()->getValue<std::string>("url");
        return url.substr(url.find("/r/"));
    }
    static bool has(const HttpResult& page, const std::string& part) { return page.body.find(part) != std::string::npos; }

    void theCustomersLocaleChoosesTheLanguage() {
        const std::string path = linkFor("de-1", R"({"email":"jo@example.com","locale":"de-AT"})");
        // The customer's locale wins over the browser's.
        auto page = httpCall(host_->port(), "GET", path, "", {{"Accept-Language", "en-US,en;q=0.9"}});
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, has(page, "<html lang=\"de\">"));
        CPPUNIT_ASSERT_MESSAGE(page.body, has(page, "<dd id=\"amount\">42,50 €</dd>"));
        CPPUNIT_ASSERT_MESSAGE(page.body, has(page, ">42,50 € bezahlen</button>"));

        const std::string french = linkFor("fr-1", R"({"email":"luc@example.com","locale":"fr_FR"})");
        auto paris = httpCall(host_->port(), "GET", french);
        CPPUNIT_ASSERT_MESSAGE(paris.body, has(paris, "<html lang=\"fr\">"));
        CPPUNIT_ASSERT_MESSAGE(paris.body, has(paris, "Finalisez votre paiement à Org lang"));
    }

    void withoutALocaleTheBrowsersLanguageIsUsed() {
        const std::string path = linkFor("any-1", R"({"email":"sam@example.com"})");
        auto spanish = httpCall(host_->port(), "GET", path, "", {{"Accept-Language", "da;q=0.9, es-MX, en;q=0.5"}});
        CPPUNIT_ASSERT_MESSAGE(spanish.body, has(spanish, "<html lang=\"es\">"));
        CPPUNIT_ASSERT_MESSAGE(spanish.body, has(spanish, ">Pagar 42,50 €</button>"));
        auto english = httpCall(host_->port(), "GET", path);
        CPPUNIT_ASSERT_MESSAGE(english.body, has(english, ">Pay €42.50</button>"));
        // An unknown link has no customer: the browser's language tells.
        auto unknown = httpCall(host_->port(), "GET", "/r/not-a-real-token-0123456789", "", {{"Accept-Language", "nl-BE"}});
        CPPUNIT_ASSERT_EQUAL(404, unknown.status);
        CPPUNIT_ASSERT_MESSAGE(unknown.body, has(unknown, "<h1>Deze link is niet geldig</h1>"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecoveryPageLanguageTest);
