// plugins/EgressPolicy: where a plugin may connect (declared hosts, ops' TINKO_EGRESS_ALLOW, the
// resolved address, the transport), what TINKO_EGRESS_ALLOW accepts, what a describe answer
// declares, and which checkout URLs may become a redirect.
#include "plugins/EgressPolicy.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::plugins;

namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

IpAddress ip(const std::string& text) {
    auto a = IpAddress::parse(text);
    CPPUNIT_ASSERT_MESSAGE(text, a.has_value());
    return *a;
}

EgressPolicy policy(const std::string& allow) {
    std::vector<std::string> problems;
    auto entries = parseEgressAllow(allow, problems);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(allow, std::size_t(0), problems.size());
    return EgressPolicy(entries);
}

const std::vector<DeclaredHost> kStripe{{"api.stripe.com", 443}};
const std::vector<DeclaredHost> kSmtp{{"*", 25}, {"*", 465}, {"*", 587}, {"*", 2525}};

EgressDecision decide(const EgressPolicy& p, const std::vector<DeclaredHost>& declared, const std::string& host,
                      std::uint16_t port, bool encrypted, const std::vector<std::string>& resolved) {
    EgressRequest r{host, port, encrypted, {}};
    for (const auto& a : resolved) r.resolved.push_back(ip(a));
    return p.decide(declared, r);
}

std::string problemsOf(const std::string& allow) {
    std::vector<std::string> problems;
    parseEgressAllow(allow, problems);
    std::string out;
    for (const auto& p : problems) out += p + "\n";
    return out;
}
}  // namespace

class EgressPolicyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(EgressPolicyTest);
    CPPUNIT_TEST(nonPublicAddressesAreNamed);
    CPPUNIT_TEST(publicAddressesPass);
    CPPUNIT_TEST(mappedAndEmbeddedIpv4IsJudgedAsIpv4);
    CPPUNIT_TEST(declaredHostOverTlsToPublicAddressIsAllowed);
    CPPUNIT_TEST(declaredHostResolvingToPrivateAddressIsRefused);
    CPPUNIT_TEST(undeclaredHostIsRefusedNamingTheSetting);
    CPPUNIT_TEST(plainTransportNeedsOpsAllow);
    CPPUNIT_TEST(opsAllowWidensByNameAddressPortAndRange);
    CPPUNIT_TEST(thePickedAddressIsOneThatWasChecked);
    CPPUNIT_TEST(wildcardDeclarationsAreLimitedToTheirPorts);
    CPPUNIT_TEST(allowListForms);
    CPPUNIT_TEST(allowListErrorsNameTheEntry);
    CPPUNIT_TEST(describeDeclarations);
    CPPUNIT_TEST(badDescribeDeclarationsAreProblems);
    CPPUNIT_TEST(refusalKnownAtConfigTime);
    CPPUNIT_TEST(checkoutUrls);
    CPPUNIT_TEST(configProblemsNameTheField);
    CPPUNIT_TEST_SUITE_END();

