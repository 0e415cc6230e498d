// /v1/templates through the API: templates are created, listed, read, replaced and deleted per
// org; one that does not compile or names an unknown variable is refused naming the field and
// nothing is stored; a preview renders with sample data or the data given; other orgs see nothing.
#include "TestSupport.h"

#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

namespace {
const std::string kGerman =
    R"({"name":"Erinnerung","channel":"email","locale":"de_at","subject":"Zahlung an {{merchant_name}})"
    R"(","text":"Hallo {{customer_name}}, bitte zahlen Sie {{amount}}: {{link}}","html":"<p>{{customer_name}}: {{amount}}</p>"})";
}  // namespace

class TemplatesApiTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TemplatesApiTest);
    CPPUNIT_TEST(templatesAreCreatedReadReplacedAndDeleted);
    CPPUNIT_TEST(badTemplatesAreRefusedNamingTheFieldAndStoreNothing);
    CPPUNIT_TEST(previewRendersSampleOrGivenData);
    CPPUNIT_TEST(oneDefaultPerChannelAndOneTemplatePerNameAndLocale);
    CPPUNIT_TEST(theLastTemplateOfASetARulePicksStays);
    CPPUNIT_TEST(anotherOrgSeesNothing);
    CPPUNIT_TEST(rawCustomerTextNeverReachesTheHtml);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    void setUp() override {
        host_ = std::make_unique<TestHost>(Env{{"TINKO_SCHEDULER_WORKERS", "0"}});
        key_ = host_->createOrgWithKey("templates");
    }
    void tearDown() override { host_.reset(); }

    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "", const std::string& key = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(key.empty() ? key_ : key));
    }
    long long created(const std::string& body) {
        auto r = call("POST", "/v1/templates", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        return r.json()->getValue<long long>("id");
    }
    std::size_t count() { return call("GET", "/v1/templates").json()->getArray("data")->size(); }
    static std::string path(long long id) { return "/v1/templates/" + std::to_string(id); }

    void templatesAreCreatedReadReplacedAndDeleted() {
        auto r = call("POST", "/v1/templates", kGerman);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        auto t = r.json();
        const long long id = t->getValue<long long>("id");
        CPPUNIT_ASSERT_EQUAL(std::string("de-AT"), t->getValue<std::string>("locale"));   // canonical spelling
        CPPUNIT_ASSERT_EQUAL(std::string("Zahlung an {{merchant_name}}"), t->getValue<std::string>("subject"));
        CPPUNIT_ASSERT_EQUAL(false, t->getValue<bool>("is_default"));
        CPPUNIT_ASSERT(!t->getValue<std::string>("created_at").empty());

        CPPUNIT_ASSERT_EQUAL(std::string("Erinnerung"), call("GET", path(id)).json()->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), count());

        auto replaced = call("PUT", path(id), R"({"name":"SMS","channel":"sms","locale":"de","text":"{{merchant_name}}: {{link}}","is_default":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(replaced.body, 200, replaced.status);
        CPPUNIT_ASSERT(replaced.json()->isNull("subject"));
        CPPUNIT_ASSERT_EQUAL(true, replaced.json()->getValue<bool>("is_default"));
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), call("GET", path(id)).json()->getValue<std::string>("channel"));

        CPPUNIT_ASSERT_EQUAL(204, call("DELETE", path(id)).status);
        CPPUNIT_ASSERT_EQUAL(404, call("GET", path(id)).status);
        CPPUNIT_ASSERT_EQUAL(404, call("DELETE", path(id)).status);
        CPPUNIT_ASSERT_EQUAL(404, call("PUT", path(id), kGerman).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), count());
    }

    void badTemplatesAreRefusedNamingTheFieldAndStoreNothing() {
        const std::pair<std::string, std::string> cases[] = {
            {R"({"name":"a","channel":"email","locale":"en","subject":"Hi","text":"Hello {{#customer_name}} unclosed"})", "text"},
            {R"({"name":"a","channel":"email","locale":"en","subject":"Hi {{merchant_name","text":"Hello"})", "subject"},
            {R"({"name":"a","channel":"email","locale":"en","subject":"Hi","text":"Hello {{first_name}}"})", "text"},
            {R"({"name":"a","channel":"email","locale":"en","subject":"Hi","text":"x","html":"<p>{{coupon}}</p>"})", "html"},
            {R"({"name":"a","channel":"email","locale":"en","text":"Hello"})", "subject"},
            {R"({"name":"a","channel":"sms","locale":"en","subject":"Hi","text":"Hello"})", "subject"},
            {R"({"name":"a","channel":"fax","locale":"en","text":"Hello"})", "channel"},
            {R"({"name":"a","channel":"sms","locale":"klingon!","text":"Hello"})", "locale"},
            {R"({"name":"a","channel":"sms","locale":"en","text":"Hello","colour":"red"})", "colour"},
            {R"({"name":"a","channel":"sms","locale":"en"})", "text"},
        };
        for (const auto& [body, field] : cases) {
            auto r = call("POST", "/v1/templates", body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body + " -> " + r.body, 422, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
            auto error = r.json()->getArray("errors")->getObject(0);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body + " -> " + r.body, field, error->getValue<std::string>("field"));
        }
        auto unknown = call("POST", "/v1/templates", std::get<0>(cases[2])).json()->getArray("errors")->getObject(0);
        CPPUNIT_ASSERT(unknown->getValue<std::string>("message").find("first_name") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(400, call("POST", "/v1/templates", "{not json").status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), count());

        // A refused replacement leaves the template as it was.
        const long long id = created(kGerman);
        auto refused = call("PUT", path(id), R"({"name":"x","channel":"email","locale":"de","subject":"s","text":"{{nope}}"})");
        CPPUNIT_ASSERT_EQUAL(422, refused.status);
        CPPUNIT_ASSERT_EQUAL(std::string("de-AT"), call("GET", path(id)).json()->getValue<std::string>("locale"));
    }

    void previewRendersSampleOrGivenData() {
        const long long id = created(kGerman);
        auto sample = call("POST", path(id) + "/preview");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(sample.body, 200, sample.status);
        const std::string text = sample.json()->getValue<std::string>("text");
        CPPUNIT_ASSERT_MESSAGE(text, text.find("19,99 €") != std::string::npos);   // the sample amount in German
        CPPUNIT_ASSERT_EQUAL(std::string("Zahlung an Example Shop"), sample.json()->getValue<std::string>("subject"));

        auto given = call("POST", path(id) + "/preview", R"({"data":{"customer_name":"Jörg & Co","amount":"5,00 €"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(given.body, 200, given.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Hallo Jörg & Co, bitte zahlen Sie 5,00 €: https://pay.example.com/r/sample-link"),
                             given.json()->getValue<std::string>("text"));
        CPPUNIT_ASSERT_EQUAL(std::string("<p>Jörg &amp; Co: 5,00 €</p>"), given.json()->getValue<std::string>("html"));

        auto unknown = call("POST", path(id) + "/preview", R"({"data":{"coupon":"X"}})");
        CPPUNIT_ASSERT_EQUAL(422, unknown.status);
        CPPUNIT_ASSERT_EQUAL(std::string("data.coupon"), unknown.json()->getArray("errors")->getObject(0)->getValue<std::string>("field"));
        CPPUNIT_ASSERT_EQUAL(404, call("POST", "/v1/templates/424242/preview").status);

        const long long sms = created(R"({"name":"s","channel":"sms","locale":"en","text":"{{merchant_name}}: {{amount}}"})");
        auto smsPreview = call("POST", path(sms) + "/preview", "{}").json();
        CPPUNIT_ASSERT_EQUAL(std::string("Example Shop: €19.99"), smsPreview->getValue<std::string>("text"));
        CPPUNIT_ASSERT(smsPreview->isNull("subject"));
        CPPUNIT_ASSERT(smsPreview->isNull("html"));
    }

    void oneDefaultPerChannelAndOneTemplatePerNameAndLocale() {
        const long long en = created(R"({"name":"en","channel":"sms","locale":"en","text":"{{link}}","is_default":true})");
        const long long de = created(R"({"name":"de","channel":"sms","locale":"de","text":"{{link}}","is_default":true})");
        const long long mail = created(R"({"name":"m","channel":"email","locale":"en","subject":"s","text":"{{link}}","is_default":true})");
        CPPUNIT_ASSERT_EQUAL(false, call("GET", path(en)).json()->getValue<bool>("is_default"));
        CPPUNIT_ASSERT_EQUAL(true, call("GET", path(de)).json()->getValue<bool>("is_default"));
        CPPUNIT_ASSERT_EQUAL(true, call("GET", path(mail)).json()->getValue<bool>("is_default"));   // another channel

        auto taken = call("POST", "/v1/templates", R"({"name":"en","channel":"sms","locale":"EN","text":"{{link}}","is_default":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(taken.body, 409, taken.status);
        CPPUNIT_ASSERT_EQUAL(true, call("GET", path(de)).json()->getValue<bool>("is_default"));   // nothing changed
        CPPUNIT_ASSERT_EQUAL(409, call("PUT", path(de), R"({"name":"en","channel":"sms","locale":"en","text":"{{link}}"})").status);
        // Another name may have the same channel and locale: it is another set, for rules to pick.
        CPPUNIT_ASSERT_EQUAL(201, call("POST", "/v1/templates", R"({"name":"vip","channel":"sms","locale":"en","text":"{{link}}"})").status);
    }

    void theLastTemplateOfASetARulePicksStays() {
        const long long en = created(R"({"name":"vip","channel":"sms","locale":"en","text":"{{link}}"})");
        auto rule = call("POST", "/v1/rules", R"({"priority":1,"when":{"amount_min":100000},"then":{"template":"vip"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(rule.body, 201, rule.status);
        const std::string ruleId = std::to_string(rule.json()->getValue<long long>("id"));

        auto refused = call("DELETE", path(en));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, 409, refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.body, refused.body.find("rule " + ruleId) != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(409, call("PUT", path(en), R"({"name":"plain","channel":"sms","locale":"en","text":"{{link}}"})").status);
        CPPUNIT_ASSERT_EQUAL(std::string("vip"), call("GET", path(en)).json()->getValue<std::string>("name"));   // unchanged
        // Edits that keep the name are fine.
        CPPUNIT_ASSERT_EQUAL(200, call("PUT", path(en), R"({"name":"vip","channel":"sms","locale":"en","text":"VIP {{link}}"})").status);

        // With another template in the set, this one may go; the last one stays until the rule goes.
        const long long de = created(R"({"name":"vip","channel":"sms","locale":"de","text":"{{link}}"})");
        CPPUNIT_ASSERT_EQUAL(204, call("DELETE", path(en)).status);
        CPPUNIT_ASSERT_EQUAL(409, call("DELETE", path(de)).status);
        CPPUNIT_ASSERT_EQUAL(204, call("DELETE", "/v1/rules/" + ruleId).status);
        CPPUNIT_ASSERT_EQUAL(204, call("DELETE", path(de)).status);
    }

    void anotherOrgSeesNothing() {
        const long long id = created(kGerman);
        const std::string other = host_->createOrgWithKey("other");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), call("GET", "/v1/templates", "", other).json()->getArray("data")->size());
        CPPUNIT_ASSERT_EQUAL(404, call("GET", path(id), "", other).status);
        CPPUNIT_ASSERT_EQUAL(404, call("PUT", path(id), kGerman, other).status);
        CPPUNIT_ASSERT_EQUAL(404, call("POST", path(id) + "/preview", "", other).status);
        CPPUNIT_ASSERT_EQUAL(404, call("DELETE", path(id), "", other).status);
        CPPUNIT_ASSERT_EQUAL(201, call("POST", "/v1/templates", kGerman, other).status);   // its own de-AT is fine
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), count());
    }

    // {{{name}}} and {{&name}} in `html` are refused on create and update (422 naming html), and a
    // template stored before that rule still renders every value escaped.
    void rawCustomerTextNeverReachesTheHtml() {
        const std::string raw = R"({"name":"raw","channel":"email","locale":"en","subject":"Pay","text":"Hi {{customer_name}}",)"
                                R"("html":"<p>{{{customer_name}}}</p>"})";
        auto refused = call("POST", "/v1/templates", raw);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, 422, refused.status);
        CPPUNIT_ASSERT_EQUAL(std::string("html"), refused.json()->getArray("errors")->getObject(0)->getValue<std::string>("field"));
        CPPUNIT_ASSERT_MESSAGE(refused.body, refused.body.find("unescaped variable") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), count());

        const long long id = created(R"({"name":"raw","channel":"email","locale":"en","subject":"Pay","text":"Hi",)"
                                     R"("html":"<p>{{customer_name}}</p>"})");
        auto update = call("PUT", path(id), R"({"name":"raw","channel":"email","locale":"en","subject":"Pay","text":"Hi",)"
                                            R"("html":"<p>{{& customer_name}}</p>"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(update.body, 422, update.status);
        CPPUNIT_ASSERT_MESSAGE(update.body, update.body.find("html") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("<p>{{customer_name}}</p>"), call("GET", path(id)).json()->getValue<std::string>("html"));

        // As if stored by an earlier version, which accepted it.
        tinko::store::PgConnection(host_->databaseUrl)
            .query("UPDATE message_templates SET html = '<p>{{{customer_name}}}{{&customer_name}}</p>' WHERE id = $1::bigint",
                   {std::to_string(id)});
        auto preview = call("POST", path(id) + "/preview", R"({"data":{"customer_name":"<script>alert(1)</script>"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(preview.body, 200, preview.status);
        CPPUNIT_ASSERT_EQUAL(std::string("<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
                             preview.json()->getValue<std::string>("html"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TemplatesApiTest);
