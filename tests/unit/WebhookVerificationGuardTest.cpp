// The bound on webhook verifications that call the provider (PayPal): verified deliveries are
// remembered by id and body, and calls are limited per org by a token bucket. Time is an argument,
// so every case runs on a made-up clock.
#include "security/WebhookVerificationGuard.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::security::WebhookVerificationGuard;
using Kind = WebhookVerificationGuard::Decision::Kind;
using namespace std::chrono_literals;

class WebhookVerificationGuardTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookVerificationGuardTest);
    CPPUNIT_TEST(theBurstIsSpentThenDeliveriesWait);
    CPPUNIT_TEST(tokensComeBackAtTheRate);
    CPPUNIT_TEST(eachOrgHasItsOwnBucket);
    CPPUNIT_TEST(aVerifiedDeliveryIsNotVerifiedAgain);
    CPPUNIT_TEST(anotherBodyUnderAVerifiedIdIsRefused);
    CPPUNIT_TEST(aRefusedDeliveryIsNotRemembered);
    CPPUNIT_TEST(theOldestVerifiedDeliveriesAreForgotten);
    CPPUNIT_TEST_SUITE_END();

    const WebhookVerificationGuard::Clock::time_point t0{};

public:
    void theBurstIsSpentThenDeliveriesWait() {
        WebhookVerificationGuard guard({10, 3});
        for (int i = 0; i < 3; ++i)
            CPPUNIT_ASSERT(guard.before(1, "id-" + std::to_string(i), "h", t0).kind == Kind::Verify);
        auto later = guard.before(1, "id-3", "h", t0);
        CPPUNIT_ASSERT(later.kind == Kind::Later);
        CPPUNIT_ASSERT_EQUAL(1, later.retryAfterSeconds);   // a token in 0.1 s: at least a second
        WebhookVerificationGuard slow({1, 1});
        slow.before(1, "a", "h", t0);
        CPPUNIT_ASSERT_EQUAL(1, slow.before(1, "b", "h", t0).retryAfterSeconds);
    }

    void tokensComeBackAtTheRate() {
        WebhookVerificationGuard guard({2, 2});
        guard.before(1, "a", "h", t0);
        guard.before(1, "b", "h", t0);
        CPPUNIT_ASSERT(guard.before(1, "c", "h", t0 + 100ms).kind == Kind::Later);
        CPPUNIT_ASSERT(guard.before(1, "c", "h", t0 + 500ms).kind == Kind::Verify);   // one token after 0.5 s
        CPPUNIT_ASSERT(guard.before(1, "d", "h", t0 + 600ms).kind == Kind::Later);
        // Never more than the burst, however long it was quiet.
        CPPUNIT_ASSERT(guard.before(1, "e", "h", t0 + 1h).kind == Kind::Verify);
        CPPUNIT_ASSERT(guard.before(1, "f", "h", t0 + 1h).kind == Kind::Verify);
        CPPUNIT_ASSERT(guard.before(1, "g", "h", t0 + 1h).kind == Kind::Later);
    }

    void eachOrgHasItsOwnBucket() {
        WebhookVerificationGuard guard({1, 1});
        CPPUNIT_ASSERT(guard.before(1, "a", "h", t0).kind == Kind::Verify);
        CPPUNIT_ASSERT(guard.before(1, "b", "h", t0).kind == Kind::Later);
        CPPUNIT_ASSERT(guard.before(2, "a", "h", t0).kind == Kind::Verify);
    }

    void aVerifiedDeliveryIsNotVerifiedAgain() {
        WebhookVerificationGuard guard({1, 1});
        CPPUNIT_ASSERT(guard.before(1, "tx-1", "body-1", t0).kind == Kind::Verify);
        guard.rememberVerified(1, "tx-1", "body-1");
        // The bucket is empty, and a replay needs no token.
        CPPUNIT_ASSERT(guard.before(1, "tx-1", "body-1", t0).kind == Kind::Verified);
        // Another org's delivery of that id is its own.
        CPPUNIT_ASSERT(guard.before(2, "tx-1", "body-1", t0).kind == Kind::Verify);
    }

    void anotherBodyUnderAVerifiedIdIsRefused() {
        WebhookVerificationGuard guard({10, 10});
        guard.before(1, "tx-1", "body-1", t0);
        guard.rememberVerified(1, "tx-1", "body-1");
        CPPUNIT_ASSERT(guard.before(1, "tx-1", "body-2", t0).kind == Kind::Refused);
        guard.rememberVerified(1, "tx-1", "body-2");   // cannot rebind the id
        CPPUNIT_ASSERT(guard.before(1, "tx-1", "body-2", t0).kind == Kind::Refused);
        CPPUNIT_ASSERT(guard.before(1, "tx-1", "body-1", t0).kind == Kind::Verified);
    }

    void aRefusedDeliveryIsNotRemembered() {
        // A forgery under an id must not keep the genuine delivery of that id out: it is asked again.
        WebhookVerificationGuard guard({10, 10});
        CPPUNIT_ASSERT(guard.before(1, "tx-1", "forged", t0).kind == Kind::Verify);
        CPPUNIT_ASSERT(guard.before(1, "tx-1", "genuine", t0).kind == Kind::Verify);
    }

    void theOldestVerifiedDeliveriesAreForgotten() {
        WebhookVerificationGuard guard({100, 100, 2});
        for (const char* id : {"a", "b", "c"}) guard.rememberVerified(1, id, "h");
        CPPUNIT_ASSERT(guard.before(1, "a", "h", t0).kind == Kind::Verify);   // forgotten: asked again
        CPPUNIT_ASSERT(guard.before(1, "b", "h", t0).kind == Kind::Verified);
        CPPUNIT_ASSERT(guard.before(1, "c", "h", t0).kind == Kind::Verified);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookVerificationGuardTest);
