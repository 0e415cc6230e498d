// api/WebhookEndpointInput: which URLs an org may register as a webhook endpoint (https to a
// public host, unless ops allow the host), which event lists are subscriptions, how POST and PATCH
// bodies are read and refused naming the field, and the form of a new secret.
#include "api/WebhookEndpointInput.h"
#include "events/EventTypes.h"

#include <Poco/Base64Decoder.h>
#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace tinko::api;
using tinko::http::Problem;
using tinko::plugins::EgressPolicy;

namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

EgressPolicy allowing(const std::string& allow) {
    std::vector<std::string> problems;
    auto entries = tinko::plugins::parseEgressAllow(allow, problems);
    CPPUNIT_ASSERT(problems.empty());
    return EgressPolicy(entries);
}

const EgressPolicy kNoAllowances;

std::string problemOf(const std::string& url, const EgressPolicy& policy = kNoAllowances) {
    return webhookUrlProblem(url, policy);
}

std::vector<std::optional<std::string>> events(std::initializer_list<const char*> names) {
    std::vector<std::optional<std::string>> out;
    for (const char* n : names) out.emplace_back(n);
    return out;
}

std::string fieldsOf(const Problem& p) {
    std::string out;
    for (const auto& e : p.errors) out += e.field + ": " + e.message + "\n";
    return out;
}
}  // namespace

class WebhookEndpointInputTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookEndpointInputTest);
    CPPUNIT_TEST(httpsUrlsToPublicHostsAreAccepted);
    CPPUNIT_TEST(plainHttpIsRefusedUnlessOpsAllowTheHost);
    CPPUNIT_TEST(literalPrivateAddressesAreRefusedUnlessOpsAllowThem);
    CPPUNIT_TEST(malformedUrlsAreRefusedSayingWhy);
    CPPUNIT_TEST(eventListsAreKnownTypesOrTheWildcardAlone);
    CPPUNIT_TEST(aNewEndpointBodyIsReadOrRefusedNamingEachField);
    CPPUNIT_TEST(aChangeReadsOnlyWhatWasGiven);
    CPPUNIT_TEST(secretsAreWhsecAndBase64OfThirtyTwoRandomBytes);
    CPPUNIT_TEST_SUITE_END();

