// http/Problem: every error answer is an RFC 9457 problem document; these tests read the rendered
// JSON back the way a client would.
#include "http/Problem.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::http;

namespace {
Poco::JSON::Object::Ptr parse(const HttpResponse& r) {
    Poco::JSON::Parser parser;
    return parser.parse(r.body).extract<Poco::JSON::Object::Ptr>();
}

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key) { return o->getValue<std::string>(key); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

class ProblemTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ProblemTest);
    CPPUNIT_TEST(rendersStandardMembers);
    CPPUNIT_TEST(membersComeInDocumentedOrder);
    CPPUNIT_TEST(noErrorsArrayWithoutFieldErrors);
    CPPUNIT_TEST(fieldErrorsAreRendered);
    CPPUNIT_TEST(extensionsBecomeMembers);
    CPPUNIT_TEST(specialCharactersAreEscaped);
    CPPUNIT_TEST(factoriesHaveStableStatusAndType);
    CPPUNIT_TEST(methodNotAllowedNamesMethodAndAllow);
    CPPUNIT_TEST(payloadTooLargeNamesTheLimit);
    CPPUNIT_TEST(unsupportedMediaTypeQuotesWhatWasSent);
    CPPUNIT_TEST(internalCarriesOnlyTheErrorId);
    CPPUNIT_TEST(validationJoinsFieldErrorsIntoDetail);
    CPPUNIT_TEST_SUITE_END();

