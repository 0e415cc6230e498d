// Issue 17 item 4: the upgrade deploy/README.md ("Upgrading") tells operators to do, run as written
// against two hosts behind the shipped nginx (FrontProxy.h) on one database:
// - both hosts start on the previous release's schema (its migrations, copied from migrations/);
// - clients keep recording failed payments and reading them back through nginx the whole time;
// - the hosts are replaced one at a time: marked `down` in nginx and nginx reloaded, SIGTERM and
//   wait for the exit, the new release started on the same address, /readyz waited for, the mark
//   removed; the first new host applies this release's migrations while the old one serves;
// - no client request fails, each host took requests after its restart, and every event a client
//   was told was stored is in the database once;
// - going back: a host of the previous release starts on the newer schema and serves.
#include "FrontProxy.h"
#include "Releases.h"
#include "TestSupport.h"

#include "store/MigrationRunner.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace tinko;
using namespace tinko::test;

namespace {

// The previous release's migrations/ (migrations/RELEASES.md): this checkout's files up to its last.
void copyPreviousReleaseMigrations(const std::string& into) {
    const int last = previousRelease().lastMigration;
    for (const auto& file : store::readMigrationFiles(std::string(TINKO_SOURCE_DIR) + "/migrations"))
        if (file.version <= last) writeFile(into + "/" + file.fileName, file.sql);
}

std::set<std::string> appliedMigrations(const std::string& databaseUrl) {
    store::PgConnection db(databaseUrl);
    std::set<std::string> applied;
    for (const auto& row : db.query("SELECT version::text FROM schema_migrations")) applied.insert(*row[0]);
    return applied;
}

// One host of the cluster: a tinko-host process on a fixed port and data directory, which the test
// stops and starts again with other settings, as an operator replaces a host's binary.
class ClusterHost {
public:
    ClusterHost(const std::string& databaseUrl, const std::string& opsToken) : port_(freePort()) {
        env_ = {{"TINKO_HTTP_PORT", std::to_string(port_)}, {"TINKO_DATABASE_URL", databaseUrl},
                {"TINKO_DATA_DIR", dataDir_.path()}, {"TINKO_OPS_TOKEN", opsToken},
                {"TINKO_PLUGIN_DIR", dataDir_.path() + "/plugins"},
                {"TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT", "128"}};   // deploy/README.md, behind nginx
    }

    void start(const std::string& migrationsDir) {
        env_["TINKO_MIGRATIONS_DIR"] = migrationsDir;
        process_ = std::make_unique<HostProcess>(env_);
        process_->start();
        process_->waitUntilListening();
        const bool ready = waitUntil([&] { return httpCall(port_, "GET", "/readyz").status == 200; }, 30s, 50ms);
        if (!ready) throw std::runtime_error("the host on port " + std::to_string(port_) + " never got ready");
    }

    // What the unit's stop does: SIGTERM, then wait for the process to end.
    int stop() {
        process_->signal(SIGTERM);
        const auto code = process_->waitForExit(60s);
        if (!code) throw std::runtime_error("the host did not stop within 60 s:\n" + process_->stderrText());
        return *code;
    }

    // Requests this host has answered to `route` since its start (its own /metrics).
    double answered(const std::string& opsToken, const std::string& route) {
        const std::string text = httpCall(port_, "GET", "/metrics", "", bearer(opsToken)).body;
        const std::string series = "tinko_http_requests_total{method=\"POST\",route=\"" + route + "\",status=\"201\"} ";
        const std::size_t at = text.find(series);
        return at == std::string::npos ? 0 : std::stod(text.substr(at + series.size()));
    }

    int port() const { return port_; }

private:
    TempDir dataDir_;
    int port_;
    Env env_;
    std::unique_ptr<HostProcess> process_;
};

// Clients recording failed payments through the proxy and reading each back, until stopped; every
// answer that is not the expected one is kept, with what was sent.
class Clients {
public:
    Clients(int proxyPort, std::string orgKey, int count) : proxyPort_(proxyPort), orgKey_(std::move(orgKey)) {
        for (int i = 0; i < count; ++i) threads_.emplace_back([this, i] { run(i); });
    }
    ~Clients() { stop(); }

    void stop() {
        stopping_ = true;
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }

    std::size_t stored() const { return stored_; }
    std::vector<std::string> failures() {
        std::lock_guard<std::mutex> lock(mutex_);
        return failures_;
    }
    std::set<std::string> refs() {
        std::lock_guard<std::mutex> lock(mutex_);
        return refs_;
    }

private:
    void run(int client) {
        for (int n = 0; !stopping_; ++n) {
            const std::string ref = "upgrade-" + std::to_string(client) + "-" + std::to_string(n);
            auto headers = jsonBearer(orgKey_);
            headers["Idempotency-Key"] = "idem-" + ref;
            const auto created = call("POST", "/v1/events/payment_failed",
                                      R"({"transaction_ref":")" + ref +
                                          R"(","amount":1999,"currency":"USD","decline_code":"insufficient_funds",)"
                                          R"("customer":{"email":"ann@example.com","name":"Ann"}})",
                                      headers);
            if (created.status != 201) {
                fail("POST " + ref, created);
                continue;
            }
            {
                std::lock_guard<std::mutex> lock(mutex_);
                refs_.insert(ref);
            }
            ++stored_;
            const auto read = call("GET", "/v1/recoveries/by_ref/" + ref, "", bearer(orgKey_));
            if (read.status != 200) fail("GET " + ref, read);
        }
    }

    HttpResult call(const std::string& method, const std::string& path, const std::string& body,
                    const std::map<std::string, std::string>& headers) {
        try {
            return httpCall(proxyPort_, method, path, body, headers);
        } catch (const std::exception& e) {
            return HttpResult{0, {}, e.what()};
        }
    }

    void fail(const std::string& what, const HttpResult& r) {
        std::lock_guard<std::mutex> lock(mutex_);
        failures_.push_back(what + " -> " + std::to_string(r.status) + " " + r.body.substr(0, 200));
    }

    int proxyPort_;
    std::string orgKey_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> stored_{0};
    std::mutex mutex_;
    std::vector<std::string> failures_;
    std::set<std::string> refs_;
    std::vector<std::thread> threads_;
};

}  // namespace

class RollingUpgradeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RollingUpgradeTest);
    CPPUNIT_TEST(hostsReplacedOneAtATimeBehindTheProxyFailNoRequest);
    CPPUNIT_TEST_SUITE_END();

public:
    void hostsReplacedOneAtATimeBehindTheProxyFailNoRequest() {
        const std::string opsToken = "test-ops-token-0123456789abcdef";
        const std::string databaseUrl = createFreshDatabase();
        TempDir previousMigrations;
        copyPreviousReleaseMigrations(previousMigrations.path());
        const std::string currentMigrations = std::string(TINKO_SOURCE_DIR) + "/migrations";

        // The previous release, running: two hosts on its schema.
        ClusterHost first(databaseUrl, opsToken), second(databaseUrl, opsToken);
        first.start(previousMigrations.path());
        second.start(previousMigrations.path());
        std::set<std::string> previousSchema;
        for (const auto& file : store::readMigrationFiles(previousMigrations.path()))
            previousSchema.insert(std::to_string(file.version));
        CPPUNIT_ASSERT(appliedMigrations(databaseUrl) == previousSchema);

        FrontProxy proxy({first.port(), second.port()});
        auto org = httpCall(proxy.port(), "POST", "/v1/admin/orgs", R"({"name":"Upgrade","slug":"upgrade"})",
                            jsonBearer(opsToken));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(org.body, 201, org.status);
        auto key = httpCall(proxy.port(), "POST", "/v1/admin/orgs/upgrade/api-keys", R"({"label":"load"})",
                            jsonBearer(opsToken));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(key.body, 201, key.status);

        Clients clients(proxy.port(), key.json()->getValue<std::string>("key"), 4);
        const auto storedAtLeast = [&](std::size_t n) {
            return waitUntil([&] { return clients.stored() >= n; }, 30s);
        };
        CPPUNIT_ASSERT_MESSAGE("no load reached the hosts", storedAtLeast(50));

        // deploy/README.md, "Upgrading", for one host: out of nginx, stopped, the new release
        // started on its address, ready, back into nginx, serving.
        const auto upgrade = [&](ClusterHost& host) {
            proxy.markDown(host.port(), true);
            CPPUNIT_ASSERT_EQUAL(0, host.stop());
            host.start(currentMigrations);
            proxy.markDown(host.port(), false);
            const bool serves = waitUntil([&] { return host.answered(opsToken, "/v1/events/payment_failed") >= 20; }, 30s);
            CPPUNIT_ASSERT_MESSAGE("the upgraded host took no requests through the proxy", serves);
        };
        // The first host to start on the new release applies its migrations, while the second
        // host, still on the previous release, serves every request.
        upgrade(first);
        std::set<std::string> currentSchema;
        for (const auto& file : store::readMigrationFiles(currentMigrations)) currentSchema.insert(std::to_string(file.version));
        CPPUNIT_ASSERT(appliedMigrations(databaseUrl) == currentSchema);
        upgrade(second);

        // Going back, host by host, works the same way: the previous release's host starts on the
        // newer schema (it ignores migrations it does not know) and serves.
        proxy.markDown(first.port(), true);
        CPPUNIT_ASSERT_EQUAL(0, first.stop());
        first.start(previousMigrations.path());
        proxy.markDown(first.port(), false);
        const bool previousServes =
            waitUntil([&] { return first.answered(opsToken, "/v1/events/payment_failed") >= 20; }, 30s);
        CPPUNIT_ASSERT_MESSAGE("the host back on the previous release took no requests", previousServes);
        clients.stop();

        const auto failures = clients.failures();
        std::string listed;
        for (std::size_t i = 0; i < failures.size() && i < 10; ++i) listed += "\n  " + failures[i];
        CPPUNIT_ASSERT_MESSAGE(std::to_string(failures.size()) + " of " + std::to_string(clients.stored()) +
                                   " requests failed during the upgrade:" + listed + "\nnginx:\n" + proxy.logs(),
                               failures.empty());

        // Every event a client was told was stored is there, once.
        store::PgConnection db(databaseUrl);
        const auto rows = db.query("SELECT count(DISTINCT t.ref)::text, count(*)::text FROM transactions t"
                                   " JOIN failure_events e ON e.transaction_id = t.id");
        CPPUNIT_ASSERT_EQUAL(std::to_string(clients.refs().size()), *rows[0][0]);
        CPPUNIT_ASSERT_EQUAL(*rows[0][0], *rows[0][1]);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RollingUpgradeTest);
