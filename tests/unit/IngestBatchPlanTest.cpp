// Group-commit ingest decides, before writing, what each event of a batch becomes, exactly as if
// the events had come one after another; and hands PostgreSQL arrays that keep any text intact.
#include "store/IngestBatch.h"
#include "store/SqlArrays.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::store;
using Action = IngestBatchPlan::Action;
using Texts = std::vector<std::optional<std::string>>;

namespace {
FailureEventInput event(const std::string& ref, std::optional<std::string> key = std::nullopt, const std::string& body = "b1",
                        long long org = 1) {
    FailureEventInput e;
    e.orgId = org;
    e.transactionRef = ref;
    e.amount = 1999;
    e.currency = "USD";
    e.idempotencyKey = std::move(key);
    e.requestSha256 = body;
    return e;
}
}  // namespace

class IngestBatchPlanTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(IngestBatchPlanTest);
    CPPUNIT_TEST(arraysQuoteAndEscapeAnyText);
    CPPUNIT_TEST(eventsWithoutKeysAreAllWritten);
    CPPUNIT_TEST(aStoredKeyReplaysOrIsRefusedForAnotherBody);
    CPPUNIT_TEST(aKeyTwiceInOneBatchReplaysTheFirst);
    CPPUNIT_TEST(keysBelongToTheirOrg);
    CPPUNIT_TEST(onlyAPaymentsFirstEventMayStartItsRecovery);
    CPPUNIT_TEST(paymentsMergeAsRepeatedUpsertsWould);
    CPPUNIT_TEST(paymentsAreOrderedByOrgAndRef);
    CPPUNIT_TEST(aPaymentsCardIsItsFingerprintElseItsPaymentMethod);
    CPPUNIT_TEST(theAnswerKeepsTodaysFields);
    CPPUNIT_TEST_SUITE_END();

