// The fake Razorpay itself, over real HTTP: it refuses what Razorpay (or Tinko's contract,
// razorpay-contract.json) would refuse, with Razorpay's error shape, and records it as a
// violation; it accepts a well-formed Payment Link, refuses a taken reference_id, follows its
// scripts, serves the hosted page, redirects a payment to callback_url with a signed return, and
// builds webhook bodies in Razorpay's envelope.
#include "FakeRazorpay.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <ctime>
#include <functional>
#include <stdexcept>

using tinko::fakes::FailedPayment;
using tinko::fakes::FakeRazorpay;
using tinko::json::Value;
using tinko::test::HttpResult;
using tinko::test::httpCall;

namespace {

using Headers = std::map<std::string, std::string>;

// Basic base64("rzp_test_FakeKeyId0001:fake_key_secret_0123456789"): the fake's default key.
const std::string kGoodAuthorization = "Basic cnpwX3Rlc3RfRmFrZUtleUlkMDAwMTpmYWtlX2tleV9zZWNyZXRfMDEyMzQ1Njc4OQ==";

Headers goodHeaders() { return {{"Authorization", kGoodAuthorization}, {"Content-Type", "application/json"}}; }

Value linkBody(std::int64_t expireBy, const std::string& referenceId = "tinko-link-7-1") {
    return Value::object({{"amount", 49900},
                          {"currency", "INR"},
                          {"description", "Payment order-7"},
                          {"reference_id", referenceId},
                          {"customer", Value::object({{"name", "Gaurav Kumar"}, {"email", "gaurav.kumar@example.com"},
                                                      {"contact", "+919000090000"}})},
                          {"notify", Value::object({{"sms", false}, {"email", false}})},
                          {"reminder_enable", false},
                          {"notes", Value::object({{"tinko_recovery_id", "7"}, {"tinko_transaction_ref", "order-7"}})},
                          {"callback_url", "https://pay.tinko.example/r/tok/done"},
                          {"callback_method", "get"},
                          {"expire_by", expireBy}});
}

Value errorOf(const HttpResult& r) { return tinko::json::parse(r.body).at("error"); }

// The query of a Location header as {name: value} (the fake's values need no decoding but %XX).
std::map<std::string, std::string> queryOf(const std::string& location) {
    std::map<std::string, std::string> out;
    std::string query = location.substr(location.find('?') + 1);
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string pair = query.substr(0, amp);
        query = amp == std::string::npos ? "" : query.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        out[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
    }
    return out;
}

}  // namespace

class FakeRazorpayTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FakeRazorpayTest);
    CPPUNIT_TEST(acceptsAWellFormedLinkAndServesItsPage);
    CPPUNIT_TEST(refusesARequestWithoutAuthorization);
    CPPUNIT_TEST(refusesMalformedAuthorization);
    CPPUNIT_TEST(aWrongKeyIsUnauthorizedButNoViolation);
    CPPUNIT_TEST(refusesWhatTheContractDoesNotAllow);
    CPPUNIT_TEST(refusesAnExpiryOutsideRazorpaysWindow);
    CPPUNIT_TEST(refusesOtherEncodingsAndPaths);
    CPPUNIT_TEST(aTakenReferenceIdIsRefusedWithoutViolation);
    CPPUNIT_TEST(payingRedirectsToTheCallbackWithASignedReturn);
    CPPUNIT_TEST(anExpiredLinkCannotBePaid);
    CPPUNIT_TEST(anInjectedFailureIsRazorpaysErrorAndDoesNothing);
    CPPUNIT_TEST(eventsAreInRazorpaysEnvelope);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        razorpay_ = std::make_unique<FakeRazorpay>();
        razorpay_->start();
    }
    void tearDown() override { razorpay_.reset(); }

    std::int64_t now() const { return razorpay_->nowUnix(); }
    HttpResult post(const std::string& body, const Headers& headers = goodHeaders(), const std::string& path = "/v1/payment_links") {
        return httpCall(razorpay_->port(), "POST", path, body, headers);
    }
    HttpResult postLink(const Value& body) { return post(body.dump()); }

    void acceptsAWellFormedLinkAndServesItsPage() {
        const HttpResult r = postLink(linkBody(now() + 3600));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        const Value link = tinko::json::parse(r.body);
        const std::string id = link.at("id").asString();
        CPPUNIT_ASSERT_EQUAL(std::string("plink_"), id.substr(0, 6));
        CPPUNIT_ASSERT_EQUAL(std::size_t(20), id.size());   // prefix and 14 characters, as Razorpay's
        CPPUNIT_ASSERT_EQUAL(razorpay_->baseUrl() + "/pl/" + id, link.at("short_url").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("created"), link.at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(49900), link.at("amount").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-link-7-1"), link.at("reference_id").asString());
        CPPUNIT_ASSERT(link.at("notify") == Value::object({{"email", false}, {"sms", false}, {"whatsapp", false}}));
        CPPUNIT_ASSERT(*razorpay_->link(id) == link);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), razorpay_->links().size());

        const HttpResult page = httpCall(razorpay_->port(), "GET", "/pl/" + id);
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, page.body.find("Pay 49900 INR") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(razorpay_->port(), "GET", "/pl/plink_Unknown0000001").status);
        CPPUNIT_ASSERT(razorpay_->violations().empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), razorpay_->requests().size());
        CPPUNIT_ASSERT(razorpay_->requests()[0].json->at("reference_id") == Value("tinko-link-7-1"));
    }

    void refusesARequestWithoutAuthorization() {
        const HttpResult r = post(linkBody(now() + 3600).dump(), {{"Content-Type", "application/json"}});
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("BAD_REQUEST_ERROR"), errorOf(r).at("code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("Please provide your api key for authentication purposes."),
                             errorOf(r).at("description").asString());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), razorpay_->violations().size());
        CPPUNIT_ASSERT(razorpay_->links().empty());
    }

    void refusesMalformedAuthorization() {
        for (const std::string& authorization :
             {std::string("Bearer rzp_test_FakeKeyId0001"), std::string("Basic !!!notbase64"),
              std::string("Basic cnpwX3Rlc3RfRmFrZUtleUlkMDAwMQ=="),            // base64("rzp_test_FakeKeyId0001"): no ':'
              std::string("Basic a2V5XzE6ZmFrZV9rZXlfc2VjcmV0XzAxMjM0NTY3ODk="),   // base64("key_1:fake_key_secret_0123456789")
              std::string("Basic cnpwX3Rlc3RfRmFrZUtleUlkMDAwMTpmYWtlX2tleV9zZWNyZXRfMDEyMzQ1Njc4OQ")}) {   // unpadded
            const HttpResult r = post(linkBody(now() + 3600).dump(), {{"Authorization", authorization},
                                                                      {"Content-Type", "application/json"}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(authorization, 401, r.status);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), razorpay_->violations().size());
    }

    void aWrongKeyIsUnauthorizedButNoViolation() {
        // base64("rzp_test_FakeKeyId0001:a_revoked_secret")
        const HttpResult r = post(linkBody(now() + 3600).dump(),
                                  {{"Authorization", "Basic cnpwX3Rlc3RfRmFrZUtleUlkMDAwMTphX3Jldm9rZWRfc2VjcmV0"},
                                   {"Content-Type", "application/json"}});
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("The api key provided is invalid"), errorOf(r).at("description").asString());
        CPPUNIT_ASSERT(razorpay_->violations().empty());
    }

    void refusesWhatTheContractDoesNotAllow() {
        struct Case {
            std::string what;
            std::function<void(Value&)> change;
            std::string field;
            std::string description;
        };
        Value sixteenNotes = Value::object();
        for (int i = 0; i < 16; ++i) sixteenNotes.set("k" + std::to_string(i), "v");
        const std::vector<Case> cases = {
            {"no amount", [](Value& b) { b.asObject().erase(b.asObject().begin()); }, "amount", "The amount field is required."},
            {"amount as text", [](Value& b) { b.set("amount", "49900"); }, "amount", "The amount must be an integer."},
            {"amount with a fraction", [](Value& b) { b.set("amount", 499.0); }, "amount", "The amount must be an integer."},
            {"amount zero", [](Value& b) { b.set("amount", 0); }, "amount", "The amount must be at least 1."},
            {"reference_id of 41", [](Value& b) { b.set("reference_id", std::string(41, 'r')); }, "reference_id",
             "The reference_id may not be greater than 40 characters."},
            {"description of 2049", [](Value& b) { b.set("description", std::string(2049, 'd')); }, "description",
             "The description may not be greater than 2048 characters."},
            {"16 notes", [&](Value& b) { b.set("notes", sixteenNotes); }, "notes",
             "Number of fields in notes should be less than or equal to 15"},
            {"a note of 257", [](Value& b) { b.set("notes", Value::object({{"k", std::string(257, 'n')}})); }, "notes.k",
             "The notes.k may not be greater than 256 characters."},
            {"notify.sms as text", [](Value& b) { b.set("notify", Value::object({{"sms", "no"}})); }, "notify.sms",
             "The notify.sms field must be true or false."},
            {"notify as a boolean", [](Value& b) { b.set("notify", false); }, "notify", "The notify must be an object."},
            {"reminder_enable as text", [](Value& b) { b.set("reminder_enable", "false"); }, "reminder_enable",
             "The reminder_enable field must be true or false."},
            {"callback_method post", [](Value& b) { b.set("callback_method", "post"); }, "callback_method",
             "The selected callback_method is invalid."},
            {"callback_url without callback_method",
             [](Value& b) {
                 Value out = Value::object();
                 for (const auto& [k, v] : b.asObject())
                     if (k != "callback_method") out.set(k, v);
                 b = out;
             },
             "callback_method", "The callback method field is required when callback url is present."},
            {"an unknown field", [](Value& b) { b.set("receipt", "r-1"); }, "receipt",
             "receipt is/are not required and should not be sent"},
            {"a customer's unknown field", [](Value& b) { b.set("customer", Value::object({{"phone", "+91"}})); },
             "customer.phone", "customer.phone is/are not required and should not be sent"},
        };
        std::size_t expectedViolations = 0;
        for (const Case& c : cases) {
            Value body = linkBody(now() + 3600, "ref-" + std::to_string(expectedViolations));
            c.change(body);
            const HttpResult r = postLink(body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.what + ": " + r.body, 400, r.status);
            const Value error = errorOf(r);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.what, std::string("BAD_REQUEST_ERROR"), error.at("code").asString());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.what, c.field, error.getOr<std::string>("field", ""));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.what, c.description, error.at("description").asString());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.what, ++expectedViolations, razorpay_->violations().size());
        }
        CPPUNIT_ASSERT(razorpay_->links().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("POST /v1/payment_links: The amount field is required. (field amount)"),
                             razorpay_->violations().front());
    }

    void refusesAnExpiryOutsideRazorpaysWindow() {
        razorpay_->setNowUnix(1767225600);
        const HttpResult early = postLink(linkBody(1767225600 + 14 * 60));
        CPPUNIT_ASSERT_EQUAL(400, early.status);
        CPPUNIT_ASSERT_EQUAL(std::string("expire_by"), errorOf(early).at("field").asString());
        const HttpResult late = postLink(linkBody(1767225600 + 180 * 86400 + 1));
        CPPUNIT_ASSERT_EQUAL(400, late.status);
        CPPUNIT_ASSERT_EQUAL(std::string("expire_by"), errorOf(late).at("field").asString());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), razorpay_->violations().size());
        CPPUNIT_ASSERT_EQUAL(200, postLink(linkBody(1767225600 + 15 * 60, "edge-1")).status);
        CPPUNIT_ASSERT_EQUAL(200, postLink(linkBody(1767225600 + 180 * 86400, "edge-2")).status);
    }

    void refusesOtherEncodingsAndPaths() {
        CPPUNIT_ASSERT_EQUAL(400, post("amount=49900", {{"Authorization", kGoodAuthorization},
                                                        {"Content-Type", "application/x-www-form-urlencoded"}})
                                      .status);
        CPPUNIT_ASSERT_EQUAL(400, post("{\"amount\":", goodHeaders()).status);
        CPPUNIT_ASSERT_EQUAL(400, post("[1]", goodHeaders()).status);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(razorpay_->port(), "GET", "/v1/payment_links", "", goodHeaders()).status);
        CPPUNIT_ASSERT_EQUAL(404, post(linkBody(now() + 3600).dump(), goodHeaders(), "/v1/payments").status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), razorpay_->violations().size());
    }

    void aTakenReferenceIdIsRefusedWithoutViolation() {
        CPPUNIT_ASSERT_EQUAL(200, postLink(linkBody(now() + 3600)).status);
        const HttpResult again = postLink(linkBody(now() + 3600));
        CPPUNIT_ASSERT_EQUAL(400, again.status);
        CPPUNIT_ASSERT_EQUAL(std::string("BAD_REQUEST_ERROR"), errorOf(again).at("code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("reference_id"), errorOf(again).at("field").asString());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), razorpay_->links().size());
        CPPUNIT_ASSERT(razorpay_->violations().empty());
        CPPUNIT_ASSERT_EQUAL(200, postLink(linkBody(now() + 3600, "tinko-link-7-2")).status);
    }

    void payingRedirectsToTheCallbackWithASignedReturn() {
        const std::string id = tinko::json::parse(postLink(linkBody(now() + 3600)).body).at("id").asString();
        const HttpResult paid = httpCall(razorpay_->port(), "POST", "/pl/" + id + "/pay");
        CPPUNIT_ASSERT_EQUAL(303, paid.status);
        const std::string location = paid.header("location");
        CPPUNIT_ASSERT_EQUAL(std::string("https://pay.tinko.example/r/tok/done?"), location.substr(0, location.find('?') + 1));
        const auto query = queryOf(location);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), query.size());
        const std::string paymentId = query.at("razorpay_payment_id");
        CPPUNIT_ASSERT_EQUAL(std::string("pay_"), paymentId.substr(0, 4));
        CPPUNIT_ASSERT_EQUAL(id, query.at("razorpay_payment_link_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-link-7-1"), query.at("razorpay_payment_link_reference_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("paid"), query.at("razorpay_payment_link_status"));
        CPPUNIT_ASSERT_EQUAL(FakeRazorpay::callbackSignature(id, "tinko-link-7-1", "paid", paymentId, razorpay_->keySecret()),
                             query.at("razorpay_signature"));

        const Value link = *razorpay_->link(id);
        CPPUNIT_ASSERT_EQUAL(std::string("paid"), link.at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(49900), link.at("amount_paid").asInt());
        const Value payment = *razorpay_->payment(paymentId);
        CPPUNIT_ASSERT_EQUAL(std::string("captured"), payment.at("status").asString());
        CPPUNIT_ASSERT(payment.at("notes") == link.at("notes"));   // the link's notes travel with its payment
        CPPUNIT_ASSERT_EQUAL(409, httpCall(razorpay_->port(), "POST", "/pl/" + id + "/pay").status);
        CPPUNIT_ASSERT(httpCall(razorpay_->port(), "GET", "/pl/" + id).body.find("This Payment Link is paid") != std::string::npos);
        CPPUNIT_ASSERT_THROW(razorpay_->pay(id), std::logic_error);
        CPPUNIT_ASSERT(razorpay_->violations().empty());
    }

    void anExpiredLinkCannotBePaid() {
        razorpay_->setNowUnix(1767225600);
        const std::string id = tinko::json::parse(postLink(linkBody(1767225600 + 16 * 60)).body).at("id").asString();
        razorpay_->setNowUnix(1767225600 + 17 * 60);
        CPPUNIT_ASSERT(httpCall(razorpay_->port(), "GET", "/pl/" + id).body.find("This Payment Link is expired") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(409, httpCall(razorpay_->port(), "POST", "/pl/" + id + "/pay").status);
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), razorpay_->link(id)->at("status").asString());
    }

    void anInjectedFailureIsRazorpaysErrorAndDoesNothing() {
        razorpay_->failNextRequest(500);
        razorpay_->failNextRequest(502, "GATEWAY_ERROR");
        const HttpResult first = postLink(linkBody(now() + 3600));
        CPPUNIT_ASSERT_EQUAL(500, first.status);
        CPPUNIT_ASSERT_EQUAL(std::string("SERVER_ERROR"), errorOf(first).at("code").asString());
        const HttpResult second = postLink(linkBody(now() + 3600));
        CPPUNIT_ASSERT_EQUAL(502, second.status);
        CPPUNIT_ASSERT_EQUAL(std::string("GATEWAY_ERROR"), errorOf(second).at("code").asString());
        CPPUNIT_ASSERT(razorpay_->links().empty());
        CPPUNIT_ASSERT_EQUAL(200, postLink(linkBody(now() + 3600)).status);   // the scripts are used up
        CPPUNIT_ASSERT(razorpay_->violations().empty());
    }

    void eventsAreInRazorpaysEnvelope() {
        FailedPayment failed;
        failed.notes = {{"tinko_transaction_ref", "order-7"}};
        failed.errorReason = "incorrect_otp";
        const auto failure = razorpay_->paymentFailedEvent(failed);
        CPPUNIT_ASSERT_EQUAL(std::string("evt_"), failure.eventId.substr(0, 4));
        const Value envelope = tinko::json::parse(failure.body);
        CPPUNIT_ASSERT_EQUAL(std::string("event"), envelope.at("entity").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("payment.failed"), envelope.at("event").asString());
        CPPUNIT_ASSERT(envelope.at("contains") == Value::array({"payment"}));
        CPPUNIT_ASSERT(envelope.at("account_id").asString().rfind("acc_", 0) == 0);
        CPPUNIT_ASSERT(envelope.at("created_at").isInt());
        const Value& payment = envelope.at("payload").at("payment").at("entity");
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), payment.at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("incorrect_otp"), payment.at("error_reason").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("BAD_REQUEST_ERROR"), payment.at("error_code").asString());
        CPPUNIT_ASSERT(payment.at("notes") == Value::object({{"tinko_transaction_ref", "order-7"}}));
        CPPUNIT_ASSERT(razorpay_->payment(payment.at("id").asString()));
        // Empty notes are [], as Razorpay writes them.
        CPPUNIT_ASSERT(tinko::json::parse(razorpay_->paymentFailedEvent().body).at("payload").at("payment").at("entity").at("notes") ==
                       Value::array());

        const std::string id = tinko::json::parse(postLink(linkBody(now() + 3600)).body).at("id").asString();
        const auto paid = razorpay_->paymentLinkPaidEvent(id);   // pays the open link first
        CPPUNIT_ASSERT(paid.eventId != failure.eventId);
        const Value paidEnvelope = tinko::json::parse(paid.body);
        CPPUNIT_ASSERT(paidEnvelope.at("contains") == Value::array({"payment_link", "order", "payment"}));
        const Value& payload = paidEnvelope.at("payload");
        CPPUNIT_ASSERT_EQUAL(std::string("paid"), payload.at("payment_link").at("entity").at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("paid"), payload.at("order").at("entity").at("status").asString());
        const std::string paymentId = payload.at("payment").at("entity").at("id").asString();
        CPPUNIT_ASSERT(payload.at("payment").at("entity").at("notes") == payload.at("payment_link").at("entity").at("notes"));
        const Value captured = tinko::json::parse(razorpay_->paymentCapturedEvent(paymentId).body);
        CPPUNIT_ASSERT_EQUAL(std::string("payment.captured"), captured.at("event").asString());
        CPPUNIT_ASSERT_EQUAL(paymentId, captured.at("payload").at("payment").at("entity").at("id").asString());
        CPPUNIT_ASSERT_THROW(razorpay_->paymentCapturedEvent("pay_Unknown0000001"), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(razorpay_->paymentLinkPaidEvent("plink_Unknown0000001"), std::invalid_argument);

        // provider-contracts.md's vector.
        CPPUNIT_ASSERT_EQUAL(std::string("84c41eb4053f175c894712d7c27f2e71c9b8bce1fc47907a35a14b0b97aeab05"),
                             FakeRazorpay::signature(R"({"id":"evt_test","object":"event","type":"payment_intent.payment_failed"})",
                                                     "rzp_webhook_secret"));
    }

private:
    std::unique_ptr<FakeRazorpay> razorpay_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FakeRazorpayTest);
