// http/RequestDispatcher: what a client sees for each stage of handling a request (routing,
// authentication, media type, the handler, and failures inside the handler), without a socket.
#include "http/RequestDispatcher.h"

#include "http/Json.h"
#include "security/SecretTokens.h"
#include "store/PgConnection.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <stdexcept>
#include <string>

using namespace tinko::http;
using tinko::security::sha256Hex;

namespace {
const std::string kOpsToken = "ops_token_for_dispatcher_tests";
const std::string kOrgKey = "tk_live_dispatcher_org_key";

Poco::JSON::Object::Ptr parse(const std::string& body) {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string headerOf(const HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return v;
    return "";
}

std::size_t countHeader(const HttpResponse& r, const std::string& name) {
    std::size_t n = 0;
    for (const auto& h : r.headers) n += h.first == name;
    return n;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

HttpRequest request(const std::string& method, const std::string& path, const std::string& token = "") {
    HttpRequest r;
    r.method = method;
    r.path = path;
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    return r;
}

// The handler echoes what it received, so tests can see what the dispatcher passed on.
HttpResponse echo(const HttpRequest& req) {
    auto body = orderedObject();
    body.set("method", req.method);
    for (const auto& [k, v] : req.pathParams) body.set("param_" + k, v);
    body.set("caller_kind", static_cast<int>(req.caller.kind));
    body.set("org_id", req.caller.orgId);
    body.set("org_slug", req.caller.orgSlug);
    body.set("body", req.body);
    return jsonResponse(200, body);
}
}  // namespace

class RequestDispatcherTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RequestDispatcherTest);
    CPPUNIT_TEST(unknownPathIs404Problem);
    CPPUNIT_TEST(wrongMethodIs405WithAllowHeader);
    CPPUNIT_TEST(missingTokenIs401WithChallenge);
    CPPUNIT_TEST(unknownTokenIs401WithChallenge);
    CPPUNIT_TEST(wrongKindOfTokenIs403WithoutChallenge);
    CPPUNIT_TEST(authenticationComesBeforeMediaType);
    CPPUNIT_TEST(postBodyWithoutJsonContentTypeIs415);
    CPPUNIT_TEST(jsonContentTypesAreAccepted);
    CPPUNIT_TEST(emptyPostBodyNeedsNoContentType);
    CPPUNIT_TEST(getBodyIsNotMediaTypeChecked);
    CPPUNIT_TEST(pathParamsReachHandler);
    CPPUNIT_TEST(orgCallerReachesHandler);
    CPPUNIT_TEST(opsCallerReachesHandler);
    CPPUNIT_TEST(publicRouteRunsAnonymously);
    CPPUNIT_TEST(headIsDispatchedToGet);
    CPPUNIT_TEST(handlerResponseIsPassedThrough);
    CPPUNIT_TEST(handlerExceptionIs500WithoutItsMessage);
    CPPUNIT_TEST(pocoExceptionIs500WithoutItsMessage);
    CPPUNIT_TEST(databaseUnavailableIs503WithRetryAfter);
    CPPUNIT_TEST(routeLabelIsTemplateOrUnmatched);
    CPPUNIT_TEST(unknownMethodIs501BeforeRoutingAndAuth);
    CPPUNIT_TEST(headerValueThatIsNotUtf8Is400NamingIt);
    CPPUNIT_TEST(pathParameterThatIsNotCleanTextIs400NamingIt);
    CPPUNIT_TEST(queryParameterThatIsNotCleanTextIs400);
    CPPUNIT_TEST(bodyThatIsNotUtf8Is400);
    CPPUNIT_TEST(aBytesRouteTakesOctetStreamAsItCame);
    CPPUNIT_TEST(aRoutesLargerBodyLimitIsOnlyForTheCallersItAdmits);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        router_ = std::make_unique<Router>();
        auth_ = std::make_unique<Authenticator>(sha256Hex(kOpsToken), [](const std::string& digest) -> std::optional<Caller> {
            if (digest != sha256Hex(kOrgKey)) return std::nullopt;
            Caller c;
            c.kind = Caller::Kind::Org;
            c.orgId = 42;
            c.orgSlug = "acme";
            return c;
        });
        router_->add("GET", "/healthz", Access::Public, echo);
        router_->add("GET", "/v1/org", Access::Org, echo);
        router_->add("POST", "/v1/org/things", Access::Org, echo);
        router_->add("PATCH", "/v1/org/things/{id}", Access::Org, echo);
        router_->add("GET", "/v1/admin/orgs/{slug}", Access::Ops, echo);
        router_->add("DELETE", "/v1/admin/orgs/{slug}/api-keys/{keyId}", Access::Ops, echo);
        router_->add("POST", "/v1/admin/orgs", Access::Ops, echo);
        router_->add("GET", "/v1/admin/orgs", Access::Ops, echo);
        router_->add("GET", "/boom", Access::Public, [](const HttpRequest&) -> HttpResponse {
            throw std::runtime_error("secret internal detail: password=hunter2");
        });
        router_->add("GET", "/poco-boom", Access::Public, [](const HttpRequest&) -> HttpResponse {
            throw Poco::IOException("disk layout /srv/secret");
        });
        router_->add("GET", "/db-down", Access::Public, [](const HttpRequest&) -> HttpResponse {
            throw tinko::store::DatabaseUnavailable("connection to 10.0.0.5 lost");
        });
        router_->add("GET", "/teapot", Access::Public, [](const HttpRequest&) {
            HttpResponse r;
            r.status = 418;
            r.contentType = "text/plain";
            r.body = "short and stout";
            r.withHeader("X-Custom", "yes");
            return r;
        });
        router_->add("POST", "/v1/uploads", Access::Ops, [](const HttpRequest& req) {
            auto body = orderedObject();
            body.set("bytes", static_cast<int>(req.body.size()));
            return jsonResponse(200, body);
        }, BodyRules{true, 8 * 1024 * 1024, "TINKO_MAX_UPLOAD"});
        dispatcher_ = std::make_unique<RequestDispatcher>(*router_, *auth_);
    }

    void aBytesRouteTakesOctetStreamAsItCame() {
        auto upload = request("POST", "/v1/uploads", kOpsToken);
        upload.headers["content-type"] = "application/octet-stream";
        upload.body = std::string("\x7f" "ELF\xff\x00\x01", 7);   // neither JSON nor UTF-8
        DispatchResult d = dispatcher_->dispatch(upload);
        CPPUNIT_ASSERT_EQUAL(200, d.response.status);
        CPPUNIT_ASSERT_EQUAL(7, parse(d.response.body)->getValue<int>("bytes"));
        // Only the ops token gets there; and a JSON route still refuses bytes.
        upload.headers["authorization"] = "Bearer " + kOrgKey;
        CPPUNIT_ASSERT_EQUAL(403, dispatcher_->dispatch(upload).response.status);
        auto json = request("POST", "/v1/admin/orgs", kOpsToken);
        json.headers["content-type"] = "application/octet-stream";
        json.body = "{}";
        CPPUNIT_ASSERT_EQUAL(415, dispatcher_->dispatch(json).response.status);
    }

    void aRoutesLargerBodyLimitIsOnlyForTheCallersItAdmits() {
        auto limit = dispatcher_->bodyLimit(request("POST", "/v1/uploads", kOpsToken), 1024);
        CPPUNIT_ASSERT_EQUAL(std::size_t(8 * 1024 * 1024), limit.bytes);
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_MAX_UPLOAD"), limit.setting);
        for (const auto& stranger : {request("POST", "/v1/uploads"), request("POST", "/v1/uploads", "tk_unknown"),
                                     request("POST", "/v1/uploads", kOrgKey), request("POST", "/v1/admin/orgs", kOpsToken),
                                     request("GET", "/v1/uploads", kOpsToken)}) {
            auto cut = dispatcher_->bodyLimit(stranger, 1024);
            CPPUNIT_ASSERT_EQUAL(std::size_t(1024), cut.bytes);
            CPPUNIT_ASSERT_EQUAL(std::string("TINKO_MAX_BODY_BYTES"), cut.setting);
        }
    }

    void tearDown() override {
        dispatcher_.reset();
        auth_.reset();
        router_.reset();
    }

    void unknownPathIs404Problem() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/nowhere", kOpsToken));
        CPPUNIT_ASSERT_EQUAL(404, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), d.response.contentType);
        auto body = parse(d.response.body);
        CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:not-found"), body->getValue<std::string>("type"));
        CPPUNIT_ASSERT_EQUAL(std::string("no resource at /nowhere; see the API reference"),
                             body->getValue<std::string>("detail"));
    }

    void wrongMethodIs405WithAllowHeader() {
        DispatchResult d = dispatcher_->dispatch(request("PUT", "/v1/admin/orgs", kOpsToken));
        CPPUNIT_ASSERT_EQUAL(405, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("POST, GET, HEAD"), headerOf(d.response, "Allow"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countHeader(d.response, "Allow"));
        auto body = parse(d.response.body);
        CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:method-not-allowed"), body->getValue<std::string>("type"));
        CPPUNIT_ASSERT_EQUAL(std::string("PUT is not supported here; allowed: POST, GET, HEAD"),
                             body->getValue<std::string>("detail"));
    }

    void missingTokenIs401WithChallenge() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/v1/admin/orgs/acme"));
        CPPUNIT_ASSERT_EQUAL(401, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Bearer realm=\"tinko\""), headerOf(d.response, "WWW-Authenticate"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), d.response.contentType);
        CPPUNIT_ASSERT(contains(parse(d.response.body)->getValue<std::string>("detail"), "the ops token"));
    }

    void unknownTokenIs401WithChallenge() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/v1/org", "tk_live_not_a_key"));
        CPPUNIT_ASSERT_EQUAL(401, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Bearer realm=\"tinko\""), headerOf(d.response, "WWW-Authenticate"));

        HttpRequest malformed = request("GET", "/v1/org");
        malformed.headers["authorization"] = "Basic dXNlcjpwYXNz";
        d = dispatcher_->dispatch(malformed);
        CPPUNIT_ASSERT_EQUAL(401, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Bearer realm=\"tinko\""), headerOf(d.response, "WWW-Authenticate"));
    }

    void wrongKindOfTokenIs403WithoutChallenge() {
        // 403: the credentials are valid, so asking for other ones (WWW-Authenticate) would mislead.
        DispatchResult d = dispatcher_->dispatch(request("GET", "/v1/admin/orgs/acme", kOrgKey));
        CPPUNIT_ASSERT_EQUAL(403, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countHeader(d.response, "WWW-Authenticate"));
        CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:forbidden"),
                             parse(d.response.body)->getValue<std::string>("type"));

        d = dispatcher_->dispatch(request("GET", "/v1/org", kOpsToken));
        CPPUNIT_ASSERT_EQUAL(403, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countHeader(d.response, "WWW-Authenticate"));
    }

    void authenticationComesBeforeMediaType() {
        // An anonymous caller learns nothing about what the endpoint accepts.
        HttpRequest r = request("POST", "/v1/org/things");
        r.body = "name=x";
        r.headers["content-type"] = "application/x-www-form-urlencoded";
        CPPUNIT_ASSERT_EQUAL(401, dispatcher_->dispatch(r).response.status);
    }

    void postBodyWithoutJsonContentTypeIs415() {
        for (const char* type : {"", "text/plain", "application/x-www-form-urlencoded", "application/jsonp",
                                 "json", "text/json"}) {
            HttpRequest r = request("POST", "/v1/org/things", kOrgKey);
            r.body = R"({"a":1})";
            if (*type) r.headers["content-type"] = type;
            DispatchResult d = dispatcher_->dispatch(r);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(type, 415, d.response.status);
            auto body = parse(d.response.body);
            CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:unsupported-media-type"),
                                 body->getValue<std::string>("type"));
            CPPUNIT_ASSERT_EQUAL("send the body as application/json (got '" + std::string(type) + "')",
                                 body->getValue<std::string>("detail"));
        }
    }

    void jsonContentTypesAreAccepted() {
        struct Case {
            const char* method;
            const char* path;
            const char* type;
        };
        const Case cases[] = {
            {"POST", "/v1/org/things", "application/json"},
            {"POST", "/v1/org/things", "application/json; charset=utf-8"},
            {"POST", "/v1/org/things", "application/json;charset=UTF-8"},
            {"POST", "/v1/org/things", "Application/JSON"},
            {"PATCH", "/v1/org/things/9", "application/merge-patch+json"},
            {"PATCH", "/v1/org/things/9", "application/merge-patch+json; charset=utf-8"},
        };
        for (const auto& c : cases) {
            HttpRequest r = request(c.method, c.path, kOrgKey);
            r.body = R"({"a":1})";
            r.headers["content-type"] = c.type;
            DispatchResult d = dispatcher_->dispatch(r);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.type, 200, d.response.status);
            CPPUNIT_ASSERT_EQUAL(std::string(R"({"a":1})"), parse(d.response.body)->getValue<std::string>("body"));
        }
    }

    void emptyPostBodyNeedsNoContentType() {
        // Endpoints with optional bodies (e.g. creating an API key without a label) accept none.
        DispatchResult d = dispatcher_->dispatch(request("POST", "/v1/org/things", kOrgKey));
        CPPUNIT_ASSERT_EQUAL(200, d.response.status);
    }

    void getBodyIsNotMediaTypeChecked() {
        HttpRequest r = request("GET", "/v1/org", kOrgKey);
        r.body = "ignored";
        r.headers["content-type"] = "text/plain";
        CPPUNIT_ASSERT_EQUAL(200, dispatcher_->dispatch(r).response.status);
    }

    void pathParamsReachHandler() {
        DispatchResult d = dispatcher_->dispatch(request("DELETE", "/v1/admin/orgs/acme%2Dco/api-keys/17", kOpsToken));
        CPPUNIT_ASSERT_EQUAL(200, d.response.status);
        auto body = parse(d.response.body);
        CPPUNIT_ASSERT_EQUAL(std::string("acme-co"), body->getValue<std::string>("param_slug"));
        CPPUNIT_ASSERT_EQUAL(std::string("17"), body->getValue<std::string>("param_keyId"));
    }

    void orgCallerReachesHandler() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/v1/org", kOrgKey));
        CPPUNIT_ASSERT_EQUAL(200, d.response.status);
        auto body = parse(d.response.body);
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(Caller::Kind::Org), body->getValue<int>("caller_kind"));
        CPPUNIT_ASSERT_EQUAL(42LL, body->getValue<long long>("org_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), body->getValue<std::string>("org_slug"));
    }

    void opsCallerReachesHandler() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/v1/admin/orgs/acme", kOpsToken));
        CPPUNIT_ASSERT_EQUAL(200, d.response.status);
        auto body = parse(d.response.body);
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(Caller::Kind::Ops), body->getValue<int>("caller_kind"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), body->getValue<std::string>("param_slug"));
    }

    void publicRouteRunsAnonymously() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/healthz", "garbage-token"));
        CPPUNIT_ASSERT_EQUAL(200, d.response.status);
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(Caller::Kind::Anonymous),
                             parse(d.response.body)->getValue<int>("caller_kind"));
    }

    void headIsDispatchedToGet() {
        // The server drops the body for HEAD; the dispatcher runs the GET handler.
        DispatchResult d = dispatcher_->dispatch(request("HEAD", "/healthz"));
        CPPUNIT_ASSERT_EQUAL(200, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/healthz"), d.route);
        CPPUNIT_ASSERT_EQUAL(std::string("HEAD"), parse(d.response.body)->getValue<std::string>("method"));
    }

    void handlerResponseIsPassedThrough() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/teapot"));
        CPPUNIT_ASSERT_EQUAL(418, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain"), d.response.contentType);
        CPPUNIT_ASSERT_EQUAL(std::string("short and stout"), d.response.body);
        CPPUNIT_ASSERT_EQUAL(std::string("yes"), headerOf(d.response, "X-Custom"));
    }

    void handlerExceptionIs500WithoutItsMessage() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/boom"));
        CPPUNIT_ASSERT_EQUAL(500, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), d.response.contentType);
        // Internals stay in the log; the client gets an id to quote.
        CPPUNIT_ASSERT(!contains(d.response.body, "hunter2"));
        CPPUNIT_ASSERT(!contains(d.response.body, "secret internal detail"));
        auto body = parse(d.response.body);
        CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:internal"), body->getValue<std::string>("type"));
        const std::string detail = body->getValue<std::string>("detail");
        CPPUNIT_ASSERT_MESSAGE(detail, contains(detail, "quote error id err_"));
        // Each failure gets its own id.
        const std::string again = parse(dispatcher_->dispatch(request("GET", "/boom")).response.body)
                                      ->getValue<std::string>("detail");
        CPPUNIT_ASSERT(detail != again);
    }

    void pocoExceptionIs500WithoutItsMessage() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/poco-boom"));
        CPPUNIT_ASSERT_EQUAL(500, d.response.status);
        CPPUNIT_ASSERT(!contains(d.response.body, "/srv/secret"));
        CPPUNIT_ASSERT_EQUAL(std::string("/poco-boom"), d.route);
    }

    void databaseUnavailableIs503WithRetryAfter() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/db-down"));
        CPPUNIT_ASSERT_EQUAL(503, d.response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), headerOf(d.response, "Retry-After"));
        CPPUNIT_ASSERT(!contains(d.response.body, "10.0.0.5"));
        auto body = parse(d.response.body);
        CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:unavailable"), body->getValue<std::string>("type"));
        CPPUNIT_ASSERT_EQUAL(std::string("the database is not answering; retry shortly"),
                             body->getValue<std::string>("detail"));
        CPPUNIT_ASSERT_EQUAL(std::string("/db-down"), d.route);
    }

    void routeLabelIsTemplateOrUnmatched() {
        // Metrics label requests by template, so raw paths (and their ids) never become labels.
        CPPUNIT_ASSERT_EQUAL(std::string("/v1/admin/orgs/{slug}"),
                             dispatcher_->dispatch(request("GET", "/v1/admin/orgs/acme", kOpsToken)).route);
        CPPUNIT_ASSERT_EQUAL(std::string("/v1/admin/orgs/{slug}/api-keys/{keyId}"),
                             dispatcher_->dispatch(request("DELETE", "/v1/admin/orgs/a/api-keys/1")).route);  // 401
        CPPUNIT_ASSERT_EQUAL(std::string("unmatched"), dispatcher_->dispatch(request("GET", "/v1/nothing/here")).route);
        CPPUNIT_ASSERT_EQUAL(std::string("unmatched"), dispatcher_->dispatch(request("PUT", "/v1/admin/orgs")).route);
    }