public:
    void rendersStandardMembers() {
        HttpResponse r = problemResponse(problems::notFound("no org 'acme'"));
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.contentType);
        auto body = parse(r);
        CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:not-found"), str(body, "type"));
        CPPUNIT_ASSERT_EQUAL(std::string("Not found"), str(body, "title"));
        CPPUNIT_ASSERT_EQUAL(404, body->getValue<int>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("no org 'acme'"), str(body, "detail"));
    }

    void membersComeInDocumentedOrder() {
        HttpResponse r = problemResponse(problems::conflict("taken"));
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"({"type":"urn:tinko:problem:conflict","title":"Conflict","status":409,"detail":"taken"})"),
            r.body);
    }

    void noErrorsArrayWithoutFieldErrors() {
        auto body = parse(problemResponse(problems::badRequest("bad")));
        CPPUNIT_ASSERT(!body->has("errors"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), body->size());
    }

    void fieldErrorsAreRendered() {
        Problem p = problems::validation({{"name", "is required"}, {"customer.email", "must be a string"}});
        auto body = parse(problemResponse(p));
        CPPUNIT_ASSERT_EQUAL(422, body->getValue<int>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:validation"), str(body, "type"));
        auto errors = body->getArray("errors");
        CPPUNIT_ASSERT(!errors.isNull());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), errors->size());
        CPPUNIT_ASSERT_EQUAL(std::string("name"), errors->getObject(0)->getValue<std::string>("field"));
        CPPUNIT_ASSERT_EQUAL(std::string("is required"), errors->getObject(0)->getValue<std::string>("message"));
        CPPUNIT_ASSERT_EQUAL(std::string("customer.email"), errors->getObject(1)->getValue<std::string>("field"));
        CPPUNIT_ASSERT_EQUAL(std::string("must be a string"), errors->getObject(1)->getValue<std::string>("message"));
    }

    void extensionsBecomeMembers() {
        Problem p = problems::unavailable("not ready");
        Poco::JSON::Array failing;
        failing.add("database");
        p.extensions.emplace_back("failing", failing);
        p.extensions.emplace_back("retry_after", 2);
        auto body = parse(problemResponse(p));
        CPPUNIT_ASSERT_EQUAL(503, body->getValue<int>("status"));
        CPPUNIT_ASSERT_EQUAL(2, body->getValue<int>("retry_after"));
        auto array = body->getArray("failing");
        CPPUNIT_ASSERT(!array.isNull());
        CPPUNIT_ASSERT_EQUAL(std::string("database"), array->getElement<std::string>(0));
    }

    void specialCharactersAreEscaped() {
        // A detail quoting user input must still give valid JSON that reads back the same.
        const std::string detail = "no org '\"x\\y\"'\nline two";
        auto body = parse(problemResponse(problems::notFound(detail)));
        CPPUNIT_ASSERT_EQUAL(detail, str(body, "detail"));
    }

    void factoriesHaveStableStatusAndType() {
        struct Expect {
            Problem problem;
            int status;
            const char* type;
        };
        const Expect cases[] = {
            {problems::badRequest("d"), 400, "bad-request"},
            {problems::invalidJson("d"), 400, "invalid-json"},
            {problems::validation({{"f", "m"}}), 422, "validation"},
            {problems::unauthorized("d"), 401, "unauthorized"},
            {problems::forbidden("d"), 403, "forbidden"},
            {problems::notFound("d"), 404, "not-found"},
            {problems::methodNotAllowed("PUT", "GET"), 405, "method-not-allowed"},
            {problems::conflict("d"), 409, "conflict"},
            {problems::payloadTooLarge(10), 413, "payload-too-large"},
            {problems::unsupportedMediaType("text/plain"), 415, "unsupported-media-type"},
            {problems::unavailable("d"), 503, "unavailable"},
            {problems::internal("err_1"), 500, "internal"},
        };
        for (const auto& c : cases) {
            HttpResponse r = problemResponse(c.problem);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.type, c.status, r.status);
            auto body = parse(r);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.type, c.status, body->getValue<int>("status"));
            CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:") + c.type, str(body, "type"));
            CPPUNIT_ASSERT_MESSAGE(c.type, !str(body, "title").empty());
            CPPUNIT_ASSERT_MESSAGE(c.type, !str(body, "detail").empty());
        }
    }

    void methodNotAllowedNamesMethodAndAllow() {
        auto body = parse(problemResponse(problems::methodNotAllowed("DELETE", "GET, POST")));
        CPPUNIT_ASSERT_EQUAL(405, body->getValue<int>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("Method not allowed"), str(body, "title"));
        CPPUNIT_ASSERT_EQUAL(std::string("DELETE is not supported here; allowed: GET, POST"), str(body, "detail"));
    }

    void payloadTooLargeNamesTheLimit() {
        auto body = parse(problemResponse(problems::payloadTooLarge(1048576)));
        CPPUNIT_ASSERT_EQUAL(413, body->getValue<int>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("request bodies are limited to 1048576 bytes (TINKO_MAX_BODY_BYTES)"), str(body, "detail"));
    }

    void unsupportedMediaTypeQuotesWhatWasSent() {
        auto body = parse(problemResponse(problems::unsupportedMediaType("text/plain")));
        CPPUNIT_ASSERT_EQUAL(415, body->getValue<int>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("send the body as application/json (got 'text/plain')"), str(body, "detail"));
        // With no Content-Type at all the detail still says what to send.
        auto empty = parse(problemResponse(problems::unsupportedMediaType("")));
        CPPUNIT_ASSERT(contains(str(empty, "detail"), "application/json"));
    }

    void internalCarriesOnlyTheErrorId() {
        HttpResponse r = problemResponse(problems::internal("err_AbC123"));
        CPPUNIT_ASSERT_EQUAL(500, r.status);
        auto body = parse(r);
        CPPUNIT_ASSERT_EQUAL(std::string("Internal error"), str(body, "title"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("the server failed to handle this request; quote error id err_AbC123 to the operator"),
            str(body, "detail"));
        // Nothing else: no errors array, no extensions where internals could leak.
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), body->size());
    }

    void validationJoinsFieldErrorsIntoDetail() {
        Problem p = problems::validation({{"a", "is required"}, {"b.c", "must be an integer"}});
        CPPUNIT_ASSERT_EQUAL(std::string("a: is required; b.c: must be an integer"), p.detail);
        CPPUNIT_ASSERT_EQUAL(std::string("The request body has invalid fields"), p.title);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.errors.size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProblemTest);
