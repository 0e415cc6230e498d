// The step store's claims on a real database (a host with no scheduler workers made the data): a
// claim skips the orgs it is told to (fair shares), and once a claim has passed to another claimant
// (the first one stalled past its lease), the first one can neither start a send nor end the step.
#include "TestSupport.h"

#include "store/PgConnection.h"
#include "store/PgPool.h"
#include "store/StepStore.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

class StepClaimGuardTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StepClaimGuardTest);
    CPPUNIT_TEST(aClaimSkipsTheOrgsAtTheirShareAndALostClaimWritesNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    void aClaimSkipsTheOrgsAtTheirShareAndALostClaimWritesNothing() {
        TestHost host(Env{{"TINKO_SCHEDULER_WORKERS", "0"}});
        const std::string key = host.createOrgWithKey("guarded");
        auto policy = httpCall(host.port(), "POST", "/v1/retry/policies",
                               R"({"name":"one","max_retries":1,"initial_delay_seconds":60,"backoff_multiplier":1,"max_delay_seconds":60,)"
                               R"("channels":["email"],"retry_charge":false,"link_ttl_seconds":600,"is_active":true})", jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(policy.body, 201, policy.status);
        auto created = httpCall(host.port(), "POST", "/v1/events/payment_failed",
                                R"({"transaction_ref":"tx_guard","amount":1999,"currency":"USD","decline_code":"do_not_honor",)"
                                R"("customer":{"email":"ann@example.test","name":"Ann"}})", jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const std::string recovery = std::to_string(created.json()->getValue<long long>("recovery_id"));
        store::PgConnection db(host.databaseUrl);
        db.query("UPDATE recovery_steps SET due_at = now() - interval '1 second' WHERE recovery_id = $1::bigint", {recovery});
        const long long org = std::stoll(*db.query("SELECT org_id::text FROM recoveries WHERE id = $1::bigint", {recovery})[0][0]);

        store::PgPool pool(host.databaseUrl, 2);
        store::StepStore steps(pool);
        store::NotificationStore notifications(pool);
        CPPUNIT_ASSERT(!steps.claimDue("host-a", 60, {org}));   // the org is at its share here
        auto claim = steps.claimDue("host-a", 60, {});
        CPPUNIT_ASSERT(claim);
        CPPUNIT_ASSERT_EQUAL(1, claim->attempts);
        CPPUNIT_ASSERT(steps.renewLeases("host-a", 60, {{claim->stepId, claim->attempts}}).empty());

        // Another claimant takes the step over.
        db.query("UPDATE recovery_steps SET leased_by = 'host-b', attempts = attempts + 1 WHERE id = $1::bigint",
                 {std::to_string(claim->stepId)});
        CPPUNIT_ASSERT(steps.renewLeases("host-a", 60, {{claim->stepId, claim->attempts}}) == std::vector<long long>{claim->stepId});
        CPPUNIT_ASSERT_EQUAL(std::string("claim_lost"), notifications.begin(*claim, "email", "notify-smtp", "a***@example.test").previousStatus);
        CPPUNIT_ASSERT(!steps.complete(*claim, "sent", "{}"));
        CPPUNIT_ASSERT(!steps.cancel(*claim));
        CPPUNIT_ASSERT(!steps.retryLater(*claim, 1, "{}"));
        CPPUNIT_ASSERT(!steps.fail(*claim, "{}"));
        auto row = db.query("SELECT state, leased_by, attempts::text, coalesce(outcome, '') FROM recovery_steps WHERE id = $1::bigint",
                            {std::to_string(claim->stepId)});
        CPPUNIT_ASSERT_EQUAL(std::string("running|host-b|2|"), *row[0][0] + "|" + *row[0][1] + "|" + *row[0][2] + "|" + *row[0][3]);
        CPPUNIT_ASSERT(db.query("SELECT 1 FROM notifications WHERE step_id = $1::bigint", {std::to_string(claim->stepId)}).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("active"), *db.query("SELECT state FROM recoveries WHERE id = $1::bigint", {recovery})[0][0]);

        // The claimant that holds the step sends and ends it.
        store::StepWork held = *claim;
        held.leasedBy = "host-b";
        held.attempts = 2;
        CPPUNIT_ASSERT_EQUAL(std::string(""), notifications.begin(held, "email", "notify-smtp", "a***@example.test").previousStatus);
        CPPUNIT_ASSERT(steps.complete(held, "sent", "{}"));
        CPPUNIT_ASSERT_EQUAL(std::string("done"), *db.query("SELECT state FROM recovery_steps WHERE id = $1::bigint",
                                                            {std::to_string(claim->stepId)})[0][0]);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StepClaimGuardTest);
