// Issue 16's ways to more money, end to end through the real Stripe plugin, the contract-checking
// fake Stripe and a real SMTP server:
//   - the new-card path: a payment fails with advice not to try the card again, so no charge is
//     retried and the email asks for another card; the customer opens the page, presses "Use
//     another card", saves a card in Stripe's setup-mode checkout, Stripe's setup_intent.succeeded
//     webhook arrives, and Tinko charges the new card at once. The recovery is recovered by
//     "new_card", the analytics say so, and the merchant hears payment_method.updated once; a new
//     card declined for want of funds leaves the recovery going, and its later emails no longer
//     ask for another card (that advice was the old card's);
//   - already paid: the PaymentIntent succeeded meanwhile, so the charge retry confirms nothing
//     and the recovery is recovered "outside";
//   - a Stripe webhook whose decline carries Mastercard's MAC 24 (retry after an hour) moves the
//     recovery's first charge retry past that hour.
#include "FakeStripe.h"
#include "SmtpTestServer.h"
#include "TestSupport.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <ctime>
#include <regex>

using namespace tinko;
using namespace tinko::test;

namespace {
const std::string kStripeWebhookSecret = "whsec_new_card_e2e";

std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }
}  // namespace

class StripeRecoveryPathsEndToEndTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StripeRecoveryPathsEndToEndTest);
    CPPUNIT_TEST(aCustomerSavesANewCardAndItIsChargedAtOnce);
    CPPUNIT_TEST(laterMessagesNoLongerAskForAnotherCardOnceOneIsSaved);
    CPPUNIT_TEST(aPaymentAlreadyPaidIsRecoveredWithoutACharge);
    CPPUNIT_TEST(aWebhooksMerchantAdviceCodeMovesTheFirstCharge);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<fakes::FakeStripe> stripe_;
    std::unique_ptr<SmtpTestServer> smtp_;
    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    void setUp() override {
        stripe_ = std::make_unique<fakes::FakeStripe>();
        stripe_->start();
        smtp_ = std::make_unique<SmtpTestServer>(SmtpTestServer::Options{});
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SCHEDULER_POLL_MS", "50"}});
        key_ = host_->createOrgWithKey("acme");
        put("/v1/config/psp", R"({"plugin":"stripe","config":{"secret_key":")" + stripe_->secretKey() + R"(","webhook_secret":")" +
                                  kStripeWebhookSecret + R"(","api_base":")" + stripe_->baseUrl() + R"("}})");
        put("/v1/config/channels/email", R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" +
                                             std::to_string(smtp_->port()) +
                                             R"(,"tls":"none","from":"Acme Ltd <billing@acme.test>"}})");
        // Charges would be retried (a soft decline, a PSP that can), were it not for the advice.
        auto policy = call("POST", "/v1/retry/policies",
                           R"({"name":"e2e","max_retries":2,"initial_delay_seconds":1,"backoff_multiplier":10,)"
                           R"("max_delay_seconds":3600,"channels":["email"],"retry_charge":true,"link_ttl_seconds":3600,"is_active":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(policy.body, 201, policy.status);
    }

    void tearDown() override {
        host_.reset();
        smtp_.reset();
        stripe_.reset();
    }

    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(key_));
    }
    void put(const std::string& path, const std::string& body) {
        auto r = call("PUT", path, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, 200, r.status);
    }
    std::vector<fakes::FakeStripeRequest> confirmations(const std::string& intent = "pi_card") const {
        std::vector<fakes::FakeStripeRequest> found;
        for (const auto& r : stripe_->requests())
            if (r.method == "POST" && r.path == "/v1/payment_intents/" + intent + "/confirm") found.push_back(r);
        return found;
    }
    HttpResult recoveryOnceItIs(const std::string& ref, const std::string& state) {
        HttpResult recovery;
        const bool reached = waitUntil([&] {
            recovery = call("GET", "/v1/recoveries/by_ref/" + ref);
            return recovery.status == 200 && recovery.json()->getValue<std::string>("state") == state;
        }, std::chrono::seconds(20));
        CPPUNIT_ASSERT_MESSAGE(recovery.body, reached);
        return recovery;
    }
    HttpResult postWebhook(const std::string& body) {
        auto signed_ = fakes::FakeStripe::signedWebhook(body, kStripeWebhookSecret, std::time(nullptr));
        return httpCall(host_->port(), "POST", "/v1/webhooks/stripe/acme", signed_.body,
                        {{"Content-Type", "application/json"}, {"Stripe-Signature", signed_.signatureHeader}});
    }

    // The text of the `index`th email, once it has come.
    std::string email(std::size_t index) {
        CPPUNIT_ASSERT_MESSAGE(smtp_->output(), smtp_->waitForMessages(index + 1, std::chrono::seconds(30)));
        return smtp_->received()[index].at("parts").at(0).at("content").get<std::string>();
    }

    // A payment of a Stripe customer's card fails with advice not to try the card again (Stripe's
    // do_not_try_again). Its first email asks for another card; returns the path of its link.
    std::string failedForGoodWithFirstEmailsLink(const std::string& ref) {
        stripe_->addPaymentIntent({"pi_card", 2500, "usd", "pm_card_mastercard", {}, "requires_payment_method", "cus_ann"});
        auto created = call("POST", "/v1/events/payment_failed",
                            R"({"transaction_ref":")" + ref + R"(","amount":2500,"currency":"USD","decline_code":"do_not_honor",)"
                            R"("advice_code":"do_not_try_again","card_network":"mastercard","payment_method":"pm_card_mastercard",)"
                            R"("payment_reference":"pi_card","customer":{"email":"ann@example.com","name":"Ann"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const std::string text = email(0);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("another card") != std::string::npos);
        std::smatch link;
        CPPUNIT_ASSERT_MESSAGE(text, std::regex_search(text, link, std::regex(R"(https?://\S+/r/[A-Za-z0-9_-]+)")));
        return pathOf(link.str());
    }

    void aCustomerSavesANewCardAndItIsChargedAtOnce() {
        // The email asks for another card; the card on file is never charged again.
        const std::string link = failedForGoodWithFirstEmailsLink("order-9");
        auto page = httpCall(host_->port(), "GET", link);
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, page.body.find("Use another card") != std::string::npos);

        auto pressed = httpCall(host_->port(), "POST", link + "/new-card");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pressed.body, 303, pressed.status);
        const std::string checkout = pressed.header("location");
        CPPUNIT_ASSERT_MESSAGE(checkout, checkout.rfind(stripe_->baseUrl() + "/checkout/", 0) == 0);
        const std::string sessionId = checkout.substr(checkout.rfind('/') + 1);
        auto session = stripe_->checkoutSession(sessionId);
        CPPUNIT_ASSERT(session.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("setup"), session->find("mode")->asString());
        CPPUNIT_ASSERT_EQUAL(std::string("cus_ann"), session->find("customer")->asString());
        CPPUNIT_ASSERT(confirmations().empty());

        auto saved = stripe_->completeSetupSession(sessionId, "visa");
        auto taken = postWebhook(saved.setupIntentSucceeded);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(taken.body, 200, taken.status);

        auto recovery = recoveryOnceItIs("order-9", "recovered");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(recovery.body, std::string("new_card"), recovery.json()->getValue<std::string>("recovered_by"));
        // One charge, with the new card, off session.
        auto charges = confirmations();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), charges.size());
        CPPUNIT_ASSERT_EQUAL(saved.paymentMethod, charges[0].formValue("payment_method").value_or(""));
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), stripe_->paymentIntent("pi_card")->find("status")->asString());

        // Stripe delivers again (it may): nothing more is charged or told.
        CPPUNIT_ASSERT_EQUAL(200, postWebhook(saved.setupIntentSucceeded).status);
        std::string feed;
        CPPUNIT_ASSERT(waitUntil([&] {
            feed = call("GET", "/v1/events?type=payment_method.updated").body;
            return feed.find("payment_method.updated") != std::string::npos;
        }, std::chrono::seconds(10)));
        auto events = Poco::JSON::Parser().parse(feed).extract<Poco::JSON::Object::Ptr>()->getArray("data");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(feed, std::size_t(1), events->size());
        CPPUNIT_ASSERT_EQUAL(saved.paymentMethod,
                             events->getObject(0)->getObject("data")->getValue<std::string>("payment_method"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), confirmations().size());

        auto summary = call("GET", "/v1/analytics/summary");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary.body, 200, summary.status);
        auto byHow = summary.json()->getObject("recovered_by");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary.body, 1LL, byHow->getObject("new_card")->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary.body, 2500LL,
                                     byHow->getObject("new_card")->getObject("recovered_amount")->getValue<long long>("USD"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary.body, 0LL, byHow->getObject("charge_retry")->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_MESSAGE(stripe_->violations().empty() ? "" : stripe_->violations()[0], stripe_->violations().empty());
    }

    void laterMessagesNoLongerAskForAnotherCardOnceOneIsSaved() {
        const std::string link = failedForGoodWithFirstEmailsLink("order-10");

        // The new card is declined too, for want of funds: the recovery goes on to its next email
        // (due 11 s after the failure), which must not ask for yet another card.
        auto pressed = httpCall(host_->port(), "POST", link + "/new-card");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pressed.body, 303, pressed.status);
        const std::string checkout = pressed.header("location");
        stripe_->declineNextConfirm("insufficient_funds");
        auto saved = stripe_->completeSetupSession(checkout.substr(checkout.rfind('/') + 1), "visa");
        CPPUNIT_ASSERT_EQUAL(200, postWebhook(saved.setupIntentSucceeded).status);
        CPPUNIT_ASSERT(waitUntil([&] { return confirmations().size() == 1; }, std::chrono::seconds(20)));
        auto recovery = call("GET", "/v1/recoveries/by_ref/order-10").json();
        CPPUNIT_ASSERT(recovery->isNull("charge_advice"));

        const std::string second = email(1);
        CPPUNIT_ASSERT_MESSAGE(second, second.find("another card") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(stripe_->violations().empty() ? "" : stripe_->violations()[0], stripe_->violations().empty());
    }

    void aPaymentAlreadyPaidIsRecoveredWithoutACharge() {
        // The customer paid another way after the decline: Stripe shows the PaymentIntent succeeded.
        stripe_->addPaymentIntent({"pi_paid", 1500, "usd", "pm_card_visa", {}, "succeeded", "cus_ann"});
        auto created = call("POST", "/v1/events/payment_failed",
                            R"({"transaction_ref":"order-10","amount":1500,"currency":"USD","decline_code":"insufficient_funds",)"
                            R"("payment_reference":"pi_paid","customer":{"email":"ann@example.com"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);

        auto recovery = recoveryOnceItIs("order-10", "recovered");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(recovery.body, std::string("outside"), recovery.json()->getValue<std::string>("recovered_by"));
        auto first = recovery.json()->getArray("steps")->getObject(0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(recovery.body, std::string("already_paid"), first->getValue<std::string>("outcome"));
        // Stripe was asked, nothing was confirmed, and the customer was not emailed for it.
        CPPUNIT_ASSERT(confirmations("pi_paid").empty());
        bool looked = false;
        for (const auto& r : stripe_->requests()) looked = looked || (r.method == "GET" && r.path == "/v1/payment_intents/pi_paid");
        CPPUNIT_ASSERT(looked);
        CPPUNIT_ASSERT(smtp_->received().empty());
        auto summary = call("GET", "/v1/analytics/summary");
        auto outside = summary.json()->getObject("recovered_by")->getObject("outside");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary.body, 1LL, outside->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary.body, 1500LL, outside->getObject("recovered_amount")->getValue<long long>("USD"));
        CPPUNIT_ASSERT(stripe_->violations().empty());
    }

    void aWebhooksMerchantAdviceCodeMovesTheFirstCharge() {
        stripe_->addPaymentIntent({"pi_mc", 3000, "usd", "pm_card_mastercard", {{"tinko_transaction_ref", "order-mc"}},
                                   "requires_payment_method", "cus_bo"});
        fakes::DeclineAdvice advice;
        advice.networkAdviceCode = "24";   // Mastercard: retry after 1 hour
        advice.cardBrand = "mastercard";
        const auto before = std::time(nullptr);
        auto taken = postWebhook(stripe_->paymentFailedEvent("pi_mc", "insufficient_funds", advice));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(taken.body, 200, taken.status);

        auto recovery = recoveryOnceItIs("order-mc", "active");
        auto chargeAdvice = recovery.json()->getObject("charge_advice");
        CPPUNIT_ASSERT_MESSAGE(recovery.body, !chargeAdvice.isNull());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(recovery.body, std::string("24"), chargeAdvice->getValue<std::string>("code"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(recovery.body, std::string("delay_charges"), chargeAdvice->getValue<std::string>("decision"));
        // The policy's steps fall due after 1 s and 11 s; no charge may be tried within the hour.
        auto steps = recovery.json()->getArray("steps");
        int charges = 0;
        for (std::size_t i = 0; i < steps->size(); ++i) {
            auto step = steps->getObject(i);
            if (!step->getValue<bool>("retry_charge") || step->getValue<std::string>("state") == "cancelled") continue;
            ++charges;
            const auto due = parseUtc(step->getValue<std::string>("due_at"));
            CPPUNIT_ASSERT_MESSAGE(recovery.body, due >= before + 3600);
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(recovery.body, 1, charges);
        CPPUNIT_ASSERT(confirmations("pi_mc").empty());
        CPPUNIT_ASSERT(stripe_->violations().empty());
    }

    // "2026-12-07T01:47:36Z" as unix seconds.
    static std::time_t parseUtc(const std::string& text) {
        std::tm tm{};
        CPPUNIT_ASSERT_MESSAGE(text, strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) != nullptr);
        return timegm(&tm);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StripeRecoveryPathsEndToEndTest);
