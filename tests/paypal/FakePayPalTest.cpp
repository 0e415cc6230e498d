// The fake PayPal API itself, over real HTTP: it refuses what PayPal (or Tinko's contract) would
// refuse, in PayPal's error shape, and records it as a violation; it accepts well-formed requests,
// replays a PayPal-Request-Id's first answer, follows its scripts, serves the approval page, and
// verifies only the webhook deliveries it signed.
#include "FakePayPal.h"
#include "PayPalTestSupport.h"
#include "TestSupport.h"
#include "tinko/helpers/crypto.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

using tinko::fakes::FakePayPal;
using tinko::json::Value;
using tinko::test::HttpResult;
using tinko::test::httpCall;

namespace {

using Headers = std::map<std::string, std::string>;

Value orderBody() {
    return tinko::json::parse(tinko::paypal::test::expectedOrderBody());
}

Value detailOf(const HttpResult& r) { return tinko::json::parse(r.body).at("details").at(0); }
std::string issueOf(const HttpResult& r) { return detailOf(r).at("issue").asString(); }
std::string fieldOf(const HttpResult& r) { return detailOf(r).getOr<std::string>("field", ""); }

}  // namespace

class FakePayPalTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FakePayPalTest);
    CPPUNIT_TEST(issuesATokenForTheClientCredentials);
    CPPUNIT_TEST(refusesATokenRequestOutsideTheContract);
    CPPUNIT_TEST(refusesCallsWithoutABearerToken);
    CPPUNIT_TEST(anExpiredTokenIsUnauthorizedButNoViolation);
    CPPUNIT_TEST(acceptsAWellFormedOrder);
    CPPUNIT_TEST(refusesWhatTheSchemaDoesNotAllow);
    CPPUNIT_TEST(refusesAmountsWithTheWrongDecimals);
    CPPUNIT_TEST(refusesPaymentCallsWithoutARequestId);
    CPPUNIT_TEST(refusesOtherMediaTypesMalformedJsonAndUnknownPaths);
    CPPUNIT_TEST(theSameRequestIdReplaysTheFirstAnswer);
    CPPUNIT_TEST(capturesOnlyAnApprovedOrderOnce);
    CPPUNIT_TEST(declinesACaptureWhenScripted);
    CPPUNIT_TEST(anInjectedFailureIsNotSaved);
    CPPUNIT_TEST(verifiesOnlyTheDeliveriesItSigned);
    CPPUNIT_TEST(eventsDescribeWhatHappened);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        paypal_ = std::make_unique<FakePayPal>();
        paypal_->start();
    }
    void tearDown() override { paypal_.reset(); }

    HttpResult tokenCall(const std::string& credentials, const std::string& body = "grant_type=client_credentials",
                         const std::string& contentType = "application/x-www-form-urlencoded") {
        Headers headers{{"Content-Type", contentType}};
        if (!credentials.empty()) headers["Authorization"] = "Basic " + tinko::sdk::helpers::base64(credentials);
        return httpCall(paypal_->port(), "POST", "/v1/oauth2/token", body, headers);
    }
    std::string token() {
        const HttpResult r = tokenCall(paypal_->clientId() + ":" + paypal_->clientSecret());
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        return tinko::json::parse(r.body).at("access_token").asString();
    }
    Headers headers(const std::string& requestId = "req-1") {
        if (token_.empty()) token_ = token();
        Headers h{{"Authorization", "Bearer " + token_}, {"Content-Type", "application/json"}};
        if (!requestId.empty()) h["PayPal-Request-Id"] = requestId;
        return h;
    }
    HttpResult post(const std::string& path, const std::string& body, const Headers& h) {
        return httpCall(paypal_->port(), "POST", path, body, h);
    }
    HttpResult createOrder(const Value& body, const std::string& requestId = "req-1") {
        return post("/v2/checkout/orders", body.dump(), headers(requestId));
    }
    std::string newOrder(const std::string& requestId = "req-1") {
        const HttpResult r = createOrder(orderBody(), requestId);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        return tinko::json::parse(r.body).at("id").asString();
    }
    HttpResult capture(const std::string& id, const std::string& requestId) {
        return post("/v2/checkout/orders/" + id + "/capture", "{}", headers(requestId));
    }

    void issuesATokenForTheClientCredentials() {
        const HttpResult r = tokenCall("fake-client-id:fake-client-secret");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        const Value grant = tinko::json::parse(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("Bearer"), grant.at("token_type").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(32400), grant.at("expires_in").asInt());
        CPPUNIT_ASSERT(!grant.at("access_token").asString().empty());
        CPPUNIT_ASSERT_EQUAL(1, paypal_->tokensIssued());
        // A wrong secret is refused as PayPal refuses it, and is no violation (a test of a bad config).
        const HttpResult wrong = tokenCall("fake-client-id:guess");
        CPPUNIT_ASSERT_EQUAL(401, wrong.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_client"), tinko::json::parse(wrong.body).at("error").asString());
        CPPUNIT_ASSERT(paypal_->violations().empty());
    }

    void refusesATokenRequestOutsideTheContract() {
        CPPUNIT_ASSERT_EQUAL(401, tokenCall("").status);
        CPPUNIT_ASSERT_EQUAL(400, tokenCall("fake-client-id:fake-client-secret", "grant_type=password").status);
        CPPUNIT_ASSERT_EQUAL(415, tokenCall("fake-client-id:fake-client-secret", R"({"grant_type":"client_credentials"})",
                                            "application/json").status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), paypal_->violations().size());
        CPPUNIT_ASSERT_EQUAL(0, paypal_->tokensIssued());
    }

    void refusesCallsWithoutABearerToken() {
        const HttpResult r = post("/v2/checkout/orders", orderBody().dump(), {{"Content-Type", "application/json"}, {"PayPal-Request-Id", "r"}});
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        const Value error = tinko::json::parse(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("AUTHENTICATION_FAILURE"), error.at("name").asString());
        CPPUNIT_ASSERT(error.contains("debug_id"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), paypal_->violations().size());
        CPPUNIT_ASSERT(paypal_->violations()[0].find("POST /v2/checkout/orders: AUTHENTICATION_FAILURE Authorization") == 0);
    }

    void anExpiredTokenIsUnauthorizedButNoViolation() {
        CPPUNIT_ASSERT_EQUAL(201, createOrder(orderBody(), "a").status);
        paypal_->expireTokens();
        CPPUNIT_ASSERT_EQUAL(401, createOrder(orderBody(), "b").status);
        Headers unknown = headers("c");
        unknown["Authorization"] = "Bearer A21AA-not-issued";
        CPPUNIT_ASSERT_EQUAL(401, post("/v2/checkout/orders", orderBody().dump(), unknown).status);
        CPPUNIT_ASSERT(paypal_->violations().empty());
    }

    void acceptsAWellFormedOrder() {
        const HttpResult r = createOrder(orderBody());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        const Value order = tinko::json::parse(r.body);
        const std::string id = order.at("id").asString();
        CPPUNIT_ASSERT_EQUAL(std::string("PAYER_ACTION_REQUIRED"), order.at("status").asString());
        CPPUNIT_ASSERT(order.at("links").at(1) == Value::object({{"href", paypal_->baseUrl() + "/checkoutnow?token=" + id},
                                                                 {"rel", "payer-action"},
                                                                 {"method", "GET"}}));
        CPPUNIT_ASSERT(!order.contains("purchase_units"));   // the minimal answer, PayPal's default
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-recovery-42"),
                             paypal_->order(id)->at("purchase_units").at(0).at("custom_id").asString());
        // The legacy flow, without payment_source: CREATED with an approve link.
        Value legacy = orderBody();
        legacy.asObject().pop_back();
        const Value created = tinko::json::parse(createOrder(legacy, "req-2").body);
        CPPUNIT_ASSERT_EQUAL(std::string("CREATED"), created.at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("approve"), created.at("links").at(1).at("rel").asString());
        CPPUNIT_ASSERT(paypal_->violations().empty());
    }

    void refusesWhatTheSchemaDoesNotAllow() {
        Value body = orderBody();
        body.asObject().erase(body.asObject().begin());   // no intent
        HttpResult r = createOrder(body, "r1");
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_REQUEST"), tinko::json::parse(r.body).at("name").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("MISSING_REQUIRED_PARAMETER"), issueOf(r));
        CPPUNIT_ASSERT_EQUAL(std::string("/intent"), fieldOf(r));

        body = orderBody();
        body.set("intent", "SALE");
        r = createOrder(body, "r2");
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_PARAMETER_VALUE"), issueOf(r));

        body = orderBody();
        body["purchase_units"].asArray()[0].set("custom_id", std::string(128, 'c'));
        r = createOrder(body, "r3");
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_STRING_LENGTH"), issueOf(r));
        CPPUNIT_ASSERT_EQUAL(std::string("/purchase_units/0/custom_id"), fieldOf(r));

        body = orderBody();
        body["purchase_units"].asArray()[0]["amount"].set("value", "12,50");
        r = createOrder(body, "r4");
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_PARAMETER_SYNTAX"), issueOf(r));

        body = orderBody();
        body["payment_source"]["paypal"]["experience_context"].set("return_url", "/r/tok/done");
        r = createOrder(body, "r5");
        CPPUNIT_ASSERT_EQUAL(std::string("/payment_source/paypal/experience_context/return_url"), fieldOf(r));

        body = orderBody();
        body["purchase_units"].asArray()[0].set("customId", "42");   // misspelt: PayPal would ignore it
        r = createOrder(body, "r6");
        CPPUNIT_ASSERT_EQUAL(std::string("NOT_SUPPORTED"), issueOf(r));

        body = orderBody();
        body.set("purchase_units", Value::array());
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ARRAY_MIN_ITEMS"), issueOf(createOrder(body, "r7")));

        CPPUNIT_ASSERT_EQUAL(std::size_t(7), paypal_->violations().size());
        CPPUNIT_ASSERT(paypal_->orders().empty());
    }

    void refusesAmountsWithTheWrongDecimals() {
        auto withAmount = [](const std::string& currency, const std::string& value) {
            Value body = orderBody();
            body["purchase_units"].asArray()[0].set("amount", Value::object({{"currency_code", currency}, {"value", value}}));
            return body;
        };
        HttpResult r = createOrder(withAmount("USD", "12.505"), "r1");
        CPPUNIT_ASSERT_EQUAL(422, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("DECIMAL_PRECISION"), issueOf(r));
        CPPUNIT_ASSERT_EQUAL(std::string("/purchase_units/0/amount/value"), fieldOf(r));
        CPPUNIT_ASSERT_EQUAL(std::string("DECIMAL_PRECISION"), issueOf(createOrder(withAmount("JPY", "500.00"), "r2")));
        CPPUNIT_ASSERT_EQUAL(std::string("DECIMAL_PRECISION"), issueOf(createOrder(withAmount("HUF", "100.00"), "r3")));
        CPPUNIT_ASSERT_EQUAL(std::string("CANNOT_BE_ZERO_OR_NEGATIVE"), issueOf(createOrder(withAmount("USD", "0.00"), "r4")));
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_PARAMETER_SYNTAX"), issueOf(createOrder(withAmount("usd", "1.00"), "r5")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), paypal_->violations().size());
        CPPUNIT_ASSERT_EQUAL(201, createOrder(withAmount("KWD", "1.234"), "r6").status);
        CPPUNIT_ASSERT_EQUAL(201, createOrder(withAmount("JPY", "500"), "r7").status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), paypal_->violations().size());
    }

    void refusesPaymentCallsWithoutARequestId() {
        HttpResult r = post("/v2/checkout/orders", orderBody().dump(), headers(""));
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("PAYPAL_REQUEST_ID_REQUIRED"), issueOf(r));
        r = createOrder(orderBody(), std::string(109, 'k'));
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_STRING_LENGTH"), issueOf(r));
        CPPUNIT_ASSERT_EQUAL(std::string("header"), detailOf(r).at("location").asString());
        const std::string id = newOrder("ok");
        paypal_->approve(id);
        CPPUNIT_ASSERT_EQUAL(std::string("PAYPAL_REQUEST_ID_REQUIRED"),
                             issueOf(post("/v2/checkout/orders/" + id + "/capture", "{}", headers(""))));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), paypal_->violations().size());
    }

    void refusesOtherMediaTypesMalformedJsonAndUnknownPaths() {
        Headers form = headers("r1");
        form["Content-Type"] = "application/x-www-form-urlencoded";
        CPPUNIT_ASSERT_EQUAL(415, post("/v2/checkout/orders", "intent=CAPTURE", form).status);
        const HttpResult malformed = post("/v2/checkout/orders", "{\"intent\":", headers("r2"));
        CPPUNIT_ASSERT_EQUAL(400, malformed.status);
        CPPUNIT_ASSERT_EQUAL(std::string("MALFORMED_REQUEST_JSON"), issueOf(malformed));
        CPPUNIT_ASSERT_EQUAL(404, post("/v2/checkout/orders/ABC/authorize", "{}", headers("r3")).status);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(paypal_->port(), "GET", "/v2/checkout/orders", "", headers("")).status);
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_PARAMETER_SYNTAX"), issueOf(capture("not-an-id", "r4")));   // the path's pattern
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), paypal_->violations().size());
    }

    void theSameRequestIdReplaysTheFirstAnswer() {
        const HttpResult first = createOrder(orderBody(), "same");
        const HttpResult again = createOrder(orderBody(), "same");
        CPPUNIT_ASSERT_EQUAL(201, first.status);
        CPPUNIT_ASSERT_EQUAL(200, again.status);   // PayPal answers a replay 200
        CPPUNIT_ASSERT_EQUAL(first.body, again.body);
        CPPUNIT_ASSERT(paypal_->requests().back().replayed);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), paypal_->orders().size());
        CPPUNIT_ASSERT(paypal_->violations().empty());

        Value other = orderBody();
        other["purchase_units"].asArray()[0]["amount"].set("value", "99.00");
        CPPUNIT_ASSERT_EQUAL(first.body, createOrder(other, "same").body);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), paypal_->violations().size());   // another body under a used id
    }

    void capturesOnlyAnApprovedOrderOnce() {
        const std::string id = newOrder();
        HttpResult r = capture(id, "c1");
        CPPUNIT_ASSERT_EQUAL(422, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ORDER_NOT_APPROVED"), issueOf(r));

        const HttpResult page = httpCall(paypal_->port(), "GET", "/checkoutnow?token=" + id);
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT(page.body.find("/checkoutnow/approve?token=" + id) != std::string::npos);
        const HttpResult approved = httpCall(paypal_->port(), "POST", "/checkoutnow/approve?token=" + id);
        CPPUNIT_ASSERT_EQUAL(303, approved.status);
        CPPUNIT_ASSERT(approved.header("location").rfind("https://pay.tinko.example/r/tok/done?token=" + id + "&PayerID=", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("APPROVED"), paypal_->order(id)->at("status").asString());

        r = capture(id, "c2");
        CPPUNIT_ASSERT_EQUAL(201, r.status);
        const Value captured = tinko::json::parse(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("COMPLETED"), captured.at("status").asString());
        const Value& c = captured.at("purchase_units").at(0).at("payments").at("captures").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("COMPLETED"), c.at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-recovery-42"), c.at("custom_id").asString());

        CPPUNIT_ASSERT_EQUAL(std::string("ORDER_ALREADY_CAPTURED"), issueOf(capture(id, "c3")));
        CPPUNIT_ASSERT_EQUAL(404, capture("UNKNOWN1", "c4").status);
        CPPUNIT_ASSERT_EQUAL(409, httpCall(paypal_->port(), "POST", "/checkoutnow/approve?token=" + id).status);
        const HttpResult cancel = httpCall(paypal_->port(), "POST", "/checkoutnow/cancel?token=" + id);
        CPPUNIT_ASSERT_EQUAL(std::string("https://pay.tinko.example/r/tok?token=" + id), cancel.header("location"));
        CPPUNIT_ASSERT(paypal_->violations().empty());   // refusals of the order's state are PayPal's answers, not breaches
    }

    void declinesACaptureWhenScripted() {
        CPPUNIT_ASSERT_THROW(paypal_->declineNextCapture("NOT_A_PAYPAL_ISSUE"), std::invalid_argument);
        const std::string id = newOrder();
        paypal_->approve(id);
        paypal_->declineNextCapture("PAYER_CANNOT_PAY");
        const HttpResult r = capture(id, "c1");
        CPPUNIT_ASSERT_EQUAL(422, r.status);
        const Value error = tinko::json::parse(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("UNPROCESSABLE_ENTITY"), error.at("name").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("PAYER_CANNOT_PAY"), issueOf(r));
        CPPUNIT_ASSERT(!detailOf(r).at("description").asString().empty());   // the spec's words
        CPPUNIT_ASSERT_EQUAL(std::string("PAYER_ACTION_REQUIRED"), paypal_->order(id)->at("status").asString());
        CPPUNIT_ASSERT_THROW(paypal_->approve("UNKNOWN1"), std::invalid_argument);
    }

    void anInjectedFailureIsNotSaved() {
        paypal_->failNextRequest(503);
        const std::string authorization = headers("x").at("Authorization");   // the token call is not failed
        const HttpResult failed = createOrder(orderBody(), "k");
        CPPUNIT_ASSERT_EQUAL(503, failed.status);
        CPPUNIT_ASSERT_EQUAL(std::string("SERVICE_UNAVAILABLE"), tinko::json::parse(failed.body).at("name").asString());
        CPPUNIT_ASSERT_EQUAL(201, createOrder(orderBody(), "k").status);   // carried out on the retry
        CPPUNIT_ASSERT(paypal_->violations().empty());
    }

    void verifiesOnlyTheDeliveriesItSigned() {
        const std::string event = paypal_->subscriptionPaymentFailedEvent();
        const auto delivery = paypal_->signedWebhook(event);
        CPPUNIT_ASSERT_EQUAL(std::string("SHA256withRSA"), delivery.header("paypal-auth-algo"));
        auto verify = [&](const std::string& transmissionId, const std::string& webhookId, const std::string& body) {
            std::string request = R"({"auth_algo":"SHA256withRSA","cert_url":")" + delivery.header("paypal-cert-url") +
                                  R"(","transmission_id":")" + transmissionId + R"(","transmission_sig":")" +
                                  delivery.header("paypal-transmission-sig") + R"(","transmission_time":")" +
                                  delivery.header("paypal-transmission-time") + R"(","webhook_id":")" + webhookId +
                                  R"(","webhook_event":)" + body + "}";
            const HttpResult r = post("/v1/notifications/verify-webhook-signature", request, headers(""));
            return r.status == 200 ? tinko::json::parse(r.body).at("verification_status").asString() : std::to_string(r.status);
        };
        const std::string id = delivery.header("paypal-transmission-id");
        CPPUNIT_ASSERT_EQUAL(std::string("SUCCESS"), verify(id, paypal_->webhookId(), event));
        CPPUNIT_ASSERT_EQUAL(std::string("FAILURE"), verify(id, "OTHERWEBHOOK1", event));
        CPPUNIT_ASSERT_EQUAL(std::string("FAILURE"), verify(id, paypal_->webhookId(), paypal_->subscriptionPaymentFailedEvent()));
        CPPUNIT_ASSERT_EQUAL(std::string("FAILURE"), verify("69cd13f0-d67a-11e5-baa3-778b53f4ae55", paypal_->webhookId(), event));
        CPPUNIT_ASSERT(paypal_->violations().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("400"), verify("12345", paypal_->webhookId(), event));   // all digits: the spec's pattern
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), paypal_->violations().size());
    }

    void eventsDescribeWhatHappened() {
        const std::string id = newOrder();
        CPPUNIT_ASSERT_THROW(paypal_->captureCompletedEvent(id), std::invalid_argument);   // not captured yet
        paypal_->approve(id);
        CPPUNIT_ASSERT_EQUAL(201, capture(id, "c").status);
        const Value completed = tinko::json::parse(paypal_->captureCompletedEvent(id));
        CPPUNIT_ASSERT_EQUAL(std::string("PAYMENT.CAPTURE.COMPLETED"), completed.at("event_type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-recovery-42"), completed.at("resource").at("custom_id").asString());
        CPPUNIT_ASSERT_EQUAL(id, completed.at("resource").at("supplementary_data").at("related_ids").at("order_id").asString());
        CPPUNIT_ASSERT(completed.at("id").asString().rfind("WH-", 0) == 0);

        const Value declined = tinko::json::parse(paypal_->captureDeniedEvent({"5.00", "EUR", "", "", "OTHER"}, "PAYMENT.CAPTURE.DECLINED"));
        CPPUNIT_ASSERT_EQUAL(std::string("PAYMENT.CAPTURE.DECLINED"), declined.at("event_type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("DECLINED"), declined.at("resource").at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("OTHER"), declined.at("resource").at("status_details").at("reason").asString());

        tinko::fakes::FailedSubscriptionSeed seed;
        seed.subscriptionId = "I-1";
        seed.value = "7.00";
        seed.currency = "GBP";
        seed.reasonCode = "PAYMENT_DENIED";
        const Value failed = tinko::json::parse(paypal_->subscriptionPaymentFailedEvent(seed));
        const Value& last = failed.at("resource").at("billing_info").at("last_failed_payment");
        CPPUNIT_ASSERT_EQUAL(std::string("PAYMENT_DENIED"), last.at("reason_code").asString());
        CPPUNIT_ASSERT(last.at("amount") == Value::object({{"currency_code", "GBP"}, {"value", "7.00"}}));
    }

private:
    std::unique_ptr<FakePayPal> paypal_;
    std::string token_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FakePayPalTest);
