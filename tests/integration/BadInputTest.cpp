// Every class of bad input gets a problem+json 4xx a person can act on, never a 500, and changes
// nothing; the process keeps serving.
#include "TestSupport.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class BadInputTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BadInputTest);
    CPPUNIT_TEST(malformedJsonIs400);
    CPPUNIT_TEST(wrongTypesAre422NamingTheFields);
    CPPUNIT_TEST(unknownFieldsAre422);
    CPPUNIT_TEST(missingRequiredFieldsAre422);
    CPPUNIT_TEST(invalidValuesAre422);
    CPPUNIT_TEST(aBodyOverTheLimitIs413);
    CPPUNIT_TEST(aChunkedBodyOverTheLimitIs413);
    CPPUNIT_TEST(anUnknownRouteIs404);
    CPPUNIT_TEST(oddlyEncodedPathsAreProblems);
    CPPUNIT_TEST(aWrongMethodIs405WithAllow);
    CPPUNIT_TEST(aBodyThatIsNotJsonIs415);
    CPPUNIT_TEST(badQueryParametersAre400);
    CPPUNIT_TEST(aDuplicateSlugIs409);
    CPPUNIT_TEST(nothingBadChangedAnythingAndTheHostStillServes);
    CPPUNIT_TEST_SUITE_END();

public:
    static constexpr int kBodyLimit = 4096;

    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_MAX_BODY_BYTES", std::to_string(kBodyLimit)}});
        return shared;
    }

    // The answer is a problem with this status whose detail mentions `hint`.
    static Poco::JSON::Object::Ptr assertProblem(const HttpResult& r, int status, const std::string& hint) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
        auto p = r.json();
        CPPUNIT_ASSERT_EQUAL(status, p->getValue<int>("status"));
        CPPUNIT_ASSERT(p->getValue<std::string>("type").rfind("urn:tinko:problem:", 0) == 0);
        CPPUNIT_ASSERT(!p->getValue<std::string>("title").empty());
        CPPUNIT_ASSERT_MESSAGE(r.body, p->getValue<std::string>("detail").find(hint) != std::string::npos);
        return p;
    }

    static HttpResult createOrg(const std::string& body) { return host().ops("POST", "/v1/admin/orgs", body); }

    void malformedJsonIs400() {
        assertProblem(createOrg("{\"name\": \"Acme\", "), 400, "not valid JSON");
        assertProblem(createOrg("[1,2]"), 400, "must be a JSON object");
        assertProblem(createOrg("   "), 400, "empty");
    }

    void wrongTypesAre422NamingTheFields() {
        auto p = assertProblem(createOrg(R"({"name": 42, "slug": ["acme"]})"), 422, "name: must be a string");
        auto errors = p->getArray("errors");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), errors->size());
        CPPUNIT_ASSERT_EQUAL(std::string("slug"), errors->getObject(1)->getValue<std::string>("field"));
    }

    void unknownFieldsAre422() {
        assertProblem(createOrg(R"({"name": "Acme", "slug": "acme-x", "plan": "gold"})"), 422,
                      "plan: unknown field; allowed fields are: name, slug");
    }

    void missingRequiredFieldsAre422() {
        assertProblem(createOrg(R"({"name": "Acme"})"), 422, "slug: is required");
        assertProblem(createOrg(R"({"name": null, "slug": "acme-y"})"), 422, "name: is required");
    }

    void invalidValuesAre422() {
        assertProblem(createOrg(R"({"name": "Acme", "slug": "Not A Slug"})"), 422, "slug: may contain only");
        assertProblem(createOrg(R"({"name": "  ", "slug": "blank-name"})"), 422, "name: must not be blank");
    }

    void aBodyOverTheLimitIs413() {
        const std::string big = "{\"name\":\"" + std::string(kBodyLimit, 'x') + "\",\"slug\":\"too-big\"}";
        assertProblem(createOrg(big), 413, std::to_string(kBodyLimit) + " bytes");
    }

    void aChunkedBodyOverTheLimitIs413() {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(host().port()));
        Poco::Net::HTTPRequest request("POST", "/v1/admin/orgs", Poco::Net::HTTPMessage::HTTP_1_1);
        request.setChunkedTransferEncoding(true);
        request.set("Authorization", "Bearer " + host().opsToken);
        request.setContentType("application/json");
        std::ostream& out = session.sendRequest(request);
        out << "{\"name\":\"" << std::string(3 * kBodyLimit, 'y') << "\",\"slug\":\"chunked\"}";
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        HttpResult r;
        r.status = response.getStatus();
        r.headers["content-type"] = response.getContentType();
        Poco::StreamCopier::copyToString(in, r.body);
        assertProblem(r, 413, "limited to");
    }

    void anUnknownRouteIs404() {
        assertProblem(httpCall(host().port(), "GET", "/v1/nothing-here", "", bearer(host().opsToken)), 404, "/v1/nothing-here");
    }

    void oddlyEncodedPathsAreProblems() {
        assertProblem(host().ops("GET", "/v1/admin/orgs/%zz"), 400, "cannot be parsed");
        // An encoded slash stays inside the slug it belongs to.
        assertProblem(host().ops("GET", "/v1/admin/orgs/a%2Fb"), 404, "no org with slug 'a/b'");
    }

    void aWrongMethodIs405WithAllow() {
        auto r = httpCall(host().port(), "PATCH", "/v1/admin/orgs", "{}", jsonBearer(host().opsToken));
        assertProblem(r, 405, "PATCH is not supported");
        CPPUNIT_ASSERT_EQUAL(std::string("POST, GET, HEAD"), r.header("allow"));
    }

    void aBodyThatIsNotJsonIs415() {
        auto r = httpCall(host().port(), "POST", "/v1/admin/orgs", "name=Acme&slug=form",
                          {{"Authorization", "Bearer " + host().opsToken}, {"Content-Type", "application/x-www-form-urlencoded"}});
        assertProblem(r, 415, "application/json");
    }

    void badQueryParametersAre400() {
        auto p = assertProblem(host().ops("GET", "/v1/admin/orgs?limit=100000&color=red"), 400, "limit");
        CPPUNIT_ASSERT(p->getValue<std::string>("detail").find("color: unknown query parameter") != std::string::npos);
        assertProblem(host().ops("GET", "/v1/admin/orgs?cursor=garbage"), 400, "next_cursor");
    }

    void aDuplicateSlugIs409() {
        CPPUNIT_ASSERT_EQUAL(201, createOrg(R"({"name": "Dup", "slug": "dup"})").status);
        assertProblem(createOrg(R"({"name": "Dup again", "slug": "dup"})"), 409, "'dup' already exists");
    }

    void nothingBadChangedAnythingAndTheHostStillServes() {
        auto orgs = host().ops("GET", "/v1/admin/orgs?limit=200").json()->getArray("data");
        for (std::size_t i = 0; i < orgs->size(); ++i) {
            const auto slug = orgs->getObject(static_cast<unsigned>(i))->getValue<std::string>("slug");
            CPPUNIT_ASSERT_EQUAL_MESSAGE("only the valid org may exist, found " + slug, std::string("dup"), slug);
        }
        CPPUNIT_ASSERT(host().process.running());
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host().port(), "GET", "/healthz").status);
        CPPUNIT_ASSERT(host().process.stderrText().find("\"status\":\"500\"") == std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BadInputTest);