private:
    std::unique_ptr<Router> router_;
    std::unique_ptr<Authenticator> auth_;
    std::unique_ptr<RequestDispatcher> dispatcher_;

    void unknownMethodIs501BeforeRoutingAndAuth() {
        for (const std::string method : {"BREW", "\xFF\xFE", "get"}) {
            DispatchResult d = dispatcher_->dispatch(request(method, "/v1/admin/orgs"));   // no token, a real path
            CPPUNIT_ASSERT_EQUAL(501, d.response.status);
            CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), d.response.contentType);
            CPPUNIT_ASSERT_EQUAL(std::string("unmatched"), d.route);
            auto body = parse(d.response.body);   // parses: the detail is valid UTF-8
            CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:not-implemented"), body->getValue<std::string>("type"));
        }
    }

    void headerValueThatIsNotUtf8Is400NamingIt() {
        HttpRequest r = request("POST", "/v1/org/things", kOrgKey);
        r.headers["idempotency-key"] = "key-\xFF";
        DispatchResult d = dispatcher_->dispatch(r);
        CPPUNIT_ASSERT_EQUAL(400, d.response.status);
        auto body = parse(d.response.body);
        CPPUNIT_ASSERT(contains(body->getValue<std::string>("detail"), "idempotency-key"));
        CPPUNIT_ASSERT_EQUAL(std::string("idempotency-key"), body->getArray("errors")->getObject(0)->getValue<std::string>("field"));
        r.headers["idempotency-key"] = std::string("a\0b", 3);
        CPPUNIT_ASSERT_EQUAL(400, dispatcher_->dispatch(r).response.status);
        r.headers["idempotency-key"] = "J\xC3\xB6rg";
        CPPUNIT_ASSERT_EQUAL(200, dispatcher_->dispatch(r).response.status);
    }

    void pathParameterThatIsNotCleanTextIs400NamingIt() {
        DispatchResult d = dispatcher_->dispatch(request("GET", "/v1/admin/orgs/acme%FF", kOpsToken));
        CPPUNIT_ASSERT_EQUAL(400, d.response.status);
        CPPUNIT_ASSERT(contains(parse(d.response.body)->getValue<std::string>("detail"), "{slug}"));
        CPPUNIT_ASSERT_EQUAL(400, dispatcher_->dispatch(request("GET", "/v1/admin/orgs/a%00b", kOpsToken)).response.status);
        CPPUNIT_ASSERT_EQUAL(200, dispatcher_->dispatch(request("GET", "/v1/admin/orgs/J%C3%B6rg", kOpsToken)).response.status);
    }

    void queryParameterThatIsNotCleanTextIs400() {
        HttpRequest r = request("GET", "/v1/admin/orgs", kOpsToken);
        r.query["cursor"] = "\xC3";
        DispatchResult d = dispatcher_->dispatch(r);
        CPPUNIT_ASSERT_EQUAL(400, d.response.status);
        CPPUNIT_ASSERT(contains(parse(d.response.body)->getValue<std::string>("detail"), "cursor"));
    }

    void bodyThatIsNotUtf8Is400() {
        HttpRequest r = request("POST", "/v1/org/things", kOrgKey);
        r.headers["content-type"] = "application/json";
        r.body = "{\"a\":\"\xFF\"}";
        DispatchResult d = dispatcher_->dispatch(r);
        CPPUNIT_ASSERT_EQUAL(400, d.response.status);
        CPPUNIT_ASSERT(contains(parse(d.response.body)->getValue<std::string>("detail"), "UTF-8"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestDispatcherTest);
