// The fake Stripe API itself, over real HTTP: it refuses what Stripe (or Tinko's contract) would
// refuse, with Stripe's error shape, and records it as a violation; it accepts a well-formed
// request, replays idempotent ones, follows its scripts, and serves the hosted checkout page.
#include "FakeStripe.h"
#include "StripeTestSupport.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <ctime>

using tinko::fakes::FakeStripe;
using tinko::json::Value;
using tinko::test::HttpResult;
using tinko::test::httpCall;

namespace {

using Headers = std::map<std::string, std::string>;

Headers goodHeaders(const std::string& idempotencyKey = "key-1") {
    return {{"Authorization", "Bearer sk_test_tinko_fake"},
            {"Idempotency-Key", idempotencyKey},
            {"Stripe-Version", "2023-08-16"},
            {"Content-Type", "application/x-www-form-urlencoded"}};
}
Headers without(Headers headers, const std::string& name) {
    headers.erase(name);
    return headers;
}

std::string sessionForm(std::int64_t expiresAt = std::time(nullptr) + 3600) {
    return "mode=payment&success_url=https%3A%2F%2Fshop.example%2Fdone&cancel_url=https%3A%2F%2Fshop.example%2Fcart"
           "&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1999"
           "&line_items[0][price_data][product_data][name]=Payment%20order-7&line_items[0][quantity]=1"
           "&client_reference_id=7&metadata[tinko_recovery_id]=7"
           "&payment_intent_data[metadata][tinko_transaction_ref]=order-7&expires_at=" +
           std::to_string(expiresAt);
}

Value errorOf(const HttpResult& r) { return tinko::json::parse(r.body).at("error"); }

// A setup-mode session for `customer`, as the stripe plugin asks for a new card.
std::string setupForm(const std::string& customer = "cus_jenny") {
    return "mode=setup&customer=" + customer + "&payment_method_types[0]=card"
           "&success_url=https%3A%2F%2Fshop.example%2Fdone&cancel_url=https%3A%2F%2Fshop.example%2Fcart"
           "&client_reference_id=7&metadata[tinko_recovery_id]=7"
           "&setup_intent_data[metadata][tinko_recovery_id]=7&setup_intent_data[metadata][tinko_transaction_ref]=order-7"
           "&expires_at=" + std::to_string(std::time(nullptr) + 3600);
}

}  // namespace

class FakeStripeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FakeStripeTest);
    CPPUNIT_TEST(refusesASessionWithoutSuccessUrl);
    CPPUNIT_TEST(refusesARequestWithoutAuthorization);
    CPPUNIT_TEST(aWrongKeyIsUnauthorizedButNoViolation);
    CPPUNIT_TEST(refusesAPostWithoutIdempotencyKey);
    CPPUNIT_TEST(refusesWhatTheSchemaDoesNotAllow);
    CPPUNIT_TEST(refusesOtherEncodingsVersionsAndPaths);
    CPPUNIT_TEST(refusesAnExpiryOutsideStripesWindow);
    CPPUNIT_TEST(acceptsAWellFormedSessionAndServesItsPage);
    CPPUNIT_TEST(theSameKeyReplaysTheFirstAnswer);
    CPPUNIT_TEST(confirmationFollowsTheScriptsAndTheIntentsState);
    CPPUNIT_TEST(anInjectedServerErrorIsNotSaved);
    CPPUNIT_TEST(aServerErrorOfStripesEndpointIsReplayed);
    CPPUNIT_TEST(aDelayedAnswerWasStillCarriedOut);
    CPPUNIT_TEST(eventsDescribeTheIntentsState);
    CPPUNIT_TEST(setupModeKeepsItsRules);
    CPPUNIT_TEST(aSetupSessionSavesACardOnTheCustomer);
    CPPUNIT_TEST(aScriptedDeclineCarriesItsAdvice);
    CPPUNIT_TEST(aPaidPaymentIntentCannotBeConfirmed);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        stripe_ = std::make_unique<FakeStripe>();
        stripe_->start();
    }
    void tearDown() override { stripe_.reset(); }

    HttpResult post(const std::string& path, const std::string& body, const Headers& headers = goodHeaders()) {
        return httpCall(stripe_->port(), "POST", path, body, headers);
    }
    HttpResult get(const std::string& path) {
        return httpCall(stripe_->port(), "GET", path, "", without(without(goodHeaders(), "Idempotency-Key"), "Content-Type"));
    }

    // Setup mode (the spec: payment_method_types "is required in `setup` mode"; line items are
    // payment's), and Tinko's contract: the card goes on the failed payment's customer.
    void setupModeKeepsItsRules() {
        stripe_->addPaymentIntent({"pi_1", 1999, "eur", "", {}, "requires_payment_method", "cus_jenny"});
        struct Case {
            std::string form, param;
        };
        const std::vector<Case> refused = {
            {setupForm() + "&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=1999"
                           "&line_items[0][price_data][product_data][name]=x&line_items[0][quantity]=1", "line_items"},
            {setupForm() + "&payment_intent_data[metadata][a]=b", "payment_intent_data"},
            {[] { std::string f = setupForm(); f.erase(f.find("&payment_method_types[0]=card"), 29); return f; }(), "payment_method_types"},
            {[] { std::string f = setupForm(); f.erase(f.find("customer=cus_jenny&"), 19); return f; }(), "customer"},
            {setupForm("cus_nobody"), "customer"},
            {setupForm() + "&customer_email=jenny%40example.com", "customer_email"},
        };
        int n = 0;
        for (const Case& c : refused) {
            const HttpResult r = post("/v1/checkout/sessions", c.form, goodHeaders("setup-" + std::to_string(++n)));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.form, 400, r.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, c.param, errorOf(r).at("param").asString());
        }
        CPPUNIT_ASSERT_EQUAL(refused.size(), stripe_->violations().size());
        CPPUNIT_ASSERT(stripe_->checkoutSessions().empty());
    }

    void aSetupSessionSavesACardOnTheCustomer() {
        stripe_->addPaymentIntent({"pi_1", 1999, "eur", "", {}, "requires_payment_method", "cus_jenny"});
        const HttpResult created = post("/v1/checkout/sessions", setupForm());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 200, created.status);
        const Value session = tinko::json::parse(created.body);
        CPPUNIT_ASSERT_EQUAL(std::string("setup"), session.at("mode").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("cus_jenny"), session.at("customer").asString());
        const std::string id = session.at("id").asString();
        const tinko::fakes::SavedCard saved = stripe_->completeSetupSession(id, "mastercard");
        CPPUNIT_ASSERT_EQUAL(std::string("complete"), stripe_->checkoutSession(id)->at("status").asString());

        const HttpResult setup = get("/v1/setup_intents/" + saved.setupIntent);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(setup.body, 200, setup.status);
        const Value intent = tinko::json::parse(setup.body);
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), intent.at("status").asString());
        CPPUNIT_ASSERT_EQUAL(saved.paymentMethod, intent.at("payment_method").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("cus_jenny"), intent.at("customer").asString());
        CPPUNIT_ASSERT(intent.at("metadata") == Value::object({{"tinko_recovery_id", "7"}, {"tinko_transaction_ref", "order-7"}}));
        const Value event = tinko::json::parse(saved.setupIntentSucceeded);
        CPPUNIT_ASSERT_EQUAL(std::string("setup_intent.succeeded"), event.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(saved.setupIntent, event.at("data").at("object").at("id").asString());
        CPPUNIT_ASSERT_EQUAL(saved.setupIntent,
                             tinko::json::parse(saved.checkoutSessionCompleted).at("data").at("object").at("setup_intent").asString());

        // The saved card charges the customer's PaymentIntent; another customer's refuses it.
        stripe_->addPaymentIntent({"pi_other", 500, "eur", "", {}, "requires_payment_method", "cus_other"});
        CPPUNIT_ASSERT_EQUAL(400, post("/v1/payment_intents/pi_other/confirm", "off_session=true&payment_method=" + saved.paymentMethod,
                                       goodHeaders("c-1")).status);
        const HttpResult charged = post("/v1/payment_intents/pi_1/confirm", "off_session=true&payment_method=" + saved.paymentMethod,
                                        goodHeaders("c-2"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(charged.body, 200, charged.status);
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), tinko::json::parse(charged.body).at("status").asString());
        CPPUNIT_ASSERT_EQUAL(404, get("/v1/setup_intents/seti_unknown").status);
        CPPUNIT_ASSERT(stripe_->violations().empty());
    }

    void aScriptedDeclineCarriesItsAdvice() {
        stripe_->addPaymentIntent({"pi_1", 1999, "eur", "pm_card_mastercard"});
        stripe_->declineNextConfirm("do_not_honor", tinko::fakes::DeclineAdvice{"do_not_try_again", "03", "05", "mastercard"});
        const HttpResult r = post("/v1/payment_intents/pi_1/confirm", "off_session=true");
        CPPUNIT_ASSERT_EQUAL(402, r.status);
        const Value error = errorOf(r);
        CPPUNIT_ASSERT_EQUAL(std::string("do_not_try_again"), error.at("advice_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("03"), error.at("network_advice_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("05"), error.at("network_decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("mastercard"), error.at("payment_method").at("card").at("brand").asString());
        CPPUNIT_ASSERT(error.at("payment_intent").at("last_payment_error").at("network_advice_code") == Value("03"));
        // An unscripted decline carries none of them.
        stripe_->declineNextConfirm("insufficient_funds");
        const Value plain = errorOf(post("/v1/payment_intents/pi_1/confirm", "off_session=true&payment_method=pm_card_mastercard",
                                         goodHeaders("key-2")));
        CPPUNIT_ASSERT(plain.find("advice_code") == nullptr && plain.find("network_advice_code") == nullptr);
    }

    void aPaidPaymentIntentCannotBeConfirmed() {
        stripe_->addPaymentIntent({"pi_paid", 1999, "eur", "pm_card_visa", {}, "succeeded"});
        const HttpResult look = get("/v1/payment_intents/pi_paid");
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), tinko::json::parse(look.body).at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1999), tinko::json::parse(look.body).at("amount_received").asInt());
        const HttpResult r = post("/v1/payment_intents/pi_paid/confirm", "off_session=true");
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_intent_unexpected_state"), errorOf(r).at("code").asString());
    }

    void refusesASessionWithoutSuccessUrl() {
        std::string form = sessionForm();
        form.erase(form.find("&success_url="), std::string("&success_url=https%3A%2F%2Fshop.example%2Fdone").size());
        const HttpResult r = post("/v1/checkout/sessions", form);
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"error":{"code":"parameter_missing",)"
                                         R"("doc_url":"https://stripe.com/docs/error-codes/parameter-missing",)"
                                         R"("message":"Missing required param: success_url.","param":"success_url",)"
                                         R"("type":"invalid_request_error"}})"),
                             r.body);
        CPPUNIT_ASSERT(stripe_->violations() ==
                       std::vector<std::string>{"POST /v1/checkout/sessions: Missing required param: success_url. (param success_url)"});
        CPPUNIT_ASSERT(stripe_->checkoutSessions().empty());
    }

    void refusesARequestWithoutAuthorization() {
        const HttpResult r = post("/v1/checkout/sessions", sessionForm(), without(goodHeaders(), "Authorization"));
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_request_error"), errorOf(r).at("type").asString());
        CPPUNIT_ASSERT(errorOf(r).at("message").asString().rfind("You did not provide an API key.", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stripe_->violations().size());

        Headers basic = goodHeaders();
        basic["Authorization"] = "Basic c2tfdGVzdDo=";
        CPPUNIT_ASSERT_EQUAL(401, post("/v1/checkout/sessions", sessionForm(), basic).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), stripe_->violations().size());
        CPPUNIT_ASSERT(stripe_->checkoutSessions().empty());
    }

    void aWrongKeyIsUnauthorizedButNoViolation() {
        Headers wrong = goodHeaders();
        wrong["Authorization"] = "Bearer sk_test_someone_elses_key";
        const HttpResult r = post("/v1/checkout/sessions", sessionForm(), wrong);
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Invalid API Key provided: sk_test_****_key"), errorOf(r).at("message").asString());
        CPPUNIT_ASSERT(stripe_->violations().empty());
    }

    void refusesAPostWithoutIdempotencyKey() {
        const HttpResult r = post("/v1/checkout/sessions", sessionForm(), without(goodHeaders(), "Idempotency-Key"));
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Tinko's Stripe contract requires an Idempotency-Key header on every POST"),
                             errorOf(r).at("message").asString());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stripe_->violations().size());
        CPPUNIT_ASSERT_EQUAL(400, post("/v1/checkout/sessions", sessionForm(), goodHeaders(std::string(256, 'k'))).status);
        CPPUNIT_ASSERT(stripe_->checkoutSessions().empty());
    }

    void refusesWhatTheSchemaDoesNotAllow() {
        struct Case {
            std::string extra, param, message;
        };
        const std::vector<Case> cases = {
            {"&line_items[1][quantity]=one", "line_items[1][quantity]", "Invalid integer: one"},
            {"&submit_type=buy", "submit_type", "Invalid submit_type: must be one of auto, book, donate, or pay"},
            {"&billing_address_collection=always", "billing_address_collection",
             "Invalid billing_address_collection: must be one of auto or required"},
            {"&line_item[0][quantity]=1", "line_item", "Received unknown parameter: line_item"},
            {"&customer_update=auto", "customer_update", "Invalid object"},
            {"&customer=" + std::string(5001, 'c'), "customer",
             "Invalid string: cccccccccccccccccccc...; must be at most 5000 characters"},
            {"&mode=setup", "mode", "Invalid parameter: mode is given twice or also nested"},
            {"&line_items[0][price_data][recurring][interval_count]=1", "line_items[0][price_data][recurring][interval]",
             "Missing required param: line_items[0][price_data][recurring][interval]."},
            {"&allow_promotion_codes=yes", "allow_promotion_codes", "Invalid boolean: yes"},
        };
        int n = 0;
        for (const Case& c : cases) {
            const HttpResult r = post("/v1/checkout/sessions", sessionForm() + c.extra, goodHeaders("k" + std::to_string(++n)));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.extra, 400, r.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.extra, c.param, errorOf(r).at("param").asString());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.extra, c.message, errorOf(r).at("message").asString());
        }
        CPPUNIT_ASSERT_EQUAL(cases.size(), stripe_->violations().size());
        CPPUNIT_ASSERT(stripe_->checkoutSessions().empty());
    }

    void refusesOtherEncodingsVersionsAndPaths() {
        Headers json = goodHeaders("j");
        json["Content-Type"] = "application/json";
        CPPUNIT_ASSERT_EQUAL(400, post("/v1/checkout/sessions", R"({"mode":"payment"})", json).status);
        Headers version = goodHeaders("v");
        version["Stripe-Version"] = "2020-08-27";
        const HttpResult v = post("/v1/checkout/sessions", sessionForm(), version);
        CPPUNIT_ASSERT_EQUAL(400, v.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Stripe-Version must be 2023-08-16 (the contract's); got '2020-08-27'"),
                             errorOf(v).at("message").asString());
        const HttpResult path = post("/v1/charges", "amount=100&currency=eur", goodHeaders("p"));
        CPPUNIT_ASSERT_EQUAL(404, path.status);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(stripe_->port(), "GET", "/v1/checkout/sessions", "", goodHeaders()).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), stripe_->violations().size());
        CPPUNIT_ASSERT(stripe_->checkoutSessions().empty());
    }

    void refusesAnExpiryOutsideStripesWindow() {
        const std::int64_t now = std::time(nullptr);
        const HttpResult soon = post("/v1/checkout/sessions", sessionForm(now + 600), goodHeaders("a"));
        CPPUNIT_ASSERT_EQUAL(400, soon.status);
        CPPUNIT_ASSERT_EQUAL(std::string("expires_at"), errorOf(soon).at("param").asString());
        const HttpResult late = post("/v1/checkout/sessions", sessionForm(now + 25 * 3600), goodHeaders("b"));
        CPPUNIT_ASSERT_EQUAL(400, late.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), stripe_->violations().size());
    }

    void acceptsAWellFormedSessionAndServesItsPage() {
        const HttpResult r = post("/v1/checkout/sessions", sessionForm());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT(stripe_->violations().empty());
        const Value session = tinko::json::parse(r.body);
        const std::string id = session.at("id").asString();
        CPPUNIT_ASSERT(id.rfind("cs_test_", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(stripe_->baseUrl() + "/checkout/" + id, session.at("url").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1999), session.at("amount_total").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string("eur"), session.at("currency").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("7"), session.at("client_reference_id").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("open"), session.at("status").asString());
        CPPUNIT_ASSERT(session.at("metadata") == Value::object({{"tinko_recovery_id", "7"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("key-1"), r.header("idempotency-key"));

        const auto recorded = stripe_->requests().back();
        CPPUNIT_ASSERT_EQUAL(std::string("1999"), *recorded.formValue("line_items[0][price_data][unit_amount]"));
        CPPUNIT_ASSERT_EQUAL(std::string("Payment order-7"), *recorded.formValue("line_items[0][price_data][product_data][name]"));

        const HttpResult page = httpCall(stripe_->port(), "GET", "/checkout/" + id);
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT(page.header("content-type").rfind("text/html", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(page.body, page.body.find("<h1>Pay 1999 EUR</h1>") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(stripe_->port(), "GET", "/checkout/cs_test_nope").status);

        const HttpResult paid = httpCall(stripe_->port(), "POST", "/checkout/" + id + "/pay");
        CPPUNIT_ASSERT_EQUAL(303, paid.status);
        CPPUNIT_ASSERT_EQUAL(std::string("https://shop.example/done"), paid.header("location"));
        const Value after = *stripe_->checkoutSession(id);
        CPPUNIT_ASSERT_EQUAL(std::string("complete"), after.at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("paid"), after.at("payment_status").asString());
        const Value intent = *stripe_->paymentIntent(after.at("payment_intent").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), intent.at("status").asString());
        CPPUNIT_ASSERT(intent.at("metadata") == Value::object({{"tinko_transaction_ref", "order-7"}}));
        CPPUNIT_ASSERT(httpCall(stripe_->port(), "GET", "/checkout/" + id).body.find("This checkout session is complete") !=
                       std::string::npos);
    }

    void theSameKeyReplaysTheFirstAnswer() {
        const HttpResult first = post("/v1/checkout/sessions", sessionForm(std::time(nullptr) + 3600), goodHeaders("same"));
        const HttpResult again = post("/v1/checkout/sessions", sessionForm(std::time(nullptr) + 3600), goodHeaders("same"));
        CPPUNIT_ASSERT_EQUAL(200, again.status);
        CPPUNIT_ASSERT_EQUAL(first.body, again.body);
        CPPUNIT_ASSERT_EQUAL(std::string("true"), again.header("idempotent-replayed"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stripe_->checkoutSessions().size());
        CPPUNIT_ASSERT(stripe_->requests().back().replayed);

        const HttpResult other = post("/v1/checkout/sessions", sessionForm(std::time(nullptr) + 7200), goodHeaders("same"));
        CPPUNIT_ASSERT_EQUAL(400, other.status);
        CPPUNIT_ASSERT_EQUAL(std::string("idempotency_error"), errorOf(other).at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stripe_->violations().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stripe_->checkoutSessions().size());
    }

    void confirmationFollowsTheScriptsAndTheIntentsState() {
        stripe_->addPaymentIntent({"pi_1", 1099, "USD"});
        CPPUNIT_ASSERT_EQUAL(404, post("/v1/payment_intents/pi_2/confirm", "off_session=true", goodHeaders("c0")).status);

        stripe_->declineNextConfirm("insufficient_funds", "Your card has insufficient funds.");
        const HttpResult declined = post("/v1/payment_intents/pi_1/confirm", "off_session=true", goodHeaders("c1"));
        CPPUNIT_ASSERT_EQUAL(402, declined.status);
        const Value error = errorOf(declined);
        CPPUNIT_ASSERT_EQUAL(std::string("card_error"), error.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("card_declined"), error.at("code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds"), error.at("decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("pi_1"), error.at("payment_intent").at("id").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("requires_payment_method"), stripe_->paymentIntent("pi_1")->at("status").asString());

        // The decline detached the card: confirming again must name it.
        const HttpResult missing = post("/v1/payment_intents/pi_1/confirm", "off_session=true", goodHeaders("c2"));
        CPPUNIT_ASSERT_EQUAL(400, missing.status);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_intent_unexpected_state"), errorOf(missing).at("code").asString());

        stripe_->nextConfirmLeaves("processing");
        const HttpResult processing =
            post("/v1/payment_intents/pi_1/confirm", "off_session=true&payment_method=pm_card_visa", goodHeaders("c3"));
        CPPUNIT_ASSERT_EQUAL(std::string("processing"), tinko::json::parse(processing.body).at("status").asString());

        stripe_->addPaymentIntent({"pi_3", 500, "eur"});
        const HttpResult ok = post("/v1/payment_intents/pi_3/confirm", "off_session=true", goodHeaders("c4"));
        CPPUNIT_ASSERT_EQUAL(200, ok.status);
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), tinko::json::parse(ok.body).at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(500), stripe_->paymentIntent("pi_3")->at("amount_received").asInt());
        const HttpResult twice = post("/v1/payment_intents/pi_3/confirm", "off_session=true", goodHeaders("c5"));
        CPPUNIT_ASSERT_EQUAL(400, twice.status);
        CPPUNIT_ASSERT_EQUAL(std::string("You cannot confirm this PaymentIntent because it has a status of succeeded."),
                             errorOf(twice).at("message").asString());

        CPPUNIT_ASSERT_EQUAL(400, post("/v1/payment_intents/pi_3/confirm", "off_session=maybe", goodHeaders("c6")).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stripe_->violations().size());   // only the malformed off_session
    }

    void anInjectedServerErrorIsNotSaved() {
        stripe_->addPaymentIntent({"pi_1", 1099, "usd"});
        stripe_->failNextRequest(503);
        const HttpResult failed = post("/v1/payment_intents/pi_1/confirm", "off_session=true", goodHeaders("retry-me"));
        CPPUNIT_ASSERT_EQUAL(503, failed.status);
        CPPUNIT_ASSERT_EQUAL(std::string("api_error"), errorOf(failed).at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("requires_payment_method"), stripe_->paymentIntent("pi_1")->at("status").asString());

        const HttpResult retried = post("/v1/payment_intents/pi_1/confirm", "off_session=true", goodHeaders("retry-me"));
        CPPUNIT_ASSERT_EQUAL(200, retried.status);
        CPPUNIT_ASSERT(!stripe_->requests().back().replayed);
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), stripe_->paymentIntent("pi_1")->at("status").asString());
    }

    void aServerErrorOfStripesEndpointIsReplayed() {
        stripe_->addPaymentIntent({"pi_1", 1099, "usd"});
        stripe_->failNextRequest(500, FakeStripe::FailureKind::SavedUnderIdempotencyKey);
        const HttpResult failed = post("/v1/payment_intents/pi_1/confirm", "off_session=true", goodHeaders("stuck"));
        CPPUNIT_ASSERT_EQUAL(500, failed.status);
        const HttpResult again = post("/v1/payment_intents/pi_1/confirm", "off_session=true", goodHeaders("stuck"));
        CPPUNIT_ASSERT_EQUAL(500, again.status);
        CPPUNIT_ASSERT_EQUAL(failed.body, again.body);
        CPPUNIT_ASSERT_EQUAL(std::string("true"), again.header("idempotent-replayed"));
        CPPUNIT_ASSERT_EQUAL(std::string("requires_payment_method"), stripe_->paymentIntent("pi_1")->at("status").asString());
        // Only a new key gets the charge through.
        CPPUNIT_ASSERT_EQUAL(200, post("/v1/payment_intents/pi_1/confirm", "off_session=true", goodHeaders("fresh")).status);
        CPPUNIT_ASSERT(stripe_->violations().empty());
    }

    void aDelayedAnswerWasStillCarriedOut() {
        stripe_->addPaymentIntent({"pi_1", 1099, "usd"});
        stripe_->delayNextAnswer(std::chrono::seconds(3));
        bool timedOut = false;
        try {
            Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(stripe_->port()));
            session.setTimeout(Poco::Timespan(0, 300 * 1000));
            Poco::Net::HTTPRequest request("POST", "/v1/payment_intents/pi_1/confirm", Poco::Net::HTTPMessage::HTTP_1_1);
            for (const auto& [name, value] : goodHeaders("slow")) request.set(name, value);
            request.setContentLength(16);
            session.sendRequest(request) << "off_session=true";
            Poco::Net::HTTPResponse response;
            session.receiveResponse(response);
        } catch (const Poco::TimeoutException&) {
            timedOut = true;
        }
        CPPUNIT_ASSERT(timedOut);
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), stripe_->paymentIntent("pi_1")->at("status").asString());

        // The client asks again with the same key while the first answer is still held back.
        const HttpResult again = post("/v1/payment_intents/pi_1/confirm", "off_session=true", goodHeaders("slow"));
        CPPUNIT_ASSERT_EQUAL(200, again.status);
        CPPUNIT_ASSERT_EQUAL(std::string("true"), again.header("idempotent-replayed"));
        const auto before = std::chrono::steady_clock::now();
        stripe_->stop();   // wakes the held answer instead of waiting out the delay
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - before < std::chrono::seconds(2));
    }

    void eventsDescribeTheIntentsState() {
        stripe_->addPaymentIntent({"pi_1", 1099, "usd", "pm_card_visa", {{"tinko_transaction_ref", "order-1"}}});
        const Value failed = tinko::json::parse(stripe_->paymentFailedEvent("pi_1", "insufficient_funds"));
        CPPUNIT_ASSERT(failed.at("id").asString().rfind("evt_", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_intent.payment_failed"), failed.at("type").asString());
        const Value& intent = failed.at("data").at("object");
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds"), intent.at("last_payment_error").at("decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("pm_card_visa"), intent.at("last_payment_error").at("payment_method").at("id").asString());
        CPPUNIT_ASSERT(intent.at("payment_method").isNull());
        CPPUNIT_ASSERT_EQUAL(std::string("order-1"), intent.at("metadata").at("tinko_transaction_ref").asString());
        CPPUNIT_ASSERT_THROW(stripe_->paymentFailedEvent("pi_unknown", "x"), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(stripe_->completeCheckoutSession("cs_unknown"), std::invalid_argument);
    }

private:
    std::unique_ptr<FakeStripe> stripe_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FakeStripeTest);
