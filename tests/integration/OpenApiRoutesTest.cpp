// The OpenAPI document (docs/openapi.yaml) and the router agree: a running host's GET /openapi.json
// documents every (method, path) its GET /v1/admin/routes lists, and lists nothing the router does
// not serve. Path parameters may be named differently ({id} and {recovery_id} are one segment).
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <regex>

using namespace tinko::test;

class OpenApiRoutesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OpenApiRoutesTest);
    CPPUNIT_TEST(theBuiltDocumentIsServedWithoutCredentials);
    CPPUNIT_TEST(everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared;
        return shared;
    }

    // "GET /v1/recoveries/{}" for "GET /v1/recoveries/{id}": the key both sides are compared by.
    static std::string key(const std::string& method, const std::string& path) {
        static const std::regex parameter(R"(\{[^{}/]*\})");
        return method + " " + std::regex_replace(path, parameter, "{}");
    }

    // key -> "METHOD path" as that side spells it.
    using Operations = std::map<std::string, std::string>;

    static Operations routed() {
        auto r = host().ops("GET", "/v1/admin/routes");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        Operations operations;
        auto routes = r.json()->getArray("routes");
        for (std::size_t i = 0; i < routes->size(); ++i) {
            auto route = routes->getObject(static_cast<unsigned>(i));
            const auto method = route->getValue<std::string>("method");
            const auto path = route->getValue<std::string>("path");
            operations[key(method, path)] = method + " " + path;
        }
        return operations;
    }

    static Operations documented(const Poco::JSON::Object::Ptr& document) {
        Operations operations;
        auto paths = document->getObject("paths");   // null while the document has no paths
        if (!paths) return operations;
        for (const auto& [path, item] : *paths) {
            auto pathItem = item.extract<Poco::JSON::Object::Ptr>();
            for (const char* method : {"get", "put", "post", "delete", "options", "head", "patch", "trace"}) {
                if (!pathItem->has(method)) continue;
                std::string upper(method);
                for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                operations[key(upper, path)] = upper + " " + path;
            }
        }
        return operations;
    }

    // The operations of `a` that `b` lacks, one per line.
    static std::string missing(const Operations& a, const Operations& b, std::size_t& count) {
        std::string lines;
        for (const auto& [k, spelled] : a) {
            if (b.count(k)) continue;
            lines += "\n  " + spelled;
            ++count;
        }
        return lines;
    }

    void theBuiltDocumentIsServedWithoutCredentials() {
        auto r = httpCall(host().port(), "GET", "/openapi.json");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.header("content-type"));
        // An API explorer on another origin may fetch it.
        CPPUNIT_ASSERT_EQUAL(std::string("*"), r.header("access-control-allow-origin"));
        // Byte for byte what the build converted from docs/openapi.yaml.
        CPPUNIT_ASSERT(r.body == readFile(TINKO_OPENAPI_JSON));
        auto document = r.json();
        CPPUNIT_ASSERT_EQUAL(std::string("3.1.0"), document->getValue<std::string>("openapi"));
        CPPUNIT_ASSERT_EQUAL(std::string("Tinko"), document->getObject("info")->getValue<std::string>("title"));
        // The document's version is the host's.
        CPPUNIT_ASSERT_EQUAL(std::string(TINKO_VERSION), document->getObject("info")->getValue<std::string>("version"));
    }

    void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() {
        const Operations routes = routed();
        CPPUNIT_ASSERT(routes.count(key("GET", "/openapi.json")));
        const Operations operations = documented(httpCall(host().port(), "GET", "/openapi.json").json());
        std::size_t undocumented = 0, unrouted = 0;
        const std::string undocumentedLines = missing(routes, operations, undocumented);
        const std::string unroutedLines = missing(operations, routes, unrouted);
        std::string message;
        if (undocumented)
            message += std::to_string(undocumented) + " of the " + std::to_string(routes.size()) +
                       " routes are not in docs/openapi.yaml:" + undocumentedLines + "\n";
        if (unrouted)
            message += std::to_string(unrouted) + " operations of docs/openapi.yaml are not routed:" + unroutedLines + "\n";
        CPPUNIT_ASSERT_MESSAGE(message, message.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OpenApiRoutesTest);