public:
    void httpsUrlsToPublicHostsAreAccepted() {
        for (const char* url : {"https://example.com/hooks", "https://hooks.example.com:8443/tinko?x=1", "HTTPS://Example.COM",
                                "https://93.184.216.34/hooks", "https://[2606:2800:220:1::248]/hooks", "https://my_host.example.com/"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(url, std::string(), problemOf(url));
    }

    void plainHttpIsRefusedUnlessOpsAllowTheHost() {
        CPPUNIT_ASSERT(contains(problemOf("http://example.com/hooks"), "must be https"));
        CPPUNIT_ASSERT(contains(problemOf("http://example.com/hooks"), "TINKO_EGRESS_ALLOW"));
        CPPUNIT_ASSERT_EQUAL(std::string(), problemOf("http://hooks.internal/x", allowing("hooks.internal")));
        CPPUNIT_ASSERT_EQUAL(std::string(), problemOf("http://127.0.0.1:9000/x", allowing("127.0.0.1")));
        CPPUNIT_ASSERT_EQUAL(std::string(), problemOf("http://10.1.2.3/x", allowing("10.0.0.0/8")));
        CPPUNIT_ASSERT_EQUAL(std::string(), problemOf("http://[::1]:9000/x", allowing("[::1]")));
        // An allowance for one port is only for that port.
        CPPUNIT_ASSERT(contains(problemOf("http://hooks.internal:81/x", allowing("hooks.internal:80")), "must be https"));
    }

    void literalPrivateAddressesAreRefusedUnlessOpsAllowThem() {
        auto why = problemOf("https://127.0.0.1/hooks");
        CPPUNIT_ASSERT_MESSAGE(why, contains(why, "127.0.0.1, a loopback address"));
        CPPUNIT_ASSERT(contains(why, "TINKO_EGRESS_ALLOW"));
        CPPUNIT_ASSERT(contains(problemOf("https://10.0.0.5/"), "private"));
        CPPUNIT_ASSERT(contains(problemOf("https://169.254.169.254/latest/meta-data"), "link-local"));
        CPPUNIT_ASSERT(contains(problemOf("https://[::1]/"), "loopback"));
        CPPUNIT_ASSERT(contains(problemOf("https://[::ffff:127.0.0.1]/"), "loopback"));
        CPPUNIT_ASSERT(contains(problemOf("https://localhost/"), "loopback"));
        CPPUNIT_ASSERT(contains(problemOf("https://api.localhost./"), "loopback"));
        // Numbers a resolver would read as an address are not host names.
        CPPUNIT_ASSERT(!problemOf("https://127.1/").empty());
        CPPUNIT_ASSERT(!problemOf("https://2130706433/").empty());
        CPPUNIT_ASSERT(!problemOf("https://0x7f.0.0.1/").empty());
        CPPUNIT_ASSERT_EQUAL(std::string(), problemOf("https://127.0.0.1:8443/", allowing("127.0.0.1")));
    }

    void malformedUrlsAreRefusedSayingWhy() {
        CPPUNIT_ASSERT(contains(problemOf(""), "empty"));
        CPPUNIT_ASSERT(contains(problemOf("example.com/hooks"), "absolute https URL"));
        CPPUNIT_ASSERT(contains(problemOf("ftp://example.com/"), "absolute https URL"));
        CPPUNIT_ASSERT(contains(problemOf("https://user:pw@example.com/"), "user information"));
        CPPUNIT_ASSERT(contains(problemOf("https://example.com/#frag"), "fragment"));
        CPPUNIT_ASSERT(contains(problemOf("https://exa mple.com/"), "space"));
        CPPUNIT_ASSERT(contains(problemOf("https://example.com/\x01"), "control character"));
        CPPUNIT_ASSERT(contains(problemOf("https://example.com\\@evil.com/"), "backslash"));
        CPPUNIT_ASSERT(contains(problemOf("https:///path"), "no host"));
        CPPUNIT_ASSERT(contains(problemOf("https://example.com:0/"), "bad port"));
        CPPUNIT_ASSERT(contains(problemOf("https://example.com:99999/"), "bad port"));
        CPPUNIT_ASSERT(contains(problemOf("https://example.com:/"), "malformed"));
        CPPUNIT_ASSERT(contains(problemOf("https://[::1/"), "malformed"));
        CPPUNIT_ASSERT(contains(problemOf("https://exa$mple.com/"), "not a host name"));
        CPPUNIT_ASSERT(contains(problemOf("https://example..com/"), "empty label"));
        CPPUNIT_ASSERT(contains(problemOf("https://example.com/" + std::string(2100, 'a')), "at most 2048"));
    }

    void eventListsAreKnownTypesOrTheWildcardAlone() {
        const auto& types = tinko::events::merchantEventTypes();
        CPPUNIT_ASSERT_EQUAL(std::size_t(14), types.size());
        CPPUNIT_ASSERT(eventsProblems(events({"*"})).empty());
        CPPUNIT_ASSERT(eventsProblems(events({"recovery.recovered", "message.failed", "checkout.started"})).empty());
        std::vector<std::optional<std::string>> all(types.begin(), types.end());
        CPPUNIT_ASSERT(eventsProblems(all).empty());

        auto empty = eventsProblems({});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), empty.size());
        CPPUNIT_ASSERT_EQUAL(std::string("events"), empty[0].field);

        auto unknown = eventsProblems(events({"recovery.started", "payment.exploded"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), unknown.size());
        CPPUNIT_ASSERT_EQUAL(std::string("events[1]"), unknown[0].field);
        CPPUNIT_ASSERT(contains(unknown[0].message, "unknown event type 'payment.exploded'"));
        CPPUNIT_ASSERT(contains(unknown[0].message, "recovery.started"));   // lists what there is

        CPPUNIT_ASSERT_EQUAL(std::string("events[1]"), eventsProblems(events({"link.opened", "*"}))[0].field);
        CPPUNIT_ASSERT(contains(eventsProblems(events({"link.opened", "link.opened"}))[0].message, "repeats"));
        auto notText = eventsProblems({std::nullopt});
        CPPUNIT_ASSERT_EQUAL(std::string("events[0]"), notText[0].field);
        CPPUNIT_ASSERT(contains(notText[0].message, "string"));
    }

    void aNewEndpointBodyIsReadOrRefusedNamingEachField() {
        auto ok = parseNewWebhookEndpoint(R"({"url":"https://example.com/h","events":["*"],"description":"ERP"})", kNoAllowances);
        auto* fields = std::get_if<NewWebhookEndpoint>(&ok);
        CPPUNIT_ASSERT(fields);
        CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/h"), fields->url);
        CPPUNIT_ASSERT(fields->events == std::vector<std::string>{"*"});
        CPPUNIT_ASSERT_EQUAL(std::string("ERP"), *fields->description);

        auto bad = parseNewWebhookEndpoint(R"({"url":"http://example.com/h","events":["nope"]})", kNoAllowances);
        auto* p = std::get_if<Problem>(&bad);
        CPPUNIT_ASSERT(p);
        CPPUNIT_ASSERT_EQUAL(422, p->status);
        CPPUNIT_ASSERT_MESSAGE(fieldsOf(*p), contains(fieldsOf(*p), "url: must be https"));
        CPPUNIT_ASSERT_MESSAGE(fieldsOf(*p), contains(fieldsOf(*p), "events[0]: unknown event type 'nope'"));

        auto missing = std::get<Problem>(parseNewWebhookEndpoint(R"({"description":"x"})", kNoAllowances));
        CPPUNIT_ASSERT(contains(fieldsOf(missing), "url: is required"));
        CPPUNIT_ASSERT(contains(fieldsOf(missing), "events: is required"));

        auto tooLong = std::get<Problem>(parseNewWebhookEndpoint(
            R"({"url":"https://example.com/h","events":["*"],"description":")" + std::string(501, 'd') + "\"}", kNoAllowances));
        CPPUNIT_ASSERT(contains(fieldsOf(tooLong), "description: must be at most 500"));
        auto extra = std::get<Problem>(parseNewWebhookEndpoint(R"({"url":"https://example.com/h","events":["*"],"secret":"x"})",
                                                               kNoAllowances));
        CPPUNIT_ASSERT(contains(fieldsOf(extra), "secret: unknown field"));
        auto notJson = std::get<Problem>(parseNewWebhookEndpoint("{", kNoAllowances));
        CPPUNIT_ASSERT_EQUAL(400, notJson.status);
    }

    void aChangeReadsOnlyWhatWasGiven() {
        auto onlyDisabled = std::get<WebhookEndpointChange>(parseWebhookEndpointChange(R"({"disabled":true})", kNoAllowances));
        CPPUNIT_ASSERT(!onlyDisabled.url && !onlyDisabled.events && !onlyDisabled.descriptionGiven);
        CPPUNIT_ASSERT_EQUAL(true, *onlyDisabled.disabled);

        auto cleared = std::get<WebhookEndpointChange>(parseWebhookEndpointChange(R"({"description":null})", kNoAllowances));
        CPPUNIT_ASSERT(cleared.descriptionGiven && !cleared.description);

        auto all = std::get<WebhookEndpointChange>(parseWebhookEndpointChange(
            R"({"url":"https://b.example.com/","events":["link.opened"],"description":"new","disabled":false})", kNoAllowances));
        CPPUNIT_ASSERT_EQUAL(std::string("https://b.example.com/"), *all.url);
        CPPUNIT_ASSERT(*all.events == std::vector<std::string>{"link.opened"});
        CPPUNIT_ASSERT_EQUAL(std::string("new"), *all.description);
        CPPUNIT_ASSERT_EQUAL(false, *all.disabled);

        auto bad = std::get<Problem>(parseWebhookEndpointChange(R"({"url":"https://10.0.0.1/","events":[],"disabled":"no"})",
                                                                kNoAllowances));
        CPPUNIT_ASSERT_EQUAL(422, bad.status);
        CPPUNIT_ASSERT(contains(fieldsOf(bad), "disabled: must be true or false"));
        // The type error is reported first; a second pass reports the values.
        auto values = std::get<Problem>(parseWebhookEndpointChange(R"({"url":"https://10.0.0.1/","events":[]})", kNoAllowances));
        CPPUNIT_ASSERT(contains(fieldsOf(values), "url: points at 10.0.0.1"));
        CPPUNIT_ASSERT(contains(fieldsOf(values), "events: must name at least one"));
    }

    void secretsAreWhsecAndBase64OfThirtyTwoRandomBytes() {
        const std::string a = newWebhookSecret(), b = newWebhookSecret();
        CPPUNIT_ASSERT(a != b);
        CPPUNIT_ASSERT_EQUAL(std::string("whsec_"), a.substr(0, 6));
        CPPUNIT_ASSERT_EQUAL(std::size_t(6 + 44), a.size());   // 32 bytes: 44 characters, padded
        CPPUNIT_ASSERT_EQUAL('=', a.back());
        std::istringstream in(a.substr(6));
        Poco::Base64Decoder decoder(in);
        std::string bytes((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
        CPPUNIT_ASSERT_EQUAL(std::size_t(32), bytes.size());
        CPPUNIT_ASSERT_EQUAL(std::string("webhook-endpoint-secret:42"), webhookSecretAssociatedData(42));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookEndpointInputTest);
