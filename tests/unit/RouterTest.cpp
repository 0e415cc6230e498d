// http/Router: which route a (method, path) reaches, the path parameters it captures, and the
// 404-versus-405 decision (with the Allow list a 405 answer carries).
#include "http/Router.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::http;

namespace {
using Outcome = RouteMatch::Outcome;

// A handler whose body names the route, so a test can tell which entry ran.
Handler answer(const std::string& text) {
    return [text](const HttpRequest&) {
        HttpResponse r;
        r.body = text;
        return r;
    };
}

std::string runMatched(const RouteMatch& m) {
    CPPUNIT_ASSERT(m.route != nullptr);
    return m.route->handler(HttpRequest{}).body;
}
}  // namespace

class RouterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RouterTest);
    CPPUNIT_TEST(literalRouteMatches);
    CPPUNIT_TEST(routeCarriesPatternAndAccess);
    CPPUNIT_TEST(parameterCapturesSegment);
    CPPUNIT_TEST(severalParametersAreCaptured);
    CPPUNIT_TEST(parameterIsPercentDecoded);
    CPPUNIT_TEST(encodedSlashStaysInsideOneParameter);
    CPPUNIT_TEST(literalSegmentMustMatchExactly);
    CPPUNIT_TEST(unknownPathIsNotFound);
    CPPUNIT_TEST(segmentCountMismatchIsNotFound);
    CPPUNIT_TEST(emptyRouterFindsNothing);
    CPPUNIT_TEST(wrongMethodIsMethodNotAllowed);
    CPPUNIT_TEST(allowListsEveryMethodOnce);
    CPPUNIT_TEST(allowOnlyListsMethodsOfMatchingPath);
    CPPUNIT_TEST(headMatchesGet);
    CPPUNIT_TEST(headWithoutGetIsMethodNotAllowed);
    CPPUNIT_TEST(trailingAndDoubleSlashesAreIgnored);
    CPPUNIT_TEST(rootPath);
    CPPUNIT_TEST(firstRegisteredRouteWins);
    CPPUNIT_TEST(methodIsCaseSensitive);
    CPPUNIT_TEST(encodedPercentIsDecodedOnce);
    CPPUNIT_TEST(malformedEscapeIsNotFound);
    CPPUNIT_TEST_SUITE_END();

