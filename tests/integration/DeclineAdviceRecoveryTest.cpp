// Issue 16 on a real host: decline advice shapes a recovery (at ingest and after a declined charge
// retry), the card networks' retry limits refuse a retry across recoveries of one card (and its
// message still goes), ops tighten limits but never loosen them, and a payment the PSP finds
// already paid recovers without a charge. Charges go to test-scripted-psp (tests/plugins), whose
// answers are scripted by the payment reference; messages to a real SMTP server.
#include "SmtpTestServer.h"
#include "TestPluginPaths.h"
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>

using namespace tinko;
using namespace tinko::test;

namespace {
const std::string kAnotherCard = "please pay with another card";

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
    return n;
}
}  // namespace

class DeclineAdviceRecoveryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DeclineAdviceRecoveryTest);
    CPPUNIT_TEST(adviceFieldsAreValidated);
    CPPUNIT_TEST(doNotTryAgainAtIngestLeavesOnlyMessages);
    CPPUNIT_TEST(mac24AtIngestMovesTheChargeAnHourOut);
    CPPUNIT_TEST(aProvidersWebhookCarriesTheAdviceAndTheCard);
    CPPUNIT_TEST(aRetryDeclinedWithMac03StopsLaterChargesAndAsksForAnotherCard);
    CPPUNIT_TEST(aRetryDeclinedWithMac25MovesTheNextChargeADayOut);
    CPPUNIT_TEST(aCardOverVisasLimitAcrossRecoveriesIsRefusedAndStillMessaged);
    CPPUNIT_TEST(opsTightenLimitsButNeverLoosenThem);
    CPPUNIT_TEST(alreadyPaidRecoversWithoutACharge);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<SmtpTestServer> smtp_;
    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    void setUp() override {
        smtp_ = std::make_unique<SmtpTestServer>(SmtpTestServer::Options{});
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR},
                                               {"TINKO_SCHEDULER_POLL_MS", "50"},
                                               {"TINKO_STEP_RETRY_SECONDS", "1"}});
        auto loaded = host_->ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_SCRIPTED_PSP "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        key_ = host_->createOrgWithKey("acme");
        put("/v1/config/psp", R"({"plugin":"test-scripted-psp","config":{}})");
        put("/v1/config/channels/email", R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" +
                                             std::to_string(smtp_->port()) +
                                             R"(,"tls":"none","from":"Acme Ltd <billing@acme.test>"}})");
    }

    void tearDown() override {
        host_.reset();
        smtp_.reset();
    }

    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(key_));
    }
    void put(const std::string& path, const std::string& body) {
        auto r = call("PUT", path, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, 200, r.status);
    }
    // A policy of `retries` steps, `delay` seconds apart, charging and emailing.
    void policy(int retries, int delay) {
        auto r = call("POST", "/v1/retry/policies",
                      R"({"name":"advice","max_retries":)" + std::to_string(retries) + R"(,"initial_delay_seconds":)" +
                          std::to_string(delay) + R"(,"backoff_multiplier":1,"max_delay_seconds":)" + std::to_string(delay) +
                          R"(,"channels":["email"],"retry_charge":true,"link_ttl_seconds":3600,"is_active":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
    }
    // A failed payment (no payment reference when `payment` is empty: nothing to charge); `extra`
    // adds fields (starting with a comma).
    HttpResult failed(const std::string& ref, const std::string& payment, const std::string& extra, bool withEmail = true) {
        return call("POST", "/v1/events/payment_failed",
                    R"({"transaction_ref":")" + ref + R"(","amount":1999,"currency":"USD","decline_code":"do_not_honor")" +
                        (payment.empty() ? "" : R"(,"payment_reference":")" + payment + "\"") + extra +
                        (withEmail ? R"(,"customer":{"email":"ann@example.com","name":"Ann"}})" : "}"));
    }
    Poco::JSON::Object::Ptr recovery(const std::string& ref) { return call("GET", "/v1/recoveries/by_ref/" + ref).json(); }
    Poco::JSON::Object::Ptr step(const std::string& ref, unsigned i) { return recovery(ref)->getArray("steps")->getObject(i); }
    std::string logs() { return host_->process.stdoutText() + host_->process.stderrText(); }
    std::string mailText(std::size_t i) { return smtp_->received().at(i).at("parts").at(0).at("content").get<std::string>(); }

    void adviceFieldsAreValidated() {
        policy(1, 1);
        for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
                 {"network_advice_code", "\"3\""}, {"network_advice_code", "\"ab\""}, {"card_network", "\"VISA\""},
                 {"advice_code", "\"Do Not\""}, {"network_decline_code", "\"5 1\""}, {"card_fingerprint", "\"\""}}) {
            auto r = failed("bad-1", "decline", "," + std::string("\"") + field + "\":" + value);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(field + ": " + r.body, 422, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
            CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find(field) != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(404, call("GET", "/v1/recoveries/by_ref/bad-1").status);   // nothing stored
    }

    void doNotTryAgainAtIngestLeavesOnlyMessages() {
        policy(2, 1);
        auto r = failed("order-stop", "succeed", R"(,"advice_code":"do_not_try_again","card_network":"visa","payment_method":"pm_1")");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        auto rec = recovery("order-stop");
        CPPUNIT_ASSERT_EQUAL(std::string("stop_charges"), rec->getObject("charge_advice")->getValue<std::string>("decision"));
        auto steps = rec->getArray("steps");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), steps->size());
        for (unsigned i = 0; i < steps->size(); ++i) CPPUNIT_ASSERT(!steps->getObject(i)->getValue<bool>("retry_charge"));
        // The messages go, ask for another card, and nothing is charged (the PSP would have said "succeeded").
        CPPUNIT_ASSERT_MESSAGE(smtp_->output(), smtp_->waitForMessages(2, 20s));
        CPPUNIT_ASSERT_MESSAGE(mailText(0), mailText(0).find(kAnotherCard) != std::string::npos);
        CPPUNIT_ASSERT(waitUntil([&] { return step("order-stop", 1)->optValue<std::string>("state", "") == "done"; }, 10s));
        CPPUNIT_ASSERT_EQUAL(std::string("stop_charges"),
                             step("order-stop", 0)->getObject("detail")->getObject("advice")->getValue<std::string>("decision"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), count(logs(), "scripted retry_charge"));
        CPPUNIT_ASSERT_EQUAL(std::string("exhausted"), recovery("order-stop")->getValue<std::string>("state"));
    }

    void mac24AtIngestMovesTheChargeAnHourOut() {
        policy(2, 1);
        auto r = failed("order-24", "decline", R"(,"network_advice_code":"24","card_network":"mastercard","card_fingerprint":"fp_24")");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        auto rec = recovery("order-24");
        auto advice = rec->getObject("charge_advice");
        CPPUNIT_ASSERT_EQUAL(std::string("delay_charges"), advice->getValue<std::string>("decision"));
        CPPUNIT_ASSERT_EQUAL(std::string("24"), advice->getValue<std::string>("code"));
        CPPUNIT_ASSERT(advice->has("retry_not_before"));
        auto steps = rec->getArray("steps");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), steps->size());
        // The message a second out goes without a charge; the charge waits an hour.
        CPPUNIT_ASSERT(!steps->getObject(0)->getValue<bool>("retry_charge"));
        CPPUNIT_ASSERT(steps->getObject(1)->getValue<bool>("retry_charge"));
        const std::string due = steps->getObject(1)->getValue<std::string>("due_at");
        CPPUNIT_ASSERT_MESSAGE(due + " vs " + advice->getValue<std::string>("retry_not_before"),
                               due >= advice->getValue<std::string>("retry_not_before").substr(0, 16));
        CPPUNIT_ASSERT_MESSAGE(smtp_->output(), smtp_->waitForMessages(1, 20s));
        CPPUNIT_ASSERT(mailText(0).find(kAnotherCard) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), count(logs(), "scripted retry_charge"));
        // The card's key and network were stored from the event.
        store::PgConnection db(host_->databaseUrl);
        auto row = db.query("SELECT card_key, card_network FROM transactions WHERE ref = 'order-24'");
        CPPUNIT_ASSERT_EQUAL(std::string("fp:fp_24"), *row.at(0)[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("mastercard"), *row.at(0)[1]);
    }

    // parse_webhook's payment_failed event carries the advice and the card (ABI 1.3), as the API does.
    void aProvidersWebhookCarriesTheAdviceAndTheCard() {
        policy(2, 1);
        const std::string body =
            R"({"id":"evt_advice","event":{"type":"payment_failed","transaction_ref":"order-hook","amount":1999,"currency":"USD",)"
            R"("decline_code":"do_not_honor","payment_reference":"succeed","payment_method":"pm_hook","card_network":"mastercard",)"
            R"("card_fingerprint":"fp_hook","network_advice_code":"21","customer":{"email":"ann@example.com"}}})";
        auto r = httpCall(host_->port(), "POST", "/v1/webhooks/test-scripted-psp/acme", body,
                          {{"Content-Type", "application/json"}, {"X-Test-Signature", "valid"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto rec = recovery("order-hook");
        auto advice = rec->getObject("charge_advice");
        CPPUNIT_ASSERT_EQUAL(std::string("21"), advice->getValue<std::string>("code"));
        CPPUNIT_ASSERT_EQUAL(std::string("stop_charges"), advice->getValue<std::string>("decision"));
        for (unsigned i = 0; i < rec->getArray("steps")->size(); ++i) CPPUNIT_ASSERT(!step("order-hook", i)->getValue<bool>("retry_charge"));
        store::PgConnection db(host_->databaseUrl);
        auto row = db.query("SELECT t.card_key, t.card_network, a.stop_advice::text FROM transactions t"
                            " JOIN card_charge_attempts a ON a.card_key = t.card_key WHERE t.ref = 'order-hook'");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), row.size());
        CPPUNIT_ASSERT_EQUAL(std::string("fp:fp_hook"), *row[0][0]);
        CPPUNIT_ASSERT_EQUAL(std::string("mastercard"), *row[0][1]);
        CPPUNIT_ASSERT_EQUAL(std::string("true"), *row[0][2]);   // counted by after_mac_03_21
    }

    void aRetryDeclinedWithMac03StopsLaterChargesAndAsksForAnotherCard() {
        policy(3, 1);
        auto r = failed("order-03", "decline_mac_03", R"(,"payment_method":"pm_03")");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        CPPUNIT_ASSERT_MESSAGE(smtp_->output(), smtp_->waitForMessages(3, 30s));
        CPPUNIT_ASSERT(waitUntil([&] { return step("order-03", 2)->optValue<std::string>("state", "") == "done"; }, 10s));
        // One charge, declined with MAC 03; the later steps lost their charge.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), count(logs(), "scripted retry_charge decline_mac_03"));
        auto first = step("order-03", 0);
        auto advice = first->getObject("detail")->getObject("advice");
        CPPUNIT_ASSERT_EQUAL(std::string("03"), advice->getValue<std::string>("code"));
        CPPUNIT_ASSERT_EQUAL(std::string("network_advice_code"), advice->getValue<std::string>("source"));
        CPPUNIT_ASSERT_EQUAL(std::string("stop_charges"), advice->getValue<std::string>("decision"));
        CPPUNIT_ASSERT_EQUAL(std::string("declined"), first->getObject("detail")->getObject("charge")->getValue<std::string>("outcome"));
        CPPUNIT_ASSERT(!step("order-03", 1)->getValue<bool>("retry_charge"));
        CPPUNIT_ASSERT(!step("order-03", 2)->getValue<bool>("retry_charge"));
        // Every message, the declined step's own included, asks for another card.
        for (std::size_t i = 0; i < 3; ++i) CPPUNIT_ASSERT_MESSAGE(mailText(i), mailText(i).find(kAnotherCard) != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("stop_charges"),
                             recovery("order-03")->getObject("charge_advice")->getValue<std::string>("decision"));
    }

    void aRetryDeclinedWithMac25MovesTheNextChargeADayOut() {
        policy(3, 1);
        CPPUNIT_ASSERT_EQUAL(201, failed("order-25", "decline_mac_25", "").status);
        // Step 1 charges (declined, MAC 25: retry after 24 hours) and emails; step 2 then only
        // emails; step 3 keeps its charge, moved a day out.
        CPPUNIT_ASSERT(waitUntil([&] { return step("order-25", 1)->optValue<std::string>("state", "") == "done"; }, 20s));
        auto advice = step("order-25", 0)->getObject("detail")->getObject("advice");
        CPPUNIT_ASSERT_EQUAL(std::string("delay_charges"), advice->getValue<std::string>("decision"));
        CPPUNIT_ASSERT_EQUAL(std::string("25"), advice->getValue<std::string>("code"));
        const std::string notBefore = advice->getValue<std::string>("retry_not_before");
        CPPUNIT_ASSERT(!step("order-25", 1)->getValue<bool>("retry_charge"));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), step("order-25", 1)->getValue<std::string>("outcome"));
        auto last = step("order-25", 2);
        CPPUNIT_ASSERT(last->getValue<bool>("retry_charge"));
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), last->getValue<std::string>("state"));
        CPPUNIT_ASSERT_MESSAGE(last->getValue<std::string>("due_at") + " vs " + notBefore,
                               last->getValue<std::string>("due_at").substr(0, 16) >= notBefore.substr(0, 16));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), count(logs(), "scripted retry_charge decline_mac_25"));
        CPPUNIT_ASSERT_EQUAL(std::string("25"), recovery("order-25")->getObject("charge_advice")->getValue<std::string>("code"));
    }

    // Visa: 15 attempts in 30 days (the failed payments included). 13 earlier failures of the card,
    // then recovery A (its failure is the 14th attempt, its charge retry the 15th), then recovery B:
    // its failure is the 16th, so its charge retry is refused, and its message still goes.
    void aCardOverVisasLimitAcrossRecoveriesIsRefusedAndStillMessaged() {
        policy(1, 1);
        const std::string card = R"(,"card_network":"visa","card_fingerprint":"fp_visa")";
        for (int i = 1; i <= 13; ++i) {
            auto r = failed("old-" + std::to_string(i), "", card, false);   // nothing to charge, no one to tell
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        }
        CPPUNIT_ASSERT_EQUAL(201, failed("order-a", "decline", card).status);
        CPPUNIT_ASSERT(waitUntil([&] { return step("order-a", 0)->optValue<std::string>("state", "") == "done"; }, 20s));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), step("order-a", 0)->getValue<std::string>("outcome"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), count(logs(), "scripted retry_charge decline"));

        CPPUNIT_ASSERT_EQUAL(201, failed("order-b", "decline", card).status);
        CPPUNIT_ASSERT(waitUntil([&] { return step("order-b", 0)->optValue<std::string>("state", "") == "done"; }, 20s));
        auto refused = step("order-b", 0);
        CPPUNIT_ASSERT_EQUAL(std::string("network_limit"), refused->getValue<std::string>("outcome"));
        auto limit = refused->getObject("detail")->getObject("network_limit");
        CPPUNIT_ASSERT_EQUAL(std::string("visa"), limit->getValue<std::string>("network"));
        CPPUNIT_ASSERT_EQUAL(std::string("attempts_30d"), limit->getValue<std::string>("rule"));
        CPPUNIT_ASSERT_EQUAL(15, limit->getValue<int>("max_attempts"));
        CPPUNIT_ASSERT_EQUAL(16LL, limit->getValue<long long>("counted"));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), refused->getObject("detail")->getValue<std::string>("notification"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), count(logs(), "scripted retry_charge decline"));   // no second charge
        CPPUNIT_ASSERT_MESSAGE(smtp_->output(), smtp_->waitForMessages(2, 10s));
    }

    void opsTightenLimitsButNeverLoosenThem() {
        auto list = host_->ops("GET", "/v1/admin/card-retry-limits");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, 200, list.status);
        CPPUNIT_ASSERT_MESSAGE(list.body, list.body.find(R"("network":"visa","rule":"attempts_30d","counts":"attempts","max_attempts":15)") !=
                                              std::string::npos);
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host_->port(), "GET", "/v1/admin/card-retry-limits").status);
        CPPUNIT_ASSERT(call("PUT", "/v1/admin/card-retry-limits/visa/attempts_30d", R"({"max_attempts":1})").status / 100 == 4);

        auto tightened = host_->ops("PUT", "/v1/admin/card-retry-limits/visa/attempts_30d", R"({"max_attempts":1,"window_seconds":5184000})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tightened.body, 200, tightened.status);
        CPPUNIT_ASSERT_EQUAL(1, tightened.json()->getValue<int>("max_attempts"));
        CPPUNIT_ASSERT_EQUAL(5184000LL, tightened.json()->getValue<long long>("window_seconds"));
        CPPUNIT_ASSERT_EQUAL(15, tightened.json()->getValue<int>("default_max_attempts"));

        for (const std::string body : {R"({"max_attempts":16})", R"({"window_seconds":86400})", R"({"max_attempts":-1})"}) {
            auto loosened = host_->ops("PUT", "/v1/admin/card-retry-limits/visa/attempts_30d", body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body + ": " + loosened.body, 422, loosened.status);
            const std::string field = body.find("window") != std::string::npos ? "window_seconds" : "max_attempts";
            CPPUNIT_ASSERT_MESSAGE(loosened.body, loosened.body.find(field) != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(404, host_->ops("PUT", "/v1/admin/card-retry-limits/visa/nope", R"({"max_attempts":1})").status);
        auto unchanged = host_->ops("GET", "/v1/admin/card-retry-limits");
        CPPUNIT_ASSERT(unchanged.body.find(R"("network":"visa","rule":"attempts_30d","counts":"attempts","max_attempts":1,)") !=
                       std::string::npos);
        store::PgConnection db(host_->databaseUrl);
        auto audit = db.query("SELECT count(*)::text FROM audit_log WHERE action = 'card_retry_limit.tightened'"
                              " AND subject = 'card_retry_limit:visa/attempts_30d'");
        CPPUNIT_ASSERT_EQUAL(std::string("1"), *audit.at(0)[0]);

        // The tightened limit applies: the card's failed payment is its one attempt, so no retry.
        policy(1, 1);
        CPPUNIT_ASSERT_EQUAL(201, failed("order-t", "decline", R"(,"card_network":"visa","payment_method":"pm_t")").status);
        CPPUNIT_ASSERT(waitUntil([&] { return step("order-t", 0)->optValue<std::string>("state", "") == "done"; }, 20s));
        CPPUNIT_ASSERT_EQUAL(std::string("network_limit"), step("order-t", 0)->getValue<std::string>("outcome"));
    }

    void alreadyPaidRecoversWithoutACharge() {
        policy(2, 1);
        CPPUNIT_ASSERT_EQUAL(201, failed("order-paid", "paid_already", "").status);
        CPPUNIT_ASSERT(waitUntil([&] { return recovery("order-paid")->getValue<std::string>("state") == "recovered"; }, 20s));
        auto rec = recovery("order-paid");
        CPPUNIT_ASSERT_EQUAL(std::string("already_paid"), rec->getArray("steps")->getObject(0)->getValue<std::string>("outcome"));
        CPPUNIT_ASSERT(rec->getArray("steps")->getObject(0)->getObject("detail")->getObject("charge")->getValue<bool>("already_paid"));
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), rec->getArray("steps")->getObject(1)->getValue<std::string>("state"));
        CPPUNIT_ASSERT(smtp_->received().empty());   // no message to a customer who paid
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeclineAdviceRecoveryTest);
