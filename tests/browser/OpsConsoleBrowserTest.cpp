// An operator in Chromium: signs in to /console, uploads a plugin file to swap (a file that is not
// a plugin first, refused), opens a recovery's steps, sees the charts, and the org's webhook
// endpoints (one disabled by Tinko, saying why) and recent deliveries (ops-console.mjs). Here: the
// host with a plugin to swap and an org with a recovery and endpoints, and what the host says
// after the swap.
#include "BrowserScript.h"
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include "security/SecretTokens.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

class OpsConsoleBrowserTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OpsConsoleBrowserTest);
    CPPUNIT_TEST(anOperatorSwapsAPluginAndReadsARecovery);
    CPPUNIT_TEST_SUITE_END();

    static Poco::JSON::Object::Ptr activeGeneration(TestHost& host, const std::string& name) {
        auto plugins = host.ops("GET", "/v1/plugins").json()->getArray("data");
        for (std::size_t i = 0; i < plugins->size(); ++i) {
            auto p = plugins->getObject(i);
            if (p->getValue<std::string>("name") == name && p->getValue<std::string>("state") == "active") return p;
        }
        return nullptr;
    }

    // Two endpoints, the second disabled by Tinko (as after a 410), and one delivery to the first
    // with a failed attempt: an event inserted and fanned out as the dispatcher does.
    static void addWebhooks(TestHost& host, const std::string& key) {
        for (const char* url : {"https://erp.example.com/tinko-events", "https://old.example.com/hooks"}) {
            auto r = httpCall(host.port(), "POST", "/v1/webhook-endpoints",
                              std::string(R"({"url":")") + url + R"(","events":["*"]})", jsonBearer(key));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        }
        tinko::store::PgConnection db(host.databaseUrl);
        db.query("UPDATE webhook_endpoints SET disabled = true, disabled_at = now(),"
                 " disabled_reason = 'the endpoint answered 410 Gone' WHERE url = 'https://old.example.com/hooks' RETURNING id");
        const std::string event = *db.query("INSERT INTO merchant_events (org_id, type, data)"
                                            " SELECT id, 'recovery.cancelled', '{}'::jsonb FROM orgs WHERE slug = 'acme'"
                                            " RETURNING id::text")[0][0];
        CPPUNIT_ASSERT(waitUntil([&] {
            db.query("SELECT dispatch_merchant_events(100)");
            return !db.query("SELECT id FROM webhook_deliveries WHERE event_id = $1::bigint", {event}).empty();
        }, 10s));
        db.query("INSERT INTO webhook_delivery_attempts (delivery_id, status_code, error, duration_ms)"
                 " SELECT id, 503, 'the endpoint answered 503', 12 FROM webhook_deliveries WHERE event_id = $1::bigint RETURNING id",
                 {event});
        db.query("UPDATE webhook_deliveries SET attempts = 1, last_status = 503, last_error = 'the endpoint answered 503'"
                 " WHERE event_id = $1::bigint RETURNING id", {event});
    }

public:
    void anOperatorSwapsAPluginAndReadsARecovery() {
        TestHost host;
        auto loaded = host.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        const std::string key = host.createOrgWithKey("acme");
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})",
                                           jsonBearer(key)).status);
        auto failed = httpCall(host.port(), "POST", "/v1/events/payment_failed",
                               R"({"transaction_ref":"order-42","amount":4500,"currency":"JPY","customer":{"email":"ken@example.com"}})",
                               jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(failed.body, 201, failed.status);
        addWebhooks(host, key);

        const std::vector<std::string> shots{"console-plugins", "console-refused", "console-swapped", "console-recovery",
                                             "console-charts", "console-webhooks"};
        for (const auto& shot : shots) removeArtifact(shot);
        auto run = runBrowserScript("ops-console.mjs", {{"TINKO_CONSOLE_URL", "http://127.0.0.1:" + std::to_string(host.port()) + "/console"},
                                                        {"TINKO_OPS_TOKEN", host.opsToken},
                                                        {"TINKO_PLUGIN", "test-echo"},
                                                        {"TINKO_SWAP_TO", TINKO_TEST_PLUGIN_ECHO_V2},
                                                        {"TINKO_SWAP_VERSION", "2.0.0"},
                                                        {"TINKO_SWAP_REFUSED", TINKO_TEST_PLUGIN_NOT_A_LIBRARY},
                                                        {"TINKO_ORG", "acme"},
                                                        {"TINKO_REF", "order-42"},
                                                        {"TINKO_WEBHOOK_URL", "https://erp.example.com/tinko-events"},
                                                        {"TINKO_WEBHOOK_GONE_URL", "https://old.example.com/hooks"},
                                                        {"TINKO_WEBHOOK_GONE_REASON", "the endpoint answered 410 Gone"},
                                                        {"TINKO_WEBHOOK_EVENT", "recovery.cancelled"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);

        // The swap the operator made in the browser is the host's state now.
        auto active = activeGeneration(host, "test-echo");
        CPPUNIT_ASSERT(active);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), active->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(2, active->getValue<int>("generation"));
        // The browser uploaded the file's bytes intact (a refused file recorded nothing).
        CPPUNIT_ASSERT_EQUAL(security::sha256Hex(readFile(TINKO_TEST_PLUGIN_ECHO_V2)), active->getValue<std::string>("sha256"));
        for (const auto& shot : shots) CPPUNIT_ASSERT_MESSAGE(shot, artifactSize(shot) > 1000);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OpsConsoleBrowserTest);
