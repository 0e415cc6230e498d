// A policy's timing on a running host: steps of a recovery fall due inside the policy's send window
// on weekdays in the customer's zone (customer.timezone, else customer.country's, else the org's),
// charge retries on the policy's charge days; bad timing fields, zones and countries are refused
// with a problem naming the field, and nothing is stored or changed.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>

#include <ctime>

using namespace tinko::test;

namespace {
// A policy with every timing rule: messages 09:00-17:00 on weekdays, charge retries on the 1st and 15th.
const std::string kTimedPolicy =
    R"({"name":"timed","max_retries":3,"initial_delay_seconds":3600,"backoff_multiplier":2,"max_delay_seconds":86400,)"
    R"("channels":["email"],"retry_charge":true,"link_ttl_seconds":3600,"is_active":true,)"
    R"("send_window":"09:00-17:00","avoid_weekends":true,"charge_days":[1,15],"jitter_seconds":300})";

// "2026-12-07T09:15:00Z" plus `offsetSeconds`, as broken-down time (UTC arithmetic, independent of the host's zone code).
std::tm localOf(const std::string& isoUtc, long offsetSeconds) {
    std::tm t{};
    t.tm_year = std::stoi(isoUtc.substr(0, 4)) - 1900;
    t.tm_mon = std::stoi(isoUtc.substr(5, 2)) - 1;
    t.tm_mday = std::stoi(isoUtc.substr(8, 2));
    t.tm_hour = std::stoi(isoUtc.substr(11, 2));
    t.tm_min = std::stoi(isoUtc.substr(14, 2));
    t.tm_sec = std::stoi(isoUtc.substr(17, 2)) + static_cast<int>(offsetSeconds);
    const time_t at = timegm(&t);
    std::tm out{};
    gmtime_r(&at, &out);
    return out;
}
}  // namespace

class TimingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TimingTest);
    CPPUNIT_TEST(policiesTakeAndShowTheTimingFields);
    CPPUNIT_TEST(stepsFallInsideTheWindowInTheCustomersZone);
    CPPUNIT_TEST(theCountrysZoneThenTheOrgsZoneWhenTheEventNamesNone);
    CPPUNIT_TEST(badTimingFieldsAreRefusedAndChangeNothing);
    CPPUNIT_TEST(badZonesAndCountriesAreRefusedAndStoreNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared;
        return shared;
    }
    // An org whose PSP (test-recorder) can retry charges, with the timed policy active.
    static const std::string& orgKey() {
        static const std::string key = [] {
            auto loaded = host().ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_RECORDER "\"}");
            if (loaded.status != 201) throw std::runtime_error(loaded.body);
            std::string k = host().createOrgWithKey("timing");
            auto psp = httpCall(host().port(), "PUT", "/v1/config/psp", R"({"plugin":"test-recorder","config":{}})", jsonBearer(k));
            if (psp.status != 200) throw std::runtime_error(psp.body);
            auto policy = httpCall(host().port(), "POST", "/v1/retry/policies", kTimedPolicy, jsonBearer(k));
            if (policy.status != 201) throw std::runtime_error(policy.body);
            return k;
        }();
        return key;
    }
    static HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host().port(), method, path, body, jsonBearer(orgKey()));
    }
    static HttpResult postFailure(const std::string& ref, const std::string& customer) {
        return call("POST", "/v1/events/payment_failed",
                    R"({"transaction_ref":")" + ref + R"(","amount":2500,"currency":"USD","decline_code":"insufficient_funds","payment_reference":"pi_)" + ref +
                        R"(","customer":)" + customer + "}");
    }

    // Every step of the recovery of `ref`, checked in a zone of fixed offset `offsetSeconds`.
    static void assertStepsFollowThePolicy(const std::string& ref, long offsetSeconds) {
        auto recovery = call("GET", "/v1/recoveries/by_ref/" + ref).json();
        auto steps = recovery->getArray("steps");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), steps->size());
        std::string previous;
        for (std::size_t i = 0; i < steps->size(); ++i) {
            auto step = steps->getObject(static_cast<unsigned>(i));
            const std::string due = step->getValue<std::string>("due_at");
            const std::tm local = localOf(due, offsetSeconds);
            const std::string where = ref + " step " + std::to_string(i + 1) + " due " + due;
            CPPUNIT_ASSERT_MESSAGE(where, local.tm_hour >= 9 && local.tm_hour < 17);
            CPPUNIT_ASSERT_MESSAGE(where, local.tm_wday != 0 && local.tm_wday != 6);
            CPPUNIT_ASSERT_MESSAGE(where, step->getValue<bool>("retry_charge"));
            CPPUNIT_ASSERT_MESSAGE(where, local.tm_mday == 1 || local.tm_mday == 15);
            CPPUNIT_ASSERT_MESSAGE(where, due >= previous);
            previous = due;
        }
    }

    void policiesTakeAndShowTheTimingFields() {
        auto active = call("GET", "/v1/retry/policies/active").json();
        CPPUNIT_ASSERT_EQUAL(std::string("09:00-17:00"), active->getValue<std::string>("send_window"));
        CPPUNIT_ASSERT(active->getValue<bool>("avoid_weekends"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), active->getArray("charge_days")->size());
        CPPUNIT_ASSERT_EQUAL(15, active->getArray("charge_days")->getElement<int>(1));
        CPPUNIT_ASSERT_EQUAL(300, active->getValue<int>("jitter_seconds"));
        // A policy without them shows them unset, and "last_business_day" is kept as given.
        auto plain = call("POST", "/v1/retry/policies",
                          R"({"name":"plain","max_retries":1,"initial_delay_seconds":60,"backoff_multiplier":1,"max_delay_seconds":60,)"
                          R"("channels":["email"],"retry_charge":false,"link_ttl_seconds":3600,"charge_days":"last_business_day"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(plain.body, 201, plain.status);
        CPPUNIT_ASSERT(plain.json()->isNull("send_window"));
        CPPUNIT_ASSERT(!plain.json()->getValue<bool>("avoid_weekends"));
        CPPUNIT_ASSERT_EQUAL(std::string("last_business_day"), plain.json()->getValue<std::string>("charge_days"));
        CPPUNIT_ASSERT_EQUAL(0, plain.json()->getValue<int>("jitter_seconds"));
    }

    void stepsFallInsideTheWindowInTheCustomersZone() {
        // Kathmandu: +05:45 all year (no daylight saving since 1986).
        auto r = postFailure("tx_ktm", R"({"email":"a@example.com","timezone":"Asia/Kathmandu","country":"US"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        assertStepsFollowThePolicy("tx_ktm", 5 * 3600 + 45 * 60);
        // The recovery keeps the policy's timing in its snapshot.
        auto recovery = call("GET", "/v1/recoveries/by_ref/tx_ktm").json();
        CPPUNIT_ASSERT_EQUAL(std::string("09:00-17:00"), recovery->getObject("policy")->getValue<std::string>("send_window"));
    }

    void theCountrysZoneThenTheOrgsZoneWhenTheEventNamesNone() {
        // India (+05:30, no daylight saving) by country.
        CPPUNIT_ASSERT_EQUAL(201, postFailure("tx_in", R"({"email":"b@example.com","country":"in"})").status);
        assertStepsFollowThePolicy("tx_in", 5 * 3600 + 30 * 60);
        // The org's default zone: Tokyo (+09:00, no daylight saving).
        auto patched = call("PATCH", "/v1/org", R"({"timezone":"Asia/Tokyo"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(patched.body, 200, patched.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Asia/Tokyo"), patched.json()->getValue<std::string>("timezone"));
        CPPUNIT_ASSERT_EQUAL(201, postFailure("tx_jp", R"({"email":"c@example.com"})").status);
        assertStepsFollowThePolicy("tx_jp", 9 * 3600);
        CPPUNIT_ASSERT_EQUAL(200, call("PATCH", "/v1/org", R"({"timezone":null})").status);
        CPPUNIT_ASSERT_EQUAL(std::string("UTC"), call("GET", "/v1/org").json()->getValue<std::string>("timezone"));
    }

    void badTimingFieldsAreRefusedAndChangeNothing() {
        const std::string base = R"({"name":"bad","max_retries":1,"initial_delay_seconds":60,"backoff_multiplier":1,)"
                                 R"("max_delay_seconds":60,"channels":["email"],"retry_charge":false,"link_ttl_seconds":3600,)";
        const auto before = call("GET", "/v1/retry/policies").body;
        for (const auto& [fields, field] : std::vector<std::pair<std::string, std::string>>{
                 {R"("send_window":"9-5")", "send_window"},
                 {R"("send_window":"09:00-09:00")", "send_window"},
                 {R"("avoid_weekends":"yes")", "avoid_weekends"},
                 {R"("charge_days":[0,15])", "charge_days"},
                 {R"("charge_days":"payday")", "charge_days"},
                 {R"("jitter_seconds":601)", "jitter_seconds"}}) {
            auto r = call("POST", "/v1/retry/policies", base + fields + "}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(fields + " -> " + r.body, 422, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type").substr(0, 24));
            CPPUNIT_ASSERT_MESSAGE(r.body, r.json()->getValue<std::string>("detail").find(field + ":") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(before, call("GET", "/v1/retry/policies").body);
        // A PUT with a bad field leaves the policy as it was.
        const std::string id = std::to_string(call("GET", "/v1/retry/policies/active").json()->getValue<long long>("id"));
        auto put = call("PUT", "/v1/retry/policies/" + id, kTimedPolicy.substr(0, kTimedPolicy.size() - 1) + R"(,"jitter_seconds":-1})");
        CPPUNIT_ASSERT_EQUAL(422, put.status);
        CPPUNIT_ASSERT_EQUAL(300, call("GET", "/v1/retry/policies/active").json()->getValue<int>("jitter_seconds"));
        // The org's zone.
        for (const char* zone : {R"("Nowhere/City")", R"("../../etc/passwd")", R"("/usr/share/zoneinfo/UTC")", "5"}) {
            auto r = call("PATCH", "/v1/org", std::string(R"({"timezone":)") + zone + "}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 422, r.status);
            CPPUNIT_ASSERT_MESSAGE(r.body, r.json()->getValue<std::string>("detail").find("timezone") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("UTC"), call("GET", "/v1/org").json()->getValue<std::string>("timezone"));
    }

    void badZonesAndCountriesAreRefusedAndStoreNothing() {
        for (const auto& [customer, field] : std::vector<std::pair<std::string, std::string>>{
                 {R"({"timezone":"Mars/Olympus_Mons"})", "customer.timezone"},
                 {R"({"timezone":"../../../etc/passwd"})", "customer.timezone"},
                 {R"({"timezone":"America"})", "customer.timezone"},
                 {R"({"timezone":7})", "customer.timezone"},
                 {R"({"country":"XX"})", "customer.country"},
                 {R"({"country":"USA"})", "customer.country"}}) {
            auto r = postFailure("tx_badzone", customer);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(customer + " -> " + r.body, 422, r.status);
            CPPUNIT_ASSERT_MESSAGE(r.body, r.json()->getValue<std::string>("detail").find(field + ":") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(404, call("GET", "/v1/events/by_ref/tx_badzone").status);
        CPPUNIT_ASSERT_EQUAL(404, call("GET", "/v1/recoveries/by_ref/tx_badzone").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TimingTest);
