// The fuzz suite: for every route the router knows (GET /v1/admin/routes), at least 500 generated
// or mutated requests against a running host on real PostgreSQL: wrong types, huge strings and
// numbers, deep nesting, invalid UTF-8, NULs, missing and extra fields, odd headers and methods,
// with and without credentials. It passes when nothing answers 5xx, the process stays alive, its
// memory stays bounded, and no refused (4xx) request changed a row.
//
// The generator is seeded: TINKO_FUZZ_SEED=<n> replays a run (the seed is printed, and named in
// every failure). TINKO_FUZZ_REQUESTS_PER_ROUTE changes the count (default 500).
#include "FakeStripe.h"
#include "FuzzRequests.h"
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

using namespace tinko;
using namespace tinko::test;

namespace {

// Resident memory of a process in KiB, from /proc.
long residentKiB(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

// A digest of every row the API can change: per table, how many rows and the newest row version
// (an insert, update or delete changes one of the two). The analytics tables are left out: the
// host folds their deltas on its own, and they only ever mirror the tables digested here. So are
// merchant events and their deliveries: the host dispatches and delivers them on its own, and
// they are written with the changes (digested here) that cause them. Webhook endpoints are digested
// by the columns the API writes, since failed deliveries mark an endpoint failing in the background.
const char* kFingerprintFunction = R"sql(
CREATE OR REPLACE FUNCTION pg_temp.fuzz_fingerprint() RETURNS text LANGUAGE plpgsql AS $$
DECLARE t text; part text; acc text := '';
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'analytics%'
           AND tablename NOT IN ('merchant_events', 'webhook_deliveries', 'webhook_delivery_attempts')
           ORDER BY tablename LOOP
    IF t = 'webhook_endpoints' THEN
      -- What the API changes; the delivery worker writes failing_since on its own.
      SELECT count(*) || ':' || md5(coalesce(string_agg(concat_ws('|', id, url, events, description, disabled, sealed_secret,
                                                                  sealed_previous_secret), ',' ORDER BY id), ''))
        INTO part FROM webhook_endpoints;
    ELSE
      EXECUTE format('SELECT count(*) || '':'' || coalesce(max(xmin::text::bigint), 0) FROM %I', t) INTO part;
    END IF;
    acc := acc || t || '=' || part || ' ';
  END LOOP;
  RETURN acc;
END $$)sql";

unsigned long long seedFromEnvironment() {
    if (const char* given = std::getenv("TINKO_FUZZ_SEED")) return std::stoull(given);
    return static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
}

// How many failing requests one run collects before it stops (TINKO_FUZZ_MAX_FAILURES).
std::size_t failuresToCollect() {
    const char* given = std::getenv("TINKO_FUZZ_MAX_FAILURES");
    return given ? static_cast<std::size_t>(std::max(1, std::atoi(given))) : 12;
}

std::string report(const std::vector<std::string>& failures) {
    std::string out = std::to_string(failures.size()) + " failing requests:\n";
    for (const auto& f : failures) out += "---- " + f + "\n";
    return out;
}

// The last warning and error lines of the host's log, to say why it answered as it did.
std::string problemsLogged(const HostProcess& process) {
    std::vector<std::string> lines;
    std::istringstream log(process.stdoutText() + process.stderrText());
    for (std::string line; std::getline(log, line);)
        if (line.find("\"level\":\"warn") != std::string::npos || line.find("\"level\":\"err") != std::string::npos)
            lines.push_back(line.substr(0, 400));
    std::string out;
    for (std::size_t i = lines.size() > 30 ? lines.size() - 30 : 0; i < lines.size(); ++i) out += lines[i] + "\n";
    return out;
}

int requestsPerRoute() {
    const char* given = std::getenv("TINKO_FUZZ_REQUESTS_PER_ROUTE");
    return given ? std::max(1, std::atoi(given)) : 500;
}

}  // namespace

class HostileRequestsFuzzTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostileRequestsFuzzTest);
    CPPUNIT_TEST(everyRouteSurvivesHostileRequests);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyRouteSurvivesHostileRequests() {
        const unsigned long long seed = seedFromEnvironment();
        std::cout << "\nfuzz seed: " << seed << " (replay with TINKO_FUZZ_SEED=" << seed << ")" << std::endl;
        // The orgs' PSP is a fake Stripe on loopback (allowed by ops), so that paying through a real
        // recovery link reaches a provider that answers.
        fakes::FakeStripe stripe;
        stripe.start();
        // No scheduler: a request that legitimately makes a step due must not have its effects land
        // while a later, refused request is being checked for writes.
        TestHost host(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SCHEDULER_WORKERS", "0"},
                          {"TINKO_ANALYTICS_FOLD_MS", "600000"}, {"TINKO_EGRESS_ALLOW", "127.0.0.1"}});
        fuzz::Fixture fixture = fuzz::seedFixture(host, stripe.baseUrl(), stripe.secretKey());
        store::PgConnection db(host.databaseUrl);
        db.exec(kFingerprintFunction);
        auto fingerprint = [&] { return *db.query("SELECT pg_temp.fuzz_fingerprint()")[0][0]; };
        // Which transactions committed since `from`: a request that wrote nothing commits none
        // (reads take no transaction id; a refusal rolls back), so the digest, which reads every
        // table, is needed only when one did.
        auto nextTransactionId = [&] { return *db.query("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")[0][0]; };
        auto committedSince = [&](const std::string& from) {
            return std::stoi(*db.query("SELECT count(*)::text FROM generate_series($1::bigint, "
                                       "pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1) x"
                                       " WHERE pg_xact_status(x::text::xid8) = 'committed'", {from})[0][0]);
        };
        const auto routes = fuzz::listRoutes(host);
        CPPUNIT_ASSERT_MESSAGE("the host lists its routes", routes.size() >= 40);
        const long memoryBefore = residentKiB(host.process.pid());
        fuzz::Generator generator(seed);
        const int perRoute = requestsPerRoute();
        int sent = 0, refused = 0;
        std::vector<std::string> failures;   // collected, so one run shows several defects
        std::chrono::steady_clock::duration sendingTime{}, checkingTime{};
        for (const auto& route : routes) {
            fuzz::restoreFixture(host, fixture);
            std::optional<std::string> before;   // the digest before the request, when known
            for (int i = 0; i < perRoute; ++i) {
                const fuzz::RawRequest request = generator.next(route, fixture);
                if (!before) before = fingerprint();
                const std::string xidBefore = nextTransactionId();
                const auto started = std::chrono::steady_clock::now();
                const fuzz::RawAnswer answer = fuzz::send(host.port(), request);
                const auto answered = std::chrono::steady_clock::now();
                ++sent;
                auto where = [&] { return "seed " + std::to_string(seed) + ", route " + route.method + " " + route.path +
                                          ", request " + std::to_string(i) + ":\n" + fuzz::printable(request.bytes()) +
                                          "\nanswer: " + std::to_string(answer.status) + " " + answer.body.substr(0, 400); };
                CPPUNIT_ASSERT_MESSAGE("the host must stay alive; " + where(), host.process.running());
                bool changedRows = false;
                if (committedSince(xidBefore) > 0) {
                    // Committed, but a transaction that only locked rows commits too: compare digests.
                    const std::string after = fingerprint();
                    changedRows = after != *before;
                    before = after;
                }
                sendingTime += answered - started;
                checkingTime += std::chrono::steady_clock::now() - answered;
                if (answer.status == 0) failures.push_back("no answer; " + where());
                else if (answer.status >= 500 && !(answer.status == 501 && fuzz::isUnknownMethod(request.method)))
                    failures.push_back("a 5xx; " + where());
                else if (answer.status >= 400 && changedRows) failures.push_back("a refused request changed a row; " + where());
                if (answer.status >= 400) ++refused;
                CPPUNIT_ASSERT_MESSAGE(report(failures) + "the host's warnings and errors:\n" + problemsLogged(host.process),
                                       failures.size() < failuresToCollect());
            }
            const long memoryNow = residentKiB(host.process.pid());
            CPPUNIT_ASSERT_MESSAGE("memory stays bounded (seed " + std::to_string(seed) + "): " + std::to_string(memoryBefore) +
                                       " KiB before, " + std::to_string(memoryNow) + " KiB after " + route.path,
                                   memoryNow < memoryBefore + 256 * 1024);
        }
        std::cout << "fuzz: " << sent << " requests over " << routes.size() << " routes, " << refused
                  << " refused, " << failures.size() << " failing; memory " << memoryBefore / 1024 << " -> " << residentKiB(host.process.pid()) / 1024
                  << " MiB; " << std::chrono::duration_cast<std::chrono::seconds>(sendingTime).count() << " s answering, "
                  << std::chrono::duration_cast<std::chrono::seconds>(checkingTime).count() << " s checking rows" << std::endl;
        CPPUNIT_ASSERT_MESSAGE(report(failures) + "the host's warnings and errors:\n" + problemsLogged(host.process), failures.empty());
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "GET", "/healthz").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostileRequestsFuzzTest);
