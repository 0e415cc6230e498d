// What the ops console stands on: the org's brand colour (PATCH /v1/org, PATCH /v1/admin/orgs/{slug})
// shown on its recovery page; ops reading any org's recent recoveries, one recovery with its steps,
// and its analytics; and the console's own files, served with a policy that runs only them.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>

using namespace tinko::test;

class OpsViewsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OpsViewsTest);
    CPPUNIT_TEST(anOrgSetsItsBrandColourAndThePayButtonWearsIt);
    CPPUNIT_TEST(aBadBrandColourIsRefusedAndChangesNothing);
    CPPUNIT_TEST(opsSetTheColourToo);
    CPPUNIT_TEST(opsReadAnOrgsRecentRecoveriesAndOneWithItsSteps);
    CPPUNIT_TEST(opsViewsAreForOpsOnly);
    CPPUNIT_TEST(opsReadAnOrgsAnalytics);
    CPPUNIT_TEST(theConsoleIsServedWithItsOwnScriptOnly);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared;
        return shared;
    }
    // Two orgs whose PSP is the test-echo plugin, each with one failed payment.
    static const std::string& key(const std::string& slug) {
        static std::map<std::string, std::string> keys = [] {
            auto loaded = host().ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}");
            if (loaded.status != 201) throw std::runtime_error(loaded.body);
            std::map<std::string, std::string> out;
            for (const std::string s : {"brand", "other"}) {
                out[s] = host().createOrgWithKey(s);
                auto psp = httpCall(host().port(), "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})",
                                    jsonBearer(out[s]));
                if (psp.status != 200) throw std::runtime_error(psp.body);
                auto event = httpCall(host().port(), "POST", "/v1/events/payment_failed",
                                      R"({"transaction_ref":")" + s + R"(-order-1","amount":4250,"currency":"EUR","customer":{"email":"ann@example.com"}})",
                                      jsonBearer(out[s]));
                if (event.status != 201) throw std::runtime_error(event.body);
            }
            return out;
        }();
        return keys.at(slug);
    }
    static HttpResult asOrg(const std::string& slug, const std::string& method, const std::string& path,
                            const std::string& body = "") {
        return httpCall(host().port(), method, path, body, jsonBearer(key(slug)));
    }
    static std::string payPage(const std::string& slug) {
        auto link = asOrg(slug, "POST", "/v1/recoveries/by_ref/" + slug + "-order-1/link");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);
        const std::string url = link.json()->getValue<std::string>("url");
        auto page = httpCall(host().port(), "GET", url.substr(url.find("/r/")));
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        return page.body;
    }

    void anOrgSetsItsBrandColourAndThePayButtonWearsIt() {
        auto set = asOrg("brand", "PATCH", "/v1/org", R"({"brand_color":"#FFD400"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(set.body, 200, set.status);
        CPPUNIT_ASSERT_EQUAL(std::string("#ffd400"), set.json()->getValue<std::string>("brand_color"));
        CPPUNIT_ASSERT_EQUAL(std::string("#ffd400"), asOrg("brand", "GET", "/v1/org").json()->getValue<std::string>("brand_color"));
        const std::string page = payPage("brand");
        CPPUNIT_ASSERT_MESSAGE(page, page.find("color:#000000;background:#ffd400") != std::string::npos);   // black on yellow
        CPPUNIT_ASSERT(page.find("<dd id=\"amount\">€42.50</dd>") != std::string::npos);
        // The other org's page keeps the default.
        CPPUNIT_ASSERT(payPage("other").find("color:#ffffff;background:#1f4fd1") != std::string::npos);

        auto reset = asOrg("brand", "PATCH", "/v1/org", R"({"brand_color":null})");
        CPPUNIT_ASSERT_EQUAL(200, reset.status);
        CPPUNIT_ASSERT(reset.json()->isNull("brand_color"));
        CPPUNIT_ASSERT(payPage("brand").find("background:#1f4fd1") != std::string::npos);
    }

    void aBadBrandColourIsRefusedAndChangesNothing() {
        CPPUNIT_ASSERT_EQUAL(200, asOrg("brand", "PATCH", "/v1/org", R"({"brand_color":"#0a7d4f"})").status);
        for (const std::string body : {R"({"brand_color":"green"})", R"({"brand_color":"#0a7d4"})", R"({"brand_color":12})",
                                       R"({"brand_colour":"#000000"})"}) {
            auto refused = asOrg("brand", "PATCH", "/v1/org", body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body + " -> " + refused.body, 422, refused.status);
            CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), refused.header("content-type"));
            CPPUNIT_ASSERT_MESSAGE(refused.body, refused.body.find("brand_colo") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("#0a7d4f"), asOrg("brand", "GET", "/v1/org").json()->getValue<std::string>("brand_color"));
    }

    void opsSetTheColourToo() {
        key("other");
        auto set = host().ops("PATCH", "/v1/admin/orgs/other", R"({"brand_color":"#0a2540"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(set.body, 200, set.status);
        auto listed = host().ops("GET", "/v1/admin/orgs").json()->getArray("data");
        bool seen = false;
        for (std::size_t i = 0; i < listed->size(); ++i)
            if (listed->getObject(i)->getValue<std::string>("slug") == "other")
                seen = listed->getObject(i)->getValue<std::string>("brand_color") == "#0a2540";
        CPPUNIT_ASSERT(seen);
        CPPUNIT_ASSERT_EQUAL(404, host().ops("PATCH", "/v1/admin/orgs/nobody", R"({"brand_color":"#0a2540"})").status);
        CPPUNIT_ASSERT_EQUAL(200, host().ops("PATCH", "/v1/admin/orgs/other", R"({"brand_color":null})").status);
    }

    void opsReadAnOrgsRecentRecoveriesAndOneWithItsSteps() {
        key("brand");
        auto list = host().ops("GET", "/v1/admin/orgs/brand/recoveries?limit=10");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, 200, list.status);
        auto data = list.json()->getArray("data");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), data->size());
        auto summary = data->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("brand-order-1"), summary->getValue<std::string>("transaction_ref"));
        CPPUNIT_ASSERT_EQUAL(4250LL, summary->getValue<long long>("amount"));
        CPPUNIT_ASSERT_EQUAL(std::string("active"), summary->getValue<std::string>("state"));

        const std::string id = std::to_string(summary->getValue<long long>("id"));
        auto detail = host().ops("GET", "/v1/admin/orgs/brand/recoveries/" + id);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(detail.body, 200, detail.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), detail.json()->getArray("steps")->size());   // the default policy
        CPPUNIT_ASSERT_EQUAL(std::string("email"), detail.json()->getArray("steps")->getObject(0)->getValue<std::string>("channel"));
        // The same recovery asked for under another org is not found.
        CPPUNIT_ASSERT_EQUAL(404, host().ops("GET", "/v1/admin/orgs/other/recoveries/" + id).status);
        CPPUNIT_ASSERT_EQUAL(404, host().ops("GET", "/v1/admin/orgs/brand/recoveries/x1").status);
        CPPUNIT_ASSERT_EQUAL(404, host().ops("GET", "/v1/admin/orgs/nobody/recoveries").status);
        CPPUNIT_ASSERT_EQUAL(400, host().ops("GET", "/v1/admin/orgs/brand/recoveries?limit=0").status);
    }

    void opsViewsAreForOpsOnly() {
        for (const std::string path : {"/v1/admin/orgs/brand/recoveries", "/v1/admin/orgs/brand/analytics/summary"}) {
            CPPUNIT_ASSERT_EQUAL(401, httpCall(host().port(), "GET", path).status);
            auto asOrgKey = asOrg("brand", "GET", path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(asOrgKey.body, 403, asOrgKey.status);
            CPPUNIT_ASSERT(asOrgKey.body.find("brand-order-1") == std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(403, asOrg("brand", "PATCH", "/v1/admin/orgs/other", R"({"brand_color":"#000000"})").status);
    }

    void opsReadAnOrgsAnalytics() {
        key("brand");
        auto summary = host().ops("GET", "/v1/admin/orgs/brand/analytics/summary");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary.body, 200, summary.status);
        CPPUNIT_ASSERT_EQUAL(1LL, summary.json()->getValue<long long>("recoveries"));
        CPPUNIT_ASSERT(summary.json()->getArray("by_day")->size() >= 1);
        CPPUNIT_ASSERT_EQUAL(400, host().ops("GET", "/v1/admin/orgs/brand/analytics/summary?from=yesterday").status);
    }

    void theConsoleIsServedWithItsOwnScriptOnly() {
        auto index = httpCall(host().port(), "GET", "/console");
        CPPUNIT_ASSERT_EQUAL(200, index.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), index.header("content-type"));
        CPPUNIT_ASSERT(index.body.find("console.js") != std::string::npos);
        CPPUNIT_ASSERT(index.header("content-security-policy").find("script-src 'self'") != std::string::npos);
        auto script = httpCall(host().port(), "GET", "/console/console.js");
        CPPUNIT_ASSERT_EQUAL(200, script.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/javascript; charset=utf-8"), script.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(tinko::test::readFile(TINKO_SOURCE_DIR "/host/console/console.js"), script.body);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(host().port(), "GET", "/console/secret.key").status);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(host().port(), "GET", "/console/..%2Fsecret.key").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OpsViewsTest);
