// The built razorpay.so, called through its C entry points with FakeHost standing in for the host:
// the descriptor, the exact HTTP request create_checkout sends, and what the host gets back for
// each scripted answer of "Razorpay" (created, 400, duplicate reference, 401, 500, no answer);
// webhooks and the customer's return as the host passes them; retry_charge not offered.
#include "RazorpayTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using namespace tinko::testing;
using namespace tinko::razorpay::test;

namespace {

constexpr std::int64_t kNowMs = 1767225600000;   // FakeHost's clock: 2026-01-01T00:00:00Z

std::string checkoutInAnHour() { return checkoutRequest(config(), kNowMs / 1000 + 3600).dump(); }

std::string webhookRequest(const Value& headers, const std::string& body, const Value& cfg = config()) {
    return Value::object({{"config", cfg},
                          {"url", "https://tinko.example/v1/webhooks/razorpay/acme"},
                          {"headers", headers},
                          {"body", body}})
        .dump();
}

const std::string kReturnSecret = "EnLs21M47BllR3X8PSFtjtbd";
// The customer's return as the host passes it: GET /r/{token}/done?razorpay_...
std::string completeRequest(const std::string& status, const std::string& signature,
                            const std::string& providerReference = "plink_ExjpAUN3gVHrPJ") {
    return Value::object({{"config", config("https://api.razorpay.com", kKeyId, kReturnSecret)},
                          {"recovery_id", "42"},
                          {"provider_reference", providerReference},
                          {"query", Value::object({{"razorpay_payment_id", "pay_FHf9a7AO0iXM9I"},
                                                   {"razorpay_payment_link_id", "plink_ExjpAUN3gVHrPJ"},
                                                   {"razorpay_payment_link_reference_id", "TS1989"},
                                                   {"razorpay_payment_link_status", status},
                                                   {"razorpay_signature", signature}})},
                          {"idempotency_key", "tinko-complete-7-plink_ExjpAUN3gVHrPJ"}})
        .dump();
}
const std::string kPaidSignature = "90969dda973dec41ef8cb9ee814910a9ab3debd954fd9ac7395a886b6248a05d";

}  // namespace

class RazorpayPluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RazorpayPluginTest);
    CPPUNIT_TEST(descriptorNamesThePluginAndItsSchema);
    CPPUNIT_TEST(describeListsOperationsAndEvents);
    CPPUNIT_TEST(validateConfigNamesTheKey);
    CPPUNIT_TEST(classifyNeedsNoCredentials);
    CPPUNIT_TEST(createCheckoutSendsThePaymentLinkAndAnswersItsUrl);
    CPPUNIT_TEST(createCheckoutFailuresKeepTheirMeaning);
    CPPUNIT_TEST(aRepeatedCreationIsRefusedClearly);
    CPPUNIT_TEST(retryChargeIsNotOffered);
    CPPUNIT_TEST(verifyWebhookChecksTheSignature);
    CPPUNIT_TEST(parseWebhookNormalizesTheEvent);
    CPPUNIT_TEST(completeCheckoutChecksTheReturnsSignature);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        file_ = std::make_unique<PluginFile>(TINKO_RAZORPAY_PLUGIN);
        host_ = std::make_unique<FakeHost>();
        host_->setNowUnixMs(kNowMs);
        plugin_ = std::make_unique<PluginUnderTest>(file_->descriptor(), *host_);
        CPPUNIT_ASSERT_MESSAGE(plugin_->createAnswer().error.message, plugin_->created());
    }
    void tearDown() override {
        plugin_.reset();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), host_->unreleasedResponses());
        host_.reset();
        file_.reset();
    }

    void descriptorNamesThePluginAndItsSchema() {
        const tinko_plugin_descriptor& d = plugin_->descriptor();
        CPPUNIT_ASSERT_EQUAL(std::string("razorpay"), std::string(d.name));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), std::string(d.version));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(TINKO_KIND_PSP), d.kind);
        CPPUNIT_ASSERT(d.abi_minor >= 1);   // complete_checkout is 1.1
        CPPUNIT_ASSERT(tinko::json::parse(d.capabilities) == Value::array({"checkout", "webhooks"}));
        const Value schema = tinko::json::parse(d.config_schema);
        CPPUNIT_ASSERT(schema.at("required") == Value::array({"key_id", "key_secret", "webhook_secret"}));
        CPPUNIT_ASSERT(schema.at("additionalProperties") == Value(false));
        for (const char* secret : {"key_secret", "webhook_secret", "previous_webhook_secret"})
            CPPUNIT_ASSERT_MESSAGE(secret, schema.at("properties").at(secret).at("writeOnly") == Value(true));
        CPPUNIT_ASSERT(d.psp->struct_size >= sizeof(tinko_psp_operations) && d.psp->complete_checkout != nullptr);
    }

    void describeListsOperationsAndEvents() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"display_name":"Razorpay",)"
                                         R"("operations":["classify","create_checkout","verify_webhook","parse_webhook",)"
                                         R"("complete_checkout"],)"
                                         R"("webhook_events":["payment.failed","payment.captured","payment_link.paid"],)"
                                         R"("egress":["api.razorpay.com:443"],"checkout_hosts":["rzp.io"]})"),
                             result(plugin_->call("describe", "{}")));
    }

    void validateConfigNamesTheKey() {
        CPPUNIT_ASSERT_EQUAL(std::string("ok: {}"), result(plugin_->call("validate_config", Value::object({{"config", config()}}).dump())));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final []: key_id is required"), result(plugin_->call("validate_config", R"({"config":{}})")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final []: key_id must be a Razorpay API key id (rzp_test_... or rzp_live_...)"),
                             result(plugin_->call("validate_config",
                                                  R"({"config":{"key_id":"key_1","key_secret":"s","webhook_secret":"w"}})")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final []: webhook_secret must be a non-empty string"),
                             result(plugin_->call("validate_config",
                                                  R"({"config":{"key_id":"rzp_test_1","key_secret":"s","webhook_secret":1}})")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final []: config must be a JSON object"),
                             result(plugin_->call("validate_config", R"({"config":"rzp_test_1"})")));
        CPPUNIT_ASSERT(host_->requests().empty());   // validation needs no call to Razorpay
    }

    void classifyNeedsNoCredentials() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"category":"insufficient_funds","hardness":"soft","retryable":true})"),
                             result(plugin_->call("classify", R"({"config":{},"code":"insufficient_funds"})")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"category":"authentication_required","hardness":"customer","retryable":false})"),
                             result(plugin_->call("classify", R"({"config":{},"code":"BAD_REQUEST_ERROR","decline_code":"incorrect_otp",)"
                                                              R"("message":"The OTP you entered is incorrect."})")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"category":"fraud_suspected","hardness":"hard","retryable":false})"),
                             result(plugin_->call("classify", R"({"config":{},"code":"payment_risk_check_failed"})")));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: code is required and must be a non-empty string"),
                             result(plugin_->call("classify", R"({"config":{}})")));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: decline_code must be a string"),
                             result(plugin_->call("classify", R"({"config":{},"code":"x","decline_code":7})")));
    }

    void createCheckoutSendsThePaymentLinkAndAnswersItsUrl() {
        host_->queueResponse(ScriptedResponse::json(200, payloadText("payment_link_created")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"checkout_url":"https://rzp.io/i/nxrHnLJ",)"
                                         R"("provider_reference":"plink_ExjpAUN3gVHrPJ","expires_at":1767229200})"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        const auto requests = host_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
        const RecordedRequest& r = requests[0];
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.razorpay.com/v1/payment_links"), r.url);
        CPPUNIT_ASSERT_EQUAL(std::string("Basic cnpwX3Rlc3RfMURQNW1tT2xGNUc1YWc6dGhpc2lzc3VwZXJzZWNyZXQ="),
                             r.header("authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(15000), r.timeoutMs);
        CPPUNIT_ASSERT_EQUAL(expectedLinkBody(kNowMs / 1000 + 3600), r.body);
    }

    void createCheckoutFailuresKeepTheirMeaning() {
        host_->queueResponse(ScriptedResponse::json(401, payloadText("error_401")));
        host_->queueResponse(ScriptedResponse::json(400, payloadText("error_400_amount")));
        host_->queueResponse(ScriptedResponse::json(500, payloadText("error_500")));
        host_->queueResponse(ScriptedResponse::noAnswer("timed out after 15000 ms"));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final [BAD_REQUEST_ERROR]: creating the Payment Link: Razorpay answered 401 "
                                         "(BAD_REQUEST_ERROR): The api key provided is invalid"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        CPPUNIT_ASSERT_EQUAL(std::string("4 final [BAD_REQUEST_ERROR]: creating the Payment Link: Razorpay answered 400 "
                                         "(BAD_REQUEST_ERROR, field amount, reason input_validation_failed): The amount "
                                         "must be atleast INR 1.00"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the Payment Link: Razorpay answered 500 (SERVER_ERROR, "
                                         "reason server_error): The server encountered an error. The incident has been "
                                         "reported to admins."),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the Payment Link got no answer from Razorpay: "
                                         "timed out after 15000 ms"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        CPPUNIT_ASSERT(host_->logged("creating a Payment Link failed for recovery 42: timed out after 15000 ms"));
        CPPUNIT_ASSERT(host_->logged("creating a Payment Link failed for recovery 42: HTTP 500"));
        // No secret reaches a log line or a request's URL.
        for (const LogLine& line : host_->logs()) CPPUNIT_ASSERT(line.message.find(kKeySecret) == std::string::npos);
        for (const RecordedRequest& r : host_->requests()) CPPUNIT_ASSERT(r.url.find(kKeySecret) == std::string::npos);
    }

    void aRepeatedCreationIsRefusedClearly() {
        host_->queueResponse(ScriptedResponse::json(400, payloadText("error_400_duplicate_reference")));
        const Answer a = plugin_->call("create_checkout", checkoutInAnHour());
        CPPUNIT_ASSERT(!a.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, a.error.category);
        CPPUNIT_ASSERT(!a.error.retryable);
        CPPUNIT_ASSERT_MESSAGE(a.error.message,
                               a.error.message.find("a Payment Link with reference_id tinko-link-7-29453760 already exists") !=
                                   std::string::npos);
    }

    void retryChargeIsNotOffered() {
        const Answer a = plugin_->call("retry_charge", Value::object({{"config", config()},
                                                                     {"recovery_id", "42"},
                                                                     {"transaction_ref", "order-1042"},
                                                                     {"payment_reference", "pay_DESlfW9H8K9uqM"},
                                                                     {"amount", 49900},
                                                                     {"currency", "INR"},
                                                                     {"idempotency_key", "tinko-step-9-charge"}})
                                                           .dump());
        CPPUNIT_ASSERT_EQUAL(std::string("6 final []: this plugin does not offer retry_charge"), result(a));
        CPPUNIT_ASSERT(host_->requests().empty());
    }

    void verifyWebhookChecksTheSignature() {
        // provider-contracts.md's vector.
        const std::string body = R"({"id":"evt_test","object":"event","type":"payment_intent.payment_failed"})";
        const std::string signature = "84c41eb4053f175c894712d7c27f2e71c9b8bce1fc47907a35a14b0b97aeab05";
        const Value headers = Value::object({{"content-type", "application/json"}, {"x-razorpay-signature", signature},
                                             {"x-razorpay-event-id", "KjRDZkz2mLVTFn"}});
        CPPUNIT_ASSERT_EQUAL(std::string("ok: {}"), result(plugin_->call("verify_webhook", webhookRequest(headers, body))));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: X-Razorpay-Signature does not match the webhook secret"),
                             result(plugin_->call("verify_webhook", webhookRequest(headers, body + " "))));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: the X-Razorpay-Signature header is missing"),
                             result(plugin_->call("verify_webhook", webhookRequest(Value::object(), body))));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: headers is required and must be an object"),
                             result(plugin_->call("verify_webhook", webhookRequest(Value(), body))));

        Value rotated = config();
        rotated.set("webhook_secret", "new_webhook_secret");
        rotated.set("previous_webhook_secret", kWebhookSecret);
        CPPUNIT_ASSERT_EQUAL(std::string("ok: {}"), result(plugin_->call("verify_webhook", webhookRequest(headers, body, rotated))));
        CPPUNIT_ASSERT(host_->logged("a webhook was signed with previous_webhook_secret"));
    }

    void parseWebhookNormalizesTheEvent() {
        const Value headers = Value::object({{"x-razorpay-event-id", "KjRDZkz2mLVTFn"}});
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"event_id":"payment_link.paid:plink_ExjpAUN3gVHrPJ","events":[{"type":"payment_succeeded",)"
                                         R"("recovery_id":"42","transaction_ref":"order-1042","amount":49900,"currency":"INR",)"
                                         R"("payment_reference":"pay_FHf9a7AO0iXM9I","checkout_reference":"plink_ExjpAUN3gVHrPJ",)"
                                         R"("provider_event":"payment_link.paid","occurred_at":1767226811}]})"),
                             result(plugin_->call("parse_webhook", webhookRequest(headers, payloadText("event_payment_link_paid")))));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: the webhook body is not a Razorpay event: it needs event and payload"),
                             result(plugin_->call("parse_webhook", webhookRequest(headers, "{}"))));
    }

    void completeCheckoutChecksTheReturnsSignature() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"outcome":"succeeded","provider_reference":"pay_FHf9a7AO0iXM9I"})"),
                             result(plugin_->call("complete_checkout", completeRequest("paid", kPaidSignature))));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: razorpay_signature does not match the return's parameters under key_secret"),
                             result(plugin_->call("complete_checkout", completeRequest("paid", std::string(64, 'a')))));
        CPPUNIT_ASSERT(host_->logged("a return from Razorpay for recovery 42 was refused"));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: the return is for Payment Link plink_ExjpAUN3gVHrPJ, not this "
                                         "checkout's plink_Other0000001"),
                             result(plugin_->call("complete_checkout", completeRequest("paid", kPaidSignature, "plink_Other0000001"))));
        Value noQuery = tinko::json::parse(completeRequest("paid", kPaidSignature));
        noQuery.set("query", "razorpay_payment_id=pay_1");
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: query is required and must be an object"),
                             result(plugin_->call("complete_checkout", noQuery.dump())));
        CPPUNIT_ASSERT(host_->requests().empty());   // checking a return needs no call to Razorpay
        for (const LogLine& line : host_->logs()) CPPUNIT_ASSERT(line.message.find(kReturnSecret) == std::string::npos);
    }

private:
    std::unique_ptr<PluginFile> file_;
    std::unique_ptr<FakeHost> host_;
    std::unique_ptr<PluginUnderTest> plugin_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RazorpayPluginTest);
