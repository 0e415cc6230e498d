// TINKO_DATABASE_URL as operators give it: a postgresql:// URI (with or without a password,
// sslmode, options, percent-escapes, a Unix-socket host) works on every path, readiness, the ops
// API and ingest; and a restart against a migrated database logs nothing but JSON lines.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace tinko::test;

namespace {
// The test server's key=value settings (no quoting there: TINKO_TEST_DATABASE_URL is plain words).
std::map<std::string, std::string> keyValues(const std::string& conninfo) {
    std::map<std::string, std::string> out;
    std::istringstream in(conninfo);
    for (std::string word; in >> word;) {
        const auto eq = word.find('=');
        if (eq != std::string::npos) out[word.substr(0, eq)] = word.substr(eq + 1);   // the last one wins, as in libpq
    }
    return out;
}

std::string percentEncoded(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// A fresh database's settings, split so that tests can write them as URIs.
std::map<std::string, std::string> freshDatabase() { return keyValues(createFreshDatabase()); }

bool everyLineIsJson(const std::string& log) {
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line.front() != '{') return false;
    return true;
}

// Readiness, the ops API and ingest all work on the host.
void servesEveryPath(TestHost& host) {
    auto ready = httpCall(host.port(), "GET", "/readyz");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(ready.body + host.process.stderrText(), 200, ready.status);
    auto plugin = host.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(plugin.body, 201, plugin.status);
    const std::string key = host.createOrgWithKey("uri-org");   // POST /v1/admin/orgs and an API key
    auto orgs = host.ops("GET", "/v1/admin/orgs");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(orgs.body, 200, orgs.status);
    auto psp = httpCall(host.port(), "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})",
                        jsonBearer(key));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(psp.body, 200, psp.status);
    auto headers = jsonBearer(key);
    headers["Idempotency-Key"] = "uri-1";
    const std::string event = R"({"transaction_ref":"tx_uri","amount":1999,"currency":"USD","decline_code":"insufficient_funds"})";
    auto ingested = httpCall(host.port(), "POST", "/v1/events/payment_failed", event, headers);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(ingested.body, 201, ingested.status);
    auto replayed = httpCall(host.port(), "POST", "/v1/events/payment_failed", event, headers);
    CPPUNIT_ASSERT_EQUAL(std::string("true"), replayed.header("idempotent-replayed"));
    auto recovery = httpCall(host.port(), "GET", "/v1/recoveries/by_ref/tx_uri", "", bearer(key));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(recovery.body, 200, recovery.status);
}
}  // namespace

class DatabaseUrlFormsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DatabaseUrlFormsTest);
    CPPUNIT_TEST(aUriWithAnEscapedSocketHostServesEveryPath);
    CPPUNIT_TEST(aUriWithPasswordSslmodeOptionsAndHostParameterServesEveryPath);
    CPPUNIT_TEST(theKeyValueFormStillServesEveryPath);
    CPPUNIT_TEST(aRestartOnAMigratedDatabaseLogsOnlyJson);
    CPPUNIT_TEST_SUITE_END();

public:
    void aUriWithAnEscapedSocketHostServesEveryPath() {
        auto db = freshDatabase();
        // postgresql://postgres@%2Ftmp%2F...:5432/tinko_t_...
        const std::string uri = "postgresql://" + db["user"] + "@" + percentEncoded(db["host"]) + ":" + db["port"] + "/" +
                                db["dbname"];
        TestHost host({{"TINKO_DATABASE_URL", uri}});
        servesEveryPath(host);
    }

    void aUriWithPasswordSslmodeOptionsAndHostParameterServesEveryPath() {
        auto db = freshDatabase();
        // The test server trusts local connections, so the password is carried but not asked for.
        const std::string uri = "postgresql://" + db["user"] + ":s%40cr%20et%27pw@/" + db["dbname"] + "?host=" + db["host"] +
                                "&port=" + db["port"] + "&sslmode=disable&options=-c%20statement_timeout%3D30000";
        TestHost host({{"TINKO_DATABASE_URL", uri}});
        servesEveryPath(host);
        const std::string logs = host.process.stderrText() + host.process.stdoutText();
        CPPUNIT_ASSERT_MESSAGE(logs, logs.find("cr et") == std::string::npos && logs.find("s%40cr") == std::string::npos);
    }

    void theKeyValueFormStillServesEveryPath() {
        TestHost host;
        servesEveryPath(host);
    }

    void aRestartOnAMigratedDatabaseLogsOnlyJson() {
        TestHost first;
        TestHost second({{"TINKO_DATABASE_URL", first.databaseUrl}});
        CPPUNIT_ASSERT_EQUAL(200, httpCall(second.port(), "GET", "/readyz").status);
        const std::string log = second.process.stderrText();
        CPPUNIT_ASSERT_MESSAGE(log, everyLineIsJson(log));
        CPPUNIT_ASSERT_MESSAGE(log, log.find("NOTICE") == std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseUrlFormsTest);