public:
    void nonPublicAddressesAreNamed() {
        for (const char* a : {"127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                              "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "::", "::1", "fe80::1",
                              "fc00::1", "fd12:3456::1", "224.0.0.1", "255.255.255.255"})
            CPPUNIT_ASSERT_MESSAGE(a, nonPublicKind(ip(a)).has_value());
        CPPUNIT_ASSERT(contains(*nonPublicKind(ip("169.254.169.254")), "metadata"));
        CPPUNIT_ASSERT(contains(*nonPublicKind(ip("10.1.2.3")), "RFC 1918"));
    }

    void publicAddressesPass() {
        for (const char* a : {"8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700::1111", "54.187.174.169"})
            CPPUNIT_ASSERT_MESSAGE(a, !nonPublicKind(ip(a)).has_value());
    }

    void mappedAndEmbeddedIpv4IsJudgedAsIpv4() {
        CPPUNIT_ASSERT(ip("::ffff:127.0.0.1") == ip("127.0.0.1"));
        CPPUNIT_ASSERT(ip("::ffff:a9fe:a9fe") == ip("169.254.169.254"));
        CPPUNIT_ASSERT(ip("[::ffff:10.0.0.1]") == ip("10.0.0.1"));
        CPPUNIT_ASSERT(nonPublicKind(ip("64:ff9b::10.0.0.1")).has_value());
        CPPUNIT_ASSERT(nonPublicKind(ip("2002:0a00:0001::1")).has_value());   // 6to4 of 10.0.0.1
        CPPUNIT_ASSERT(nonPublicKind(ip("::127.0.0.1")).has_value());
        CPPUNIT_ASSERT(!IpAddress::parse("fe80::1%eth0"));
        CPPUNIT_ASSERT(!IpAddress::parse("api.stripe.com"));
    }

    void declaredHostOverTlsToPublicAddressIsAllowed() {
        auto d = decide(EgressPolicy(), kStripe, "api.stripe.com", 443, true, {"54.187.174.169"});
        CPPUNIT_ASSERT(d.address && *d.address == ip("54.187.174.169"));
        CPPUNIT_ASSERT(decide(EgressPolicy(), kStripe, "API.Stripe.COM", 443, true, {"54.187.174.169"}).address);
    }

    void declaredHostResolvingToPrivateAddressIsRefused() {
        // DNS rebinding: the declared name answers with an internal address.
        for (const char* a : {"127.0.0.1", "10.0.0.5", "169.254.169.254", "::ffff:192.168.0.1", "fd00::1"}) {
            auto d = decide(EgressPolicy(), kStripe, "api.stripe.com", 443, true, {a});
            CPPUNIT_ASSERT_MESSAGE(a, !d.address);
            CPPUNIT_ASSERT_MESSAGE(d.refusal, contains(d.refusal, "egress refused: api.stripe.com:443 resolves to"));
            CPPUNIT_ASSERT_MESSAGE(d.refusal, contains(d.refusal, "TINKO_EGRESS_ALLOW"));
        }
    }

    void undeclaredHostIsRefusedNamingTheSetting() {
        auto d = decide(EgressPolicy(), kStripe, "evil.example", 443, true, {"93.184.216.34"});
        CPPUNIT_ASSERT(!d.address);
        CPPUNIT_ASSERT_EQUAL(std::string("egress refused: evil.example:443 is not a host this plugin declares; "
                                         "ops can allow it with TINKO_EGRESS_ALLOW=evil.example:443"),
                             d.refusal);
        // Another port of a declared host is another service.
        CPPUNIT_ASSERT(!decide(EgressPolicy(), kStripe, "api.stripe.com", 22, true, {"54.187.174.169"}).address);
        // A plugin that declares nothing reaches only what ops allow.
        CPPUNIT_ASSERT(!decide(EgressPolicy(), {}, "api.stripe.com", 443, true, {"54.187.174.169"}).address);
        CPPUNIT_ASSERT(decide(policy("api.stripe.com"), {}, "api.stripe.com", 443, true, {"54.187.174.169"}).address);
    }

    void plainTransportNeedsOpsAllow() {
        auto d = decide(EgressPolicy(), {{"api.stripe.com", 80}}, "api.stripe.com", 80, false, {"54.187.174.169"});
        CPPUNIT_ASSERT(!d.address);
        CPPUNIT_ASSERT_MESSAGE(d.refusal, contains(d.refusal, "plain (unencrypted)"));
        CPPUNIT_ASSERT(decide(policy("127.0.0.1"), {}, "127.0.0.1", 8080, false, {"127.0.0.1"}).address);
    }

    void opsAllowWidensByNameAddressPortAndRange() {
        const EgressPolicy p = policy("localhost, 10.0.0.0/8, [::1]:8080, smtp.internal:25");
        CPPUNIT_ASSERT(decide(p, {}, "localhost", 9999, false, {"127.0.0.1"}).address);
        CPPUNIT_ASSERT(decide(p, {}, "LOCALHOST", 9999, false, {"127.0.0.1"}).address);
        CPPUNIT_ASSERT(decide(p, {}, "db.internal", 5432, false, {"10.9.8.7"}).address);
        CPPUNIT_ASSERT(!decide(p, {}, "db.internal", 5432, false, {"11.9.8.7"}).address);
        CPPUNIT_ASSERT(decide(p, {}, "::1", 8080, false, {"::1"}).address);
        CPPUNIT_ASSERT(!decide(p, {}, "::1", 8081, false, {"::1"}).address);
        CPPUNIT_ASSERT(decide(p, {}, "smtp.internal", 25, false, {"192.168.3.3"}).address);
        CPPUNIT_ASSERT(!decide(p, {}, "smtp.internal", 587, false, {"192.168.3.3"}).address);
        // 127.0.0.1 allows exactly that address, not the rest of 127/8 or ::1.
        const EgressPolicy one = policy("127.0.0.1");
        CPPUNIT_ASSERT(!decide(one, kStripe, "api.stripe.com", 443, true, {"127.0.0.2"}).address);
        CPPUNIT_ASSERT(!decide(one, {}, "::1", 80, false, {"::1"}).address);
        CPPUNIT_ASSERT(decide(one, {}, "::ffff:127.0.0.1", 80, false, {"::ffff:127.0.0.1"}).address);
    }

    void thePickedAddressIsOneThatWasChecked() {
        auto d = decide(EgressPolicy(), kStripe, "api.stripe.com", 443, true, {"10.0.0.1", "54.187.174.169"});
        CPPUNIT_ASSERT(d.address && *d.address == ip("54.187.174.169"));
        auto local = decide(policy("127.0.0.1"), {}, "localhost", 80, false, {"::1", "127.0.0.1"});
        CPPUNIT_ASSERT(local.address && *local.address == ip("127.0.0.1"));
        auto none = decide(EgressPolicy(), kStripe, "api.stripe.com", 443, true, {});
        CPPUNIT_ASSERT(!none.address);
        CPPUNIT_ASSERT_MESSAGE(none.refusal, contains(none.refusal, "did not resolve"));
    }

    void wildcardDeclarationsAreLimitedToTheirPorts() {
        CPPUNIT_ASSERT(decide(EgressPolicy(), kSmtp, "smtp.example.com", 587, true, {"93.184.216.34"}).address);
        CPPUNIT_ASSERT(!decide(EgressPolicy(), kSmtp, "smtp.example.com", 22, true, {"93.184.216.34"}).address);
        CPPUNIT_ASSERT(!decide(EgressPolicy(), kSmtp, "smtp.example.com", 587, true, {"127.0.0.1"}).address);
    }

    void allowListForms() {
        std::vector<std::string> problems;
        auto e = parseEgressAllow(" 127.0.0.1,  localhost ,[::1]:8080, 10.0.0.0/8,fd00::/8, smtp.internal:2525,,", problems);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(problemsOf(""), std::size_t(0), problems.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), e.size());
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), e[0].host);
        CPPUNIT_ASSERT_EQUAL(32, e[0].prefixBits);
        CPPUNIT_ASSERT_EQUAL(std::string("localhost"), e[1].host);
        CPPUNIT_ASSERT(!e[1].port);
        CPPUNIT_ASSERT(e[2].port && *e[2].port == 8080 && e[2].network && e[2].network->v6);
        CPPUNIT_ASSERT_EQUAL(8, e[3].prefixBits);
        CPPUNIT_ASSERT(e[4].network && e[4].network->v6);
        CPPUNIT_ASSERT(e[5].port && *e[5].port == 2525);
        CPPUNIT_ASSERT(parseEgressAllow("", problems).empty());
        CPPUNIT_ASSERT(problems.empty());
    }

    void allowListErrorsNameTheEntry() {
        const std::string p = problemsOf("10.0.0.0/33, host:99999, [::1, not a host, 300.1.1.1/8, ok.example");
        CPPUNIT_ASSERT_MESSAGE(p, contains(p, "TINKO_EGRESS_ALLOW: '10.0.0.0/33' is not a CIDR range"));
        CPPUNIT_ASSERT_MESSAGE(p, contains(p, "'host:99999' has a port that is not a number from 1 to 65535"));
        CPPUNIT_ASSERT_MESSAGE(p, contains(p, "'[::1'"));
        CPPUNIT_ASSERT_MESSAGE(p, contains(p, "'not a host'"));
        CPPUNIT_ASSERT_MESSAGE(p, contains(p, "'300.1.1.1/8'"));
        CPPUNIT_ASSERT_MESSAGE(p, !contains(p, "ok.example"));
    }

    void describeDeclarations() {
        std::vector<std::string> problems;
        auto e = parsePluginEgress(R"({"display_name":"X","egress":["API.example.com:443","*:587"],"checkout_hosts":["Pay.Example.com"]})",
                                   problems);
        CPPUNIT_ASSERT(problems.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), e.hosts.size());
        CPPUNIT_ASSERT_EQUAL(std::string("api.example.com"), e.hosts[0].host);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(443), e.hosts[0].port);
        CPPUNIT_ASSERT_EQUAL(std::string("*"), e.hosts[1].host);
        CPPUNIT_ASSERT_EQUAL(std::string("pay.example.com"), e.checkoutHosts.at(0));
        auto none = parsePluginEgress(R"({"display_name":"X"})", problems);
        CPPUNIT_ASSERT(problems.empty() && none.hosts.empty() && none.checkoutHosts.empty());
    }

    void badDescribeDeclarationsAreProblems() {
        std::vector<std::string> problems;
        parsePluginEgress(R"({"egress":["api.example.com", 443, "x:0"],"checkout_hosts":"pay.example.com"})", problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), problems.size());
        CPPUNIT_ASSERT(contains(problems[0], "'api.example.com' is not \"host:port\""));
    }

    void refusalKnownAtConfigTime() {
        const EgressPolicy none;
        CPPUNIT_ASSERT(contains(none.refusalKnownNow(kStripe, "127.0.0.1", 8080, false), "egress refused"));
        CPPUNIT_ASSERT(contains(none.refusalKnownNow(kStripe, "10.0.0.1", 443, true), "egress refused"));
        CPPUNIT_ASSERT(contains(none.refusalKnownNow(kSmtp, "10.0.0.1", 587, true), "private"));
        CPPUNIT_ASSERT(contains(none.refusalKnownNow(kSmtp, "smtp.example.com", 22, true), "not a host this plugin declares"));
        CPPUNIT_ASSERT(contains(none.refusalKnownNow(kSmtp, "smtp.example.com", 25, false), "plain"));
        CPPUNIT_ASSERT(contains(none.refusalKnownNow(kStripe, "evil.example", 443, true), "TINKO_EGRESS_ALLOW"));
        CPPUNIT_ASSERT_EQUAL(std::string(), none.refusalKnownNow(kStripe, "api.stripe.com", 443, true));
        CPPUNIT_ASSERT_EQUAL(std::string(), none.refusalKnownNow(kSmtp, "smtp.example.com", 587, true));
        // With ops allowing addresses, a name may resolve into them: only the call can tell.
        const EgressPolicy local = policy("127.0.0.1");
        CPPUNIT_ASSERT_EQUAL(std::string(), local.refusalKnownNow(kStripe, "127.0.0.1", 8080, false));
        CPPUNIT_ASSERT_EQUAL(std::string(), local.refusalKnownNow(kStripe, "localhost", 8080, false));
        CPPUNIT_ASSERT(contains(local.refusalKnownNow(kStripe, "10.0.0.1", 443, true), "egress refused"));
    }

    void checkoutUrls() {
        const std::vector<std::string> hosts{"checkout.stripe.com"};
        const EgressPolicy none;
        CPPUNIT_ASSERT_EQUAL(std::string(), none.checkoutUrlProblem(hosts, "https://checkout.stripe.com/c/pay/cs_123#abc"));
        CPPUNIT_ASSERT_EQUAL(std::string(), none.checkoutUrlProblem(hosts, "https://CHECKOUT.stripe.com:443/x"));
        CPPUNIT_ASSERT(contains(none.checkoutUrlProblem(hosts, "https://checkout.stripe.com/x\r\nSet-Cookie: a=b"), "control"));
        CPPUNIT_ASSERT(contains(none.checkoutUrlProblem(hosts, "https://checkout.stripe.com/x y"), "space"));
        CPPUNIT_ASSERT(contains(none.checkoutUrlProblem(hosts, std::string("https://checkout.stripe.com/\0x", 30)), "control"));
        CPPUNIT_ASSERT(contains(none.checkoutUrlProblem(hosts, "http://checkout.stripe.com/x"), "not https"));
        CPPUNIT_ASSERT(contains(none.checkoutUrlProblem(hosts, "https://evil.example/x"), "not one of the plugin's declared"));
        CPPUNIT_ASSERT(contains(none.checkoutUrlProblem(hosts, "https://checkout.stripe.com.evil.example/"), "not one of"));
        CPPUNIT_ASSERT(contains(none.checkoutUrlProblem(hosts, "https://checkout.stripe.com@evil.example/"), "user information"));
        CPPUNIT_ASSERT(!none.checkoutUrlProblem(hosts, "https://checkout.stripe.com\\@evil.example/").empty());
        CPPUNIT_ASSERT(contains(none.checkoutUrlProblem(hosts, "https://checkout.stripe.com:8443/x"), "port"));
        CPPUNIT_ASSERT(contains(none.checkoutUrlProblem(hosts, "javascript:alert(1)"), "not an https URL"));
        CPPUNIT_ASSERT(contains(none.checkoutUrlProblem({}, "https://checkout.stripe.com/x"), "not one of"));
        // Ops-allowed hosts (the tests' fakes) may be http.
        const EgressPolicy local = policy("127.0.0.1");
        CPPUNIT_ASSERT_EQUAL(std::string(), local.checkoutUrlProblem({}, "http://127.0.0.1:4242/checkout/cs_1"));
        CPPUNIT_ASSERT(!local.checkoutUrlProblem({}, "http://127.0.0.2:4242/checkout/cs_1").empty());
    }

    void configProblemsNameTheField() {
        auto problems = [](const std::string& json, const std::vector<DeclaredHost>& declared) {
            Poco::JSON::Parser parser;
            auto config = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
            std::string out;
            for (const auto& [field, why] : configEgressProblems(*config, {declared, {}}, EgressPolicy()))
                out += field + ": " + why + "\n";
            return out;
        };
        CPPUNIT_ASSERT_EQUAL(std::string(), problems(R"({"secret_key":"x"})", kStripe));
        CPPUNIT_ASSERT_EQUAL(std::string(), problems(R"({"api_base":"https://api.stripe.com"})", kStripe));
        CPPUNIT_ASSERT(contains(problems(R"({"api_base":"http://127.0.0.1:4242"})", kStripe), "config.api_base: egress refused: 127.0.0.1:4242"));
        CPPUNIT_ASSERT(contains(problems(R"({"api_base":"https://10.0.0.1"})", kStripe), "config.api_base: egress refused: 10.0.0.1:443"));
        CPPUNIT_ASSERT(contains(problems(R"({"host":"mail.example.com","port":22,"tls":"implicit"})", kSmtp), "config.port: "));
        CPPUNIT_ASSERT(contains(problems(R"({"host":"192.168.0.9","port":587,"tls":"starttls"})", kSmtp), "config.host: "));
        CPPUNIT_ASSERT(contains(problems(R"({"host":"mail.example.com","port":25,"tls":"none"})", kSmtp), "config.host: "));
        CPPUNIT_ASSERT_EQUAL(std::string(), problems(R"({"host":"Mail.Example.com","port":465,"tls":"implicit"})", kSmtp));
        CPPUNIT_ASSERT_EQUAL(std::string(), problems(R"({"host":"mail.example.com","port":70000})", kSmtp));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EgressPolicyTest);
