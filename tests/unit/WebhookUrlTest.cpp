// recovery/WebhookUrl: the webhook URL handed to plugins is exactly the route the host serves for
// that plugin and org, whatever the public URL's trailing slash, and no name can change its shape.
#include "http/Router.h"
#include "recovery/WebhookUrl.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::recovery::percentEncodePathSegment;
using tinko::recovery::webhookUrl;

class WebhookUrlTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookUrlTest);
    CPPUNIT_TEST(isThePluginsRouteUnderThePublicUrl);
    CPPUNIT_TEST(aTrailingSlashOnThePublicUrlMakesNoDifference);
    CPPUNIT_TEST(aPublicUrlWithAPathKeepsIt);
    CPPUNIT_TEST(namesArePercentEncodedAsPathSegments);
    CPPUNIT_TEST(theRouterReadsBackThePluginAndSlug);
    CPPUNIT_TEST_SUITE_END();

public:
    void isThePluginsRouteUnderThePublicUrl() {
        CPPUNIT_ASSERT_EQUAL(std::string("https://pay.example.com/v1/webhooks/hello-psp/acme-co"),
                             webhookUrl("https://pay.example.com", "hello-psp", "acme-co"));
    }

    void aTrailingSlashOnThePublicUrlMakesNoDifference() {
        const std::string expected = "http://127.0.0.1:8080/v1/webhooks/stripe/acme";
        CPPUNIT_ASSERT_EQUAL(expected, webhookUrl("http://127.0.0.1:8080/", "stripe", "acme"));
        CPPUNIT_ASSERT_EQUAL(expected, webhookUrl("http://127.0.0.1:8080//", "stripe", "acme"));
        CPPUNIT_ASSERT_EQUAL(expected, webhookUrl("http://127.0.0.1:8080", "stripe", "acme"));
    }

    void aPublicUrlWithAPathKeepsIt() {
        CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/tinko/v1/webhooks/paypal/42"),
                             webhookUrl("https://example.com/tinko/", "paypal", "42"));
    }

    void namesArePercentEncodedAsPathSegments() {
        CPPUNIT_ASSERT_EQUAL(std::string("az-AZ_09~"), percentEncodePathSegment("az-AZ_09~"));
        CPPUNIT_ASSERT_EQUAL(std::string("a%2Fb%3Fc%23d%20e%25f"), percentEncodePathSegment("a/b?c#d e%f"));
        CPPUNIT_ASSERT_EQUAL(std::string("%2E%2E"), percentEncodePathSegment(".."));
        CPPUNIT_ASSERT_EQUAL(std::string("%C3%A9%00"), percentEncodePathSegment(std::string("\xC3\xA9\0", 3)));
        CPPUNIT_ASSERT_EQUAL(std::string("https://x.test/v1/webhooks/a%2Fb/c%3Fd"), webhookUrl("https://x.test", "a/b", "c?d"));
    }

    void theRouterReadsBackThePluginAndSlug() {
        // What the webhook route captures from the URL's path is the plugin and slug it was built from.
        tinko::http::Router router;
        router.add("POST", "/v1/webhooks/{plugin}/{org_slug}", tinko::http::Access::Public,
                   [](const tinko::http::HttpRequest&) { return tinko::http::HttpResponse{}; });
        for (const auto& [plugin, slug] : {std::pair<std::string, std::string>{"hello-psp", "acme"},
                                           {"odd plugin/..", "slug?#%"}, {".", ".."}}) {
            const std::string url = webhookUrl("http://h.test/", plugin, slug);
            const auto match = router.match("POST", url.substr(std::string("http://h.test").size()));
            CPPUNIT_ASSERT_MESSAGE(url, match.outcome == tinko::http::RouteMatch::Outcome::Found);
            CPPUNIT_ASSERT_EQUAL(plugin, match.params.at("plugin"));
            CPPUNIT_ASSERT_EQUAL(slug, match.params.at("org_slug"));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookUrlTest);
