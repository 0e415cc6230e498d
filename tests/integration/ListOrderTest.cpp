// Lists come back in id order past the ninth item: the store selects ids as text, and an ORDER BY
// on the bare name would sort that text (10 before 9), breaking pages and "newest" choices.
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

namespace {
std::string idsOf(const HttpResult& r) {
    auto data = r.json()->getArray("data");
    std::string ids;
    for (std::size_t i = 0; i < data->size(); ++i) ids += (i ? "," : "") + std::to_string(data->getObject(i)->getValue<long long>("id"));
    return ids;
}
}  // namespace

class ListOrderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ListOrderTest);
    CPPUNIT_TEST(orgsKeysAndPoliciesAreListedInIdOrder);
    CPPUNIT_TEST_SUITE_END();

public:
    void orgsKeysAndPoliciesAreListedInIdOrder() {
        TestHost host;
        std::string expectedOrgs, expectedKeys, expectedPolicies;
        std::string key;
        for (int i = 1; i <= 11; ++i) {
            auto org = host.ops("POST", "/v1/admin/orgs", "{\"name\":\"Org\",\"slug\":\"order-" + std::to_string(i) + "\"}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(org.body, 201, org.status);
            expectedOrgs += (i > 1 ? "," : "") + std::to_string(org.json()->getValue<long long>("id"));
            auto k = host.ops("POST", "/v1/admin/orgs/order-1/api-keys", "{\"label\":\"k\"}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(k.body, 201, k.status);
            expectedKeys += (i > 1 ? "," : "") + std::to_string(k.json()->getValue<long long>("id"));
            if (key.empty()) key = k.json()->getValue<std::string>("key");
            auto p = httpCall(host.port(), "POST", "/v1/retry/policies",
                              "{\"name\":\"p" + std::to_string(i) +
                                  "\",\"max_retries\":1,\"initial_delay_seconds\":60,\"backoff_multiplier\":2,"
                                  "\"max_delay_seconds\":600,\"channels\":[\"email\"],\"retry_charge\":false,"
                                  "\"link_ttl_seconds\":3600,\"is_active\":false}",
                              jsonBearer(key));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(p.body, 201, p.status);
            expectedPolicies += (i > 1 ? "," : "") + std::to_string(p.json()->getValue<long long>("id"));
        }
        CPPUNIT_ASSERT_EQUAL(expectedOrgs, idsOf(host.ops("GET", "/v1/admin/orgs?limit=200")));
        CPPUNIT_ASSERT_EQUAL(expectedKeys, idsOf(host.ops("GET", "/v1/admin/orgs/order-1/api-keys")));
        const std::string policies = idsOf(httpCall(host.port(), "GET", "/v1/retry/policies", "", bearer(key)));
        CPPUNIT_ASSERT_MESSAGE(policies, policies.size() >= expectedPolicies.size() &&
                                             policies.compare(policies.size() - expectedPolicies.size(), std::string::npos,
                                                              expectedPolicies) == 0);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ListOrderTest);
