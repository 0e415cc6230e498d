// api/HealthApi: the readiness checks, and what /healthz, /readyz and /metrics answer when called
// through a Router (the same routes the server registers).
#include "api/HealthApi.h"

#include "http/Metrics.h"
#include "http/Router.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>

using namespace tinko::http;
using tinko::api::Readiness;
using tinko::api::registerHealthRoutes;
using tinko::api::registerMetricsRoute;

namespace {
Readiness::Check passing() {
    return [] { return std::optional<std::string>(); };
}

Readiness::Check failing(std::string reason) {
    return [reason] { return std::optional<std::string>(reason); };
}

Poco::JSON::Object::Ptr parse(const std::string& body) {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

// Calls the route registered for GET `path`, as the dispatcher would once `access` is granted.
HttpResponse get(const Router& router, const std::string& path, Access access = Access::Public) {
    RouteMatch m = router.match("GET", path);
    CPPUNIT_ASSERT_MESSAGE("no GET route for " + path, m.outcome == RouteMatch::Outcome::Found);
    CPPUNIT_ASSERT_MESSAGE(path + " has the wrong access", m.route->access == access);
    HttpRequest request;
    request.method = "GET";
    request.path = path;
    return m.route->handler(request);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

class ReadinessTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ReadinessTest);
    CPPUNIT_TEST(noChecksMeansReady);
    CPPUNIT_TEST(passingChecksMeanReady);
    CPPUNIT_TEST(failingChecksAreListedInOrder);
    CPPUNIT_TEST(checksRunOnEveryCall);
    CPPUNIT_TEST(shutdownMakesHostNotReady);
    CPPUNIT_TEST(healthzReportsOkAndVersion);
    CPPUNIT_TEST(readyzReady);
    CPPUNIT_TEST(readyzNamesEachFailingDependency);
    CPPUNIT_TEST(readyzDuringShutdown);
    CPPUNIT_TEST(optionalChecksDegradeWithoutFailing);
    CPPUNIT_TEST(readyzStaysReadyNamingWhatIsDegraded);
    CPPUNIT_TEST(readyzNotReadyAlsoNamesWhatIsDegraded);
    CPPUNIT_TEST(metricsIsPrometheusText);
    CPPUNIT_TEST_SUITE_END();

public:
    void noChecksMeansReady() {
        Readiness r;
        CPPUNIT_ASSERT(r.failures().empty());
        CPPUNIT_ASSERT(!r.shuttingDown());
    }

    void passingChecksMeanReady() {
        Readiness r;
        r.addCheck("database", passing());
        r.addCheck("redis", passing());
        CPPUNIT_ASSERT(r.failures().empty());
    }

    void failingChecksAreListedInOrder() {
        Readiness r;
        r.addCheck("database", failing("connection refused"));
        r.addCheck("cache", passing());
        r.addCheck("redis", failing("timeout after 500 ms"));
        auto failures = r.failures();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), failures.size());
        CPPUNIT_ASSERT_EQUAL(std::string("database"), failures[0].first);
        CPPUNIT_ASSERT_EQUAL(std::string("connection refused"), failures[0].second);
        CPPUNIT_ASSERT_EQUAL(std::string("redis"), failures[1].first);
        CPPUNIT_ASSERT_EQUAL(std::string("timeout after 500 ms"), failures[1].second);
    }

    void checksRunOnEveryCall() {
        // Readiness is live: a dependency that comes back makes the host ready again.
        bool up = false;
        Readiness r;
        r.addCheck("database", [&up] { return up ? std::nullopt : std::optional<std::string>("down"); });
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.failures().size());
        up = true;
        CPPUNIT_ASSERT(r.failures().empty());
    }

    void shutdownMakesHostNotReady() {
        Readiness r;
        r.addCheck("database", failing("gone"));
        r.beginShutdown();
        CPPUNIT_ASSERT(r.shuttingDown());
        auto failures = r.failures();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), failures.size());
        CPPUNIT_ASSERT_EQUAL(std::string("host"), failures[0].first);
        CPPUNIT_ASSERT_EQUAL(std::string("shutting down"), failures[0].second);
        CPPUNIT_ASSERT_EQUAL(std::string("database"), failures[1].first);
    }

    void healthzReportsOkAndVersion() {
        Readiness readiness;
        readiness.addCheck("database", failing("down"));   // liveness does not depend on readiness
        Router router;
        registerHealthRoutes(router, readiness);
        HttpResponse r = get(router, "/healthz");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.contentType);
        auto body = parse(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), body->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string(TINKO_VERSION), body->getValue<std::string>("version"));
    }

    void readyzReady() {
        Readiness readiness;
        readiness.addCheck("database", passing());
        Router router;
        registerHealthRoutes(router, readiness);
        HttpResponse r = get(router, "/readyz");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"ready\"}"), r.body);
    }

    void readyzNamesEachFailingDependency() {
        Readiness readiness;
        readiness.addCheck("database", failing("connection refused"));
        readiness.addCheck("redis", failing("no PONG"));
        Router router;
        registerHealthRoutes(router, readiness);
        HttpResponse r = get(router, "/readyz");
        CPPUNIT_ASSERT_EQUAL(503, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.contentType);
        // As every `unavailable` answer: when to ask again.
        CPPUNIT_ASSERT(r.headers == (std::vector<std::pair<std::string, std::string>>{{"Retry-After", "5"}}));
        auto body = parse(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:unavailable"), body->getValue<std::string>("type"));
        CPPUNIT_ASSERT_EQUAL(std::string("Not ready"), body->getValue<std::string>("title"));
        CPPUNIT_ASSERT_EQUAL(503, body->getValue<int>("status"));
        // Names only: why a dependency failed (addresses, driver messages) is for the log.
        CPPUNIT_ASSERT_EQUAL(std::string("not ready: database, redis"), body->getValue<std::string>("detail"));
        CPPUNIT_ASSERT(!contains(r.body, "refused") && !contains(r.body, "PONG"));
        CPPUNIT_ASSERT(!body->has("failing"));
        auto failedArray = body->getArray("failed");
        CPPUNIT_ASSERT(!failedArray.isNull());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), failedArray->size());
        CPPUNIT_ASSERT_EQUAL(std::string("database"), failedArray->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::string("redis"), failedArray->getElement<std::string>(1));
        bool retryAfter = false;
        for (const auto& [name, value] : r.headers) retryAfter = retryAfter || (name == "Retry-After" && !value.empty());
        CPPUNIT_ASSERT(retryAfter);
    }

    void readyzDuringShutdown() {
        // A load balancer must stop sending traffic as soon as shutdown begins, even if all checks pass.
        Readiness readiness;
        readiness.addCheck("database", passing());
        Router router;
        registerHealthRoutes(router, readiness);
        CPPUNIT_ASSERT_EQUAL(200, get(router, "/readyz").status);
        readiness.beginShutdown();
        HttpResponse r = get(router, "/readyz");
        CPPUNIT_ASSERT_EQUAL(503, r.status);
        auto failedArray = parse(r.body)->getArray("failed");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), failedArray->size());
        CPPUNIT_ASSERT_EQUAL(std::string("host"), failedArray->getElement<std::string>(0));
    }

    void optionalChecksDegradeWithoutFailing() {
        Readiness r;
        r.addCheck("database", passing());
        r.addOptionalCheck("redis", failing("connection refused"));
        CPPUNIT_ASSERT(r.failures().empty());
        auto degraded = r.degradations();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), degraded.size());
        CPPUNIT_ASSERT_EQUAL(std::string("redis"), degraded[0].first);
        CPPUNIT_ASSERT_EQUAL(std::string("connection refused"), degraded[0].second);
    }

    void readyzStaysReadyNamingWhatIsDegraded() {
        // A load balancer keeps a host that serves without Redis; the body says what is missing.
        Readiness readiness;
        readiness.addCheck("database", passing());
        readiness.addOptionalCheck("redis", failing("connection refused at 10.0.0.5:6379"));
        Router router;
        registerHealthRoutes(router, readiness);
        HttpResponse r = get(router, "/readyz");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"ready\",\"degraded\":[\"redis\"]}"), r.body);
        CPPUNIT_ASSERT(r.headers.empty());
    }

    void readyzNotReadyAlsoNamesWhatIsDegraded() {
        Readiness readiness;
        readiness.addCheck("database", failing("connection refused"));
        readiness.addOptionalCheck("redis", failing("no PONG"));
        Router router;
        registerHealthRoutes(router, readiness);
        HttpResponse r = get(router, "/readyz");
        CPPUNIT_ASSERT_EQUAL(503, r.status);
        auto body = parse(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("not ready: database"), body->getValue<std::string>("detail"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), body->getArray("failed")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("database"), body->getArray("failed")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::string("redis"), body->getArray("degraded")->getElement<std::string>(0));
        CPPUNIT_ASSERT(!contains(r.body, "PONG"));
    }

    void metricsIsPrometheusText() {
        Readiness readiness;
        Metrics metrics;
        metrics.observeRequest("GET", "/healthz", 200, 0.002);
        Router router;
        registerMetricsRoute(router, metrics, Access::Ops);
        HttpResponse r = get(router, "/metrics", Access::Ops);
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain; version=0.0.4; charset=utf-8"), r.contentType);
        // The route renders the live metrics object, not a snapshot taken at registration.
        CPPUNIT_ASSERT_MESSAGE(r.body, contains(r.body, R"(tinko_http_requests_total{method="GET",route="/healthz",status="200"} 1)"));
        CPPUNIT_ASSERT_EQUAL(metrics.render(), r.body);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReadinessTest);
