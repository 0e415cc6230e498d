// Issue 11 item 7: bad bytes that used to be 500s (or, for a NUL in transaction_ref, a silent merge
// of two transactions) are 4xx problems naming the field, and store nothing.
#include "RawHttp.h"
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class HostileInputTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostileInputTest);
    CPPUNIT_TEST(aNulInCustomerOrMetadataIs422);
    CPPUNIT_TEST(aNulInTransactionRefDoesNotMergeTransactions);
    CPPUNIT_TEST(integersOf2To63OrMoreAre422);
    CPPUNIT_TEST(invalidUtf8InAPathParameterIs400);
    CPPUNIT_TEST(invalidUtf8InIdempotencyKeyIs400);
    CPPUNIT_TEST(invalidUtf8InAWebhookHeaderIs400WithoutCredentials);
    CPPUNIT_TEST(invalidUtf8InABodyIs400);
    CPPUNIT_TEST(deepNestingIs400AndTheHostLives);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared;
        return shared;
    }
    static const std::string& key() {
        static const std::string k = host().createOrgWithKey("hostile");
        return k;
    }

    static HttpResult postEvent(const std::string& body, std::map<std::string, std::string> headers = {}) {
        auto all = jsonBearer(key());
        for (auto& [k, v] : headers) all[k] = v;
        return httpCall(host().port(), "POST", "/v1/events/payment_failed", body, all);
    }
    static std::string event(const std::string& ref, const std::string& extra = "") {
        return R"({"transaction_ref":")" + ref + R"(","amount":1000,"currency":"EUR")" + extra + "}";
    }
    // How many failure events the org holds for `ref` (0 when none).
    static std::size_t eventsFor(const std::string& ref) {
        auto r = httpCall(host().port(), "GET", "/v1/events/by_ref/" + ref, "", bearer(key()));
        if (r.status == 404) return 0;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto json = r.json();
        return json->has("data") ? json->getArray("data")->size() : json->getArray("events")->size();
    }
    // A problem with `status` whose field errors (or detail) name `field`.
    static void assertNames(const HttpResult& r, int status, const std::string& field) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
        auto p = r.json();
        bool named = p->getValue<std::string>("detail").find(field) != std::string::npos;
        if (auto errors = p->getArray("errors"))
            for (std::size_t i = 0; i < errors->size(); ++i) named = named || errors->getObject(static_cast<unsigned>(i))->getValue<std::string>("field") == field;
        CPPUNIT_ASSERT_MESSAGE(r.body, named);
    }

    void aNulInCustomerOrMetadataIs422() {
        assertNames(postEvent(event("nul-customer", R"(,"customer":{"email":"a@example.com","name":"Ann\u0000"})")), 422, "customer.name");
        assertNames(postEvent(event("nul-metadata", R"(,"metadata":{"note":"x\u0000y"})")), 422, "metadata.note");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), eventsFor("nul-customer"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), eventsFor("nul-metadata"));
    }

    void aNulInTransactionRefDoesNotMergeTransactions() {
        CPPUNIT_ASSERT_EQUAL(201, postEvent(event("order-77")).status);
        assertNames(postEvent(event("order-77\\u0000-another")), 422, "transaction_ref");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), eventsFor("order-77"));
    }

    void integersOf2To63OrMoreAre422() {
        for (const std::string amount : {"9223372036854775808", "18446744073709551615", "18446744073709551616", "-9223372036854775809"}) {
            assertNames(postEvent(R"({"transaction_ref":"big-int","amount":)" + amount + R"(,"currency":"EUR"})"), 422, "amount");
            assertNames(postEvent(event("big-meta", R"(,"metadata":{"n":)" + amount + "}")), 422, "metadata.n");
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), eventsFor("big-int"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), eventsFor("big-meta"));
    }

    void invalidUtf8InAPathParameterIs400() {
        assertNames(httpCall(host().port(), "GET", "/v1/events/by_ref/%FF", "", bearer(key())), 400, "ref");
        assertNames(httpCall(host().port(), "GET", "/v1/recoveries/by_ref/a%C3", "", bearer(key())), 400, "ref");
        assertNames(httpCall(host().port(), "GET", "/v1/events/by_ref/a%00b", "", bearer(key())), 400, "ref");
        assertNames(host().ops("GET", "/v1/admin/orgs/%ED%A0%80"), 400, "slug");
    }

    void invalidUtf8InIdempotencyKeyIs400() {
        assertNames(postEvent(event("bad-key"), {{"Idempotency-Key", "key-\xC3\x28"}}), 400, "idempotency-key");
        assertNames(postEvent(event("bad-key"), {{"Idempotency-Key", "key-\xFE"}}), 400, "idempotency-key");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), eventsFor("bad-key"));
        CPPUNIT_ASSERT_EQUAL(201, postEvent(event("bad-key"), {{"Idempotency-Key", "J\xC3\xB6rg-1"}}).status);
    }

    void invalidUtf8InAWebhookHeaderIs400WithoutCredentials() {
        CPPUNIT_ASSERT_EQUAL(201, host().ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}").status);
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host().port(), "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})",
                                           jsonBearer(key())).status);
        const std::string body = R"({"id":"evt_1","type":"payment_failed"})";
        const std::map<std::string, std::string> json{{"Content-Type", "application/json"}};
        auto withHeader = [&](const std::string& name, const std::string& value) {
            auto h = json;
            h[name] = value;
            return httpCall(host().port(), "POST", "/v1/webhooks/test-echo/hostile", body, h);
        };
        assertNames(withHeader("Idempotency-Key", "\xC3\x28"), 400, "idempotency-key");
        assertNames(withHeader("Stripe-Signature", "t=1,v1=\xE0\x80\xAF"), 400, "stripe-signature");
        assertNames(withHeader("X-Provider-Note", std::string("a\0b", 3)), 400, "x-provider-note");
        CPPUNIT_ASSERT(host().process.running());
    }

    void invalidUtf8InABodyIs400() {
        auto r = postEvent("{\"transaction_ref\":\"utf-\xC3\x28\",\"amount\":1000,\"currency\":\"EUR\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 400, r.status);
        CPPUNIT_ASSERT(r.json()->getValue<std::string>("detail").find("UTF-8") != std::string::npos);
    }

    void deepNestingIs400AndTheHostLives() {
        const std::string deep = std::string(200000, '[') + std::string(200000, ']');
        auto r = postEvent(event("deep", R"(,"metadata":{"a":)" + deep + "}"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 400, r.status);
        CPPUNIT_ASSERT(host().process.running());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), eventsFor("deep"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostileInputTest);