public:
    void literalRouteMatches() {
        Router router;
        router.add("GET", "/healthz", Access::Public, answer("health"));
        RouteMatch m = router.match("GET", "/healthz");
        CPPUNIT_ASSERT(m.outcome == Outcome::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("health"), runMatched(m));
        CPPUNIT_ASSERT(m.params.empty());
    }

    void routeCarriesPatternAndAccess() {
        // The pattern (not the raw path) is what metrics label the request with.
        Router router;
        router.add("GET", "/v1/admin/orgs/{slug}", Access::Ops, answer("org"));
        RouteMatch m = router.match("GET", "/v1/admin/orgs/acme");
        CPPUNIT_ASSERT(m.outcome == Outcome::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("/v1/admin/orgs/{slug}"), m.route->pattern);
        CPPUNIT_ASSERT(m.route->access == Access::Ops);
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), m.route->method);
    }

    void parameterCapturesSegment() {
        Router router;
        router.add("GET", "/v1/admin/orgs/{slug}", Access::Ops, answer("org"));
        RouteMatch m = router.match("GET", "/v1/admin/orgs/acme-2");
        CPPUNIT_ASSERT(m.outcome == Outcome::Found);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), m.params.size());
        CPPUNIT_ASSERT_EQUAL(std::string("acme-2"), m.params.at("slug"));
    }

    void severalParametersAreCaptured() {
        Router router;
        router.add("DELETE", "/v1/admin/orgs/{slug}/api-keys/{keyId}", Access::Ops, answer("revoke"));
        RouteMatch m = router.match("DELETE", "/v1/admin/orgs/acme/api-keys/42");
        CPPUNIT_ASSERT(m.outcome == Outcome::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), m.params.at("slug"));
        CPPUNIT_ASSERT_EQUAL(std::string("42"), m.params.at("keyId"));
    }

    void parameterIsPercentDecoded() {
        Router router;
        router.add("GET", "/things/{name}", Access::Public, answer("thing"));
        RouteMatch m = router.match("GET", "/things/a%20b%C3%A9");
        CPPUNIT_ASSERT(m.outcome == Outcome::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("a b\xC3\xA9"), m.params.at("name"));
    }

    void encodedSlashStaysInsideOneParameter() {
        // The path is split before decoding, so %2F cannot add a segment.
        Router router;
        router.add("GET", "/things/{name}", Access::Public, answer("thing"));
        RouteMatch m = router.match("GET", "/things/a%2Fb");
        CPPUNIT_ASSERT(m.outcome == Outcome::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("a/b"), m.params.at("name"));
    }

    void literalSegmentMustMatchExactly() {
        Router router;
        router.add("GET", "/v1/org", Access::Org, answer("org"));
        CPPUNIT_ASSERT(router.match("GET", "/v1/orgs").outcome == Outcome::NotFound);
        CPPUNIT_ASSERT(router.match("GET", "/V1/org").outcome == Outcome::NotFound);
        CPPUNIT_ASSERT(router.match("GET", "/v2/org").outcome == Outcome::NotFound);
    }

    void unknownPathIsNotFound() {
        Router router;
        router.add("GET", "/healthz", Access::Public, answer("health"));
        router.add("POST", "/v1/admin/orgs", Access::Ops, answer("create"));
        RouteMatch m = router.match("GET", "/nope");
        CPPUNIT_ASSERT(m.outcome == Outcome::NotFound);
        CPPUNIT_ASSERT(m.route == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string(""), m.allow);
    }

    void segmentCountMismatchIsNotFound() {
        // A {param} stands for exactly one non-empty segment.
        Router router;
        router.add("GET", "/v1/admin/orgs/{slug}", Access::Ops, answer("org"));
        CPPUNIT_ASSERT(router.match("GET", "/v1/admin/orgs").outcome == Outcome::NotFound);
        CPPUNIT_ASSERT(router.match("GET", "/v1/admin/orgs/").outcome == Outcome::NotFound);
        CPPUNIT_ASSERT(router.match("GET", "/v1/admin/orgs/acme/extra").outcome == Outcome::NotFound);
        // Even a wrong method on a too-long path is a 404, not a 405.
        CPPUNIT_ASSERT(router.match("POST", "/v1/admin/orgs/acme/extra").outcome == Outcome::NotFound);
    }

    void emptyRouterFindsNothing() {
        Router router;
        CPPUNIT_ASSERT(router.match("GET", "/").outcome == Outcome::NotFound);
        CPPUNIT_ASSERT(router.match("GET", "/anything").outcome == Outcome::NotFound);
    }

    void wrongMethodIsMethodNotAllowed() {
        Router router;
        router.add("POST", "/v1/admin/orgs", Access::Ops, answer("create"));
        RouteMatch m = router.match("DELETE", "/v1/admin/orgs");
        CPPUNIT_ASSERT(m.outcome == Outcome::MethodNotAllowed);
        CPPUNIT_ASSERT(m.route == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), m.allow);
    }

    void allowListsEveryMethodOnce() {
        // The same method registered under a literal and a {param} pattern that both match the
        // path must appear once in Allow.
        Router router;
        router.add("GET", "/v1/admin/orgs/{slug}", Access::Ops, answer("get"));
        router.add("PATCH", "/v1/admin/orgs/{slug}", Access::Ops, answer("patch"));
        router.add("GET", "/v1/admin/orgs/special", Access::Ops, answer("special"));
        router.add("DELETE", "/v1/admin/orgs/{slug}", Access::Ops, answer("delete"));
        RouteMatch m = router.match("PUT", "/v1/admin/orgs/special");
        CPPUNIT_ASSERT(m.outcome == Outcome::MethodNotAllowed);
        CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD, PATCH, DELETE"), m.allow);
    }

    void allowOnlyListsMethodsOfMatchingPath() {
        Router router;
        router.add("GET", "/v1/admin/orgs", Access::Ops, answer("list"));
        router.add("POST", "/v1/admin/orgs", Access::Ops, answer("create"));
        router.add("DELETE", "/v1/admin/orgs/{slug}", Access::Ops, answer("delete"));
        RouteMatch m = router.match("PUT", "/v1/admin/orgs");
        CPPUNIT_ASSERT(m.outcome == Outcome::MethodNotAllowed);
        CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD, POST"), m.allow);
    }

    void headMatchesGet() {
        Router router;
        router.add("GET", "/v1/admin/orgs/{slug}", Access::Ops, answer("get"));
        RouteMatch m = router.match("HEAD", "/v1/admin/orgs/acme");
        CPPUNIT_ASSERT(m.outcome == Outcome::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("get"), runMatched(m));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), m.params.at("slug"));
    }

    void headWithoutGetIsMethodNotAllowed() {
        Router router;
        router.add("POST", "/v1/admin/orgs", Access::Ops, answer("create"));
        RouteMatch m = router.match("HEAD", "/v1/admin/orgs");
        CPPUNIT_ASSERT(m.outcome == Outcome::MethodNotAllowed);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), m.allow);
    }

    void trailingAndDoubleSlashesAreIgnored() {
        // Empty segments are dropped, both in patterns and in paths.
        Router router;
        router.add("GET", "/v1/admin/orgs/{slug}", Access::Ops, answer("get"));
        for (const char* path : {"/v1/admin/orgs/acme/", "//v1//admin/orgs///acme", "v1/admin/orgs/acme"}) {
            RouteMatch m = router.match("GET", path);
            CPPUNIT_ASSERT_MESSAGE(path, m.outcome == Outcome::Found);
            CPPUNIT_ASSERT_EQUAL(std::string("acme"), m.params.at("slug"));
        }
    }

    void rootPath() {
        Router router;
        router.add("GET", "/", Access::Public, answer("root"));
        CPPUNIT_ASSERT(router.match("GET", "/").outcome == Outcome::Found);
        CPPUNIT_ASSERT(router.match("GET", "").outcome == Outcome::Found);
        CPPUNIT_ASSERT(router.match("GET", "/x").outcome == Outcome::NotFound);
    }

    void firstRegisteredRouteWins() {
        // A literal registered before an overlapping template takes precedence, and vice versa.
        Router router;
        router.add("GET", "/v1/admin/orgs/export", Access::Ops, answer("export"));
        router.add("GET", "/v1/admin/orgs/{slug}", Access::Ops, answer("get"));
        CPPUNIT_ASSERT_EQUAL(std::string("export"), runMatched(router.match("GET", "/v1/admin/orgs/export")));
        CPPUNIT_ASSERT_EQUAL(std::string("get"), runMatched(router.match("GET", "/v1/admin/orgs/acme")));
    }

    void methodIsCaseSensitive() {
        // HTTP methods are case-sensitive tokens (RFC 9110 9.1).
        Router router;
        router.add("GET", "/healthz", Access::Public, answer("health"));
        RouteMatch m = router.match("get", "/healthz");
        CPPUNIT_ASSERT(m.outcome == Outcome::MethodNotAllowed);
        CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD"), m.allow);
    }

    void encodedPercentIsDecodedOnce() {
        // The router receives the raw path; "%2520" is the text "%20", not a space.
        Router router;
        router.add("GET", "/x/{name}", Access::Public, answer("x"));
        RouteMatch m = router.match("GET", "/x/a%2520b");
        CPPUNIT_ASSERT(m.outcome == Outcome::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("a%20b"), m.params.at("name"));
    }

    void malformedEscapeIsNotFound() {
        Router router;
        router.add("GET", "/x/{name}", Access::Public, answer("x"));
        CPPUNIT_ASSERT(router.match("GET", "/x/%zz").outcome == Outcome::NotFound);
        CPPUNIT_ASSERT(router.match("GET", "/x/%2").outcome == Outcome::NotFound);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterTest);
