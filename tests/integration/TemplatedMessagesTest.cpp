// The customer's locale picks the org's template end to end: a failed payment at (fake) Stripe,
// the customer emailed through a real SMTP server. A customer in "de-AT" gets the org's German
// mail with the amount as Germans write it; one in "fr" (no French template) gets the org's
// default; an org without templates sends the built-in English message as before.
#include "FakeStripe.h"
#include "SmtpTestServer.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

class TemplatedMessagesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TemplatedMessagesTest);
    CPPUNIT_TEST(theCustomersLocalePicksTheTemplate);
    CPPUNIT_TEST(anOrgWithoutTemplatesSendsTheBuiltInMessage);
    CPPUNIT_TEST(aRulePicksTheTemplateSetForItsPayments);
    CPPUNIT_TEST(manyTemplatesStillGiveTheOldestInTheCustomersLocale);
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
        put("/v1/config/psp", R"({"plugin":"stripe","config":{"secret_key":")" + stripe_->secretKey() +
                                  R"(","webhook_secret":"whsec_templates","api_base":")" + stripe_->baseUrl() + R"("}})");
        put("/v1/config/channels/email", R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" +
                                             std::to_string(smtp_->port()) +
                                             R"(,"tls":"none","from":"Acme Ltd <billing@acme.test>"}})");
        // One message at once, no charge retry: only the message matters here.
        auto policy = call("POST", "/v1/retry/policies",
                           R"({"name":"mail","max_retries":1,"initial_delay_seconds":1,"backoff_multiplier":1,)"
                           R"("max_delay_seconds":1,"channels":["email"],"retry_charge":false,"link_ttl_seconds":3600,"is_active":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(policy.body, 201, policy.status);
    }

    void tearDown() override {
        if (stripe_) CPPUNIT_ASSERT(stripe_->violations().empty());
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
    void createTemplate(const std::string& body) {
        auto r = call("POST", "/v1/templates", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
    }
    // A failed payment (19.99 EUR unless said) by a customer with `locale`; returns the mail they got.
    json::Value mailFor(const std::string& ref, const std::string& locale, std::size_t nth, long long amount = 1999) {
        auto r = call("POST", "/v1/events/payment_failed",
                      R"({"transaction_ref":")" + ref + R"(","amount":)" + std::to_string(amount) +
                          R"(,"currency":"EUR","decline_code":"insufficient_funds",)"
                      R"("customer":{"email":")" + ref + R"(@example.com","name":"Ann")" +
                          (locale.empty() ? "" : R"(,"locale":")" + locale + "\"") + "}}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        CPPUNIT_ASSERT_MESSAGE(smtp_->output(), smtp_->waitForMessages(nth, 20s));
        auto mail = smtp_->received().at(nth - 1);
        CPPUNIT_ASSERT_EQUAL(ref + "@example.com", mail.at("rcpt_tos").at(0).get<std::string>());
        return mail;
    }
    static std::string subject(const json::Value& mail) {
        const auto& headers = mail.at("headers");
        for (std::size_t i = 0; i < headers.size(); ++i)
            if (headers.at(i).at(0).get<std::string>() == "Subject") return headers.at(i).at(1).get<std::string>();
        return "";
    }
    static std::string text(const json::Value& mail) { return mail.at("parts").at(0).at("content").get<std::string>(); }

    void theCustomersLocalePicksTheTemplate() {
        createTemplate(R"({"name":"Deutsch","channel":"email","locale":"de","subject":"Ihre Zahlung an {{merchant_name}}",)"
                       R"("text":"Hallo {{customer_name}}, Ihre Zahlung über {{amount}} ist fehlgeschlagen: {{link}}"})");
        createTemplate(R"({"name":"English","channel":"email","locale":"en","is_default":true,"subject":"About your payment",)"
                       R"("text":"Dear {{customer_name}}, please pay {{amount}} here: {{link}}"})");
        // The locale is checked on the way in.
        auto bad = call("POST", "/v1/events/payment_failed",
                        R"({"transaction_ref":"bad","amount":1999,"currency":"EUR","customer":{"locale":"not a locale"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(bad.body, 422, bad.status);
        CPPUNIT_ASSERT_EQUAL(std::string("customer.locale"), bad.json()->getArray("errors")->getObject(0)->getValue<std::string>("field"));

        auto german = mailFor("austria", "de-AT", 1);
        CPPUNIT_ASSERT_EQUAL(std::string("Ihre Zahlung an Org acme"), subject(german));
        const std::string body = text(german);
        CPPUNIT_ASSERT_MESSAGE(body, body.find("Hallo Ann, Ihre Zahlung über 19,99 € ist fehlgeschlagen: http") == 0);

        auto french = mailFor("france", "fr", 2);
        CPPUNIT_ASSERT_EQUAL(std::string("About your payment"), subject(french));
        CPPUNIT_ASSERT_MESSAGE(text(french), text(french).find("Dear Ann, please pay €19.99 here: http") == 0);
    }

    void anOrgWithoutTemplatesSendsTheBuiltInMessage() {
        auto mail = mailFor("builtin", "de-AT", 1);
        CPPUNIT_ASSERT_EQUAL(std::string("Your payment to Org acme did not go through"), subject(mail));
        CPPUNIT_ASSERT_MESSAGE(text(mail), text(mail).rfind("Hello Ann,", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(text(mail), text(mail).find("your payment of €19.99 to Org acme did not go through.") != std::string::npos);
    }

    void aRulePicksTheTemplateSetForItsPayments() {
        createTemplate(R"({"name":"usual","channel":"email","locale":"de","subject":"Zahlung fehlgeschlagen",)"
                       R"("text":"Bitte zahlen Sie {{amount}}: {{link}}"})");
        createTemplate(R"({"name":"vip","channel":"email","locale":"de","subject":"Ganz persoenlich, {{customer_name}}",)"
                       R"("text":"Ihr Kundenbetreuer bittet um {{amount}}: {{link}}"})");
        auto rule = call("POST", "/v1/rules", R"({"priority":1,"when":{"amount_min":100000},"then":{"template":"vip"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(rule.body, 201, rule.status);

        auto big = mailFor("big-order", "de-DE", 1, 250000);
        CPPUNIT_ASSERT_EQUAL(std::string("Ganz persoenlich, Ann"), subject(big));
        CPPUNIT_ASSERT_MESSAGE(text(big), text(big).find("Ihr Kundenbetreuer bittet um 2.500,00 €: http") == 0);
        auto recovery = call("GET", "/v1/recoveries/by_ref/big-order").json();
        CPPUNIT_ASSERT_EQUAL(std::string("vip"), recovery->getObject("decided_by_rule")->getObject("then")->getValue<std::string>("template"));

        // A payment the rule does not decide gets the usual template, never the rule's.
        auto small = mailFor("small-order", "de-DE", 2);
        CPPUNIT_ASSERT_EQUAL(std::string("Zahlung fehlgeschlagen"), subject(small));
    }

    // Each message loads only the few templates that could be chosen (not all of the org's), and
    // "oldest first" means the smallest id (id 9 before id 10, not as text).
    void manyTemplatesStillGiveTheOldestInTheCustomersLocale() {
        for (int i = 0; i < 8; ++i)   // so that the German ones get ids 9, 10, ...
            createTemplate(R"({"name":"sms)" + std::to_string(i) + R"(","channel":"sms","locale":"en","text":"{{link}}"})");
        for (int i = 0; i < 220; ++i)
            createTemplate(R"({"name":"n)" + std::to_string(i) + R"(","channel":"email","locale":"de-CH","subject":"n)" +
                           std::to_string(i) + R"(","text":"{{link}}"})");
        createTemplate(R"({"name":"exact","channel":"email","locale":"de-AT","subject":"exact","text":"{{link}}"})");
        CPPUNIT_ASSERT_EQUAL(std::string("n0"), subject(mailFor("swiss", "de-CH", 1)));
        CPPUNIT_ASSERT_EQUAL(std::string("exact"), subject(mailFor("austrian", "de-AT", 2)));
        // Only the language matches: the first German template by locale, then id.
        CPPUNIT_ASSERT_EQUAL(std::string("exact"), subject(mailFor("german", "de-DE", 3)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TemplatedMessagesTest);