public:
    void arraysQuoteAndEscapeAnyText() {
        CPPUNIT_ASSERT_EQUAL(std::string("{}"), textArrayLiteral(Texts{}));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"a","",NULL,"NULL"})"), textArrayLiteral(Texts{"a", "", std::nullopt, "NULL"}));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"x,y","{z}","say \"hi\"","back\\slash"," sp "})"),
                             textArrayLiteral(Texts{"x,y", "{z}", "say \"hi\"", "back\\slash", " sp "}));
        CPPUNIT_ASSERT_EQUAL(std::string("{\"line\nbreak\",\"\xC3\xA9\"}"), textArrayLiteral(Texts{"line\nbreak", "\xC3\xA9"}));
    }

    void eventsWithoutKeysAreAllWritten() {
        auto plan = planIngestBatch({event("a"), event("b"), event("a")}, {});
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), plan.writes.size());
        for (const auto& d : plan.decisions) CPPUNIT_ASSERT(d.action == Action::Write);
    }

    void aStoredKeyReplaysOrIsRefusedForAnotherBody() {
        std::map<IdempotencyKey, StoredAnswer> stored{{{1, "k"}, {"b1", "{\"event_id\":7}"}}};
        auto plan = planIngestBatch({event("a", "k", "b1"), event("a", "k", "b2")}, stored);
        CPPUNIT_ASSERT(plan.decisions[0].action == Action::ReplayStored);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"event_id\":7}"), plan.decisions[0].storedResponse);
        CPPUNIT_ASSERT(plan.decisions[1].action == Action::KeyReused);
        CPPUNIT_ASSERT(plan.writes.empty());
    }

    void aKeyTwiceInOneBatchReplaysTheFirst() {
        auto plan = planIngestBatch({event("a", "k", "b1"), event("b"), event("a", "k", "b1"), event("a", "k", "b2")}, {});
        CPPUNIT_ASSERT(plan.decisions[0].action == Action::Write);
        CPPUNIT_ASSERT(plan.decisions[2].action == Action::ReplayEarlier);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), plan.decisions[2].earlier);
        CPPUNIT_ASSERT(plan.decisions[3].action == Action::KeyReused);
        CPPUNIT_ASSERT((plan.writes == std::vector<std::size_t>{0, 1}));
    }

    void keysBelongToTheirOrg() {
        std::map<IdempotencyKey, StoredAnswer> stored{{{2, "k"}, {"b1", "{}"}}};
        auto plan = planIngestBatch({event("a", "k", "b1", 1), event("a", "k", "b9", 3)}, stored);
        CPPUNIT_ASSERT(plan.decisions[0].action == Action::Write);
        CPPUNIT_ASSERT(plan.decisions[1].action == Action::Write);
    }

    void onlyAPaymentsFirstEventMayStartItsRecovery() {
        auto plan = planIngestBatch({event("a"), event("b"), event("a"), event("a", std::nullopt, "b1", 2)}, {});
        CPPUNIT_ASSERT((plan.firstOfPayment == std::vector<bool>{true, true, false, true}));
    }

    void paymentsMergeAsRepeatedUpsertsWould() {
        auto first = event("a"), second = event("a"), third = event("a");
        first.psp = "stripe";
        first.customerJson = R"({"email":"a@x.io"})";
        second.amount = 5;          // a conflict never changes amount or currency
        second.currency = "EUR";
        second.paymentReference = "pi_1";
        second.customerJson = R"({"name":"Ann"})";
        third.psp = "adyen";        // the last one given wins
        auto merged = mergeTransactions({first, second, third}, {0, 1, 2});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), merged.size());
        CPPUNIT_ASSERT_EQUAL(1999LL, merged[0].amount);
        CPPUNIT_ASSERT_EQUAL(std::string("USD"), merged[0].currency);
        CPPUNIT_ASSERT_EQUAL(std::string("adyen"), *merged[0].psp);
        CPPUNIT_ASSERT_EQUAL(std::string("pi_1"), *merged[0].paymentReference);
        CPPUNIT_ASSERT(!merged[0].paymentMethod);
        CPPUNIT_ASSERT_EQUAL(std::string(R"([{"email":"a@x.io"},{"name":"Ann"},{}])"), merged[0].customersJson);
    }

    // transactions.card_key (migrations/0025): 'fp:' + fingerprint, else 'pm:' + payment method;
    // the last event giving one wins, as payment_method does.
    void aPaymentsCardIsItsFingerprintElseItsPaymentMethod() {
        auto first = event("a"), second = event("a"), other = event("b");
        first.paymentMethod = "pm_1";
        first.cardNetwork = "visa";
        second.paymentMethod = "pm_2";
        second.cardFingerprint = "fp_2";
        other.cardFingerprint = "";   // an empty fingerprint is none
        auto merged = mergeTransactions({first, second, other}, {0, 1, 2});
        CPPUNIT_ASSERT_EQUAL(std::string("fp:fp_2"), *merged[0].cardKey);
        CPPUNIT_ASSERT_EQUAL(std::string("visa"), *merged[0].cardNetwork);
        CPPUNIT_ASSERT(!merged[1].cardKey);
        CPPUNIT_ASSERT_EQUAL(std::string("pm:pm_1"), *first.cardKey());
    }

    void paymentsAreOrderedByOrgAndRef() {
        std::vector<FailureEventInput> events{event("b", std::nullopt, "", 2), event("c"), event("a", std::nullopt, "", 2),
                                              event("a")};
        auto merged = mergeTransactions(events, {0, 1, 2, 3});
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), merged.size());
        CPPUNIT_ASSERT(merged[0].orgId == 1 && merged[0].ref == "a");
        CPPUNIT_ASSERT(merged[1].orgId == 1 && merged[1].ref == "c");
        CPPUNIT_ASSERT(merged[2].orgId == 2 && merged[2].ref == "a");
        CPPUNIT_ASSERT(merged[3].orgId == 2 && merged[3].ref == "b");
    }

    void theAnswerKeepsTodaysFields() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event_id":3,"recovery_id":2,"recovery_state":"active","category":"x",)"
                                         R"("hardness":"soft","next_step_at":"2026-01-01T00:00:00Z"})"),
                             ingestResponseJson("3", "2", "active", "x", "soft", std::string("2026-01-01T00:00:00Z")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event_id":3,"recovery_id":2,"recovery_state":"skipped","category":"x",)"
                                         R"("hardness":"soft","next_step_at":null})"),
                             ingestResponseJson("3", "2", "skipped", "x", "soft", std::nullopt));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(IngestBatchPlanTest);
