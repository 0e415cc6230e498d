// PostgreSQL restarted under load: three hosts on a private cluster this test owns (the shared test
// server is other suites'), clients sending every kind of request to all of them. While the
// database is away every answer that needs it is a 503 problem with Retry-After (never a 500,
// never a request that outlives its deadline; every route is asked once too), and once it is back
// every host answers as before, without being restarted. The pool's connections to the old server
// are not handed out again, and a server that hangs (SIGSTOP) costs a request one query deadline.
#include "TestSupport.h"

#include "store/EmbeddedPostgres.h"
#include "store/PgPool.h"

#include <Poco/DirectoryIterator.h>

#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

using namespace tinko;
using namespace tinko::test;

namespace {
constexpr int kClients = 24;

// The cluster's processes (the postmaster and its children), stopped with SIGSTOP as a hung server
// or a network partition would leave them, and always continued again when this goes.
class FrozenCluster {
public:
    explicit FrozenCluster(const store::EmbeddedPostgres& postgres) {
        const int postmaster = std::stoi(readFile(postgres.clusterDir() + "/postmaster.pid"));
        pids_.push_back(postmaster);
        Poco::DirectoryIterator end;
        for (Poco::DirectoryIterator it(std::string("/proc")); it != end; ++it) {
            const std::string stat = readFile(it->path() + "/stat");
            const auto close = stat.rfind(')');
            if (close == std::string::npos) continue;
            std::istringstream rest(stat.substr(close + 2));
            std::string state;
            int parent = 0;
            rest >> state >> parent;
            if (parent == postmaster) pids_.push_back(std::stoi(it.name()));
        }
        for (int pid : pids_) kill(pid, SIGSTOP);
    }
    ~FrozenCluster() { thaw(); }
    void thaw() {
        for (int pid : pids_) kill(pid, SIGCONT);
        pids_.clear();
    }

private:
    std::vector<int> pids_;
};

const auto kDeadline = 10s;   // the longest a request may take: a connect timeout and a pool wait, with room

struct Answer {
    int phase = 0;      // when it was sent: 0 before the stop, 1 while the database is away, 2 after it is back,
                        // 3 once every host answered every kind of request again
    int endPhase = 0;   // when its answer came
    std::string what;
    int status = 0;  // 0: no answer (the error says why)
    std::string error;
    std::string retryAfter;
    std::string contentType;
    std::chrono::milliseconds took{0};
};
}  // namespace

class CrashSafetyDatabaseRestartTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CrashSafetyDatabaseRestartTest);
    CPPUNIT_TEST(thePoolDropsConnectionsToAServerThatRestarted);
    CPPUNIT_TEST(hostsAnswer503WhileTheDatabaseRestartsAndRecoverByThemselves);
    CPPUNIT_TEST(aFrozenDatabaseIsAnswered503WithinTheDeadline);
    CPPUNIT_TEST_SUITE_END();

public:
    void thePoolDropsConnectionsToAServerThatRestarted() {
        TempDir dir;
        store::EmbeddedPostgres postgres({dir.path(), "", "pool", false});
        postgres.start();
        store::PgPool pool(postgres.connectionString() + " connect_timeout=3", 4);
        // Three connections at once, then idle in the pool.
        pool.with([&](store::PgConnection& a) {
            pool.with([&](store::PgConnection& b) {
                pool.with([&](store::PgConnection& c) { c.query("SELECT 1"); });
                b.query("SELECT 1");
            });
            a.query("SELECT 1");
        });
        postgres.stop();
        postgres.start();
        // Every idle connection belonged to the old server: none of them may fail a caller now.
        for (int i = 0; i < 4; ++i)
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), pool.with([](store::PgConnection& c) { return c.query("SELECT 1").size(); }));
    }

    // A server that stops answering (hung, or cut off by the network) without closing anything:
    // each query gives up after TINKO_DATABASE_QUERY_TIMEOUT_MS, and each new connection after the
    // connect timeout, so requests get a 503 in bounded time instead of holding their threads.
    void aFrozenDatabaseIsAnswered503WithinTheDeadline() {
        TempDir dir;
        store::EmbeddedPostgres postgres({dir.path(), "", "frozen", false});
        postgres.start();
        TestHost host(Env{{"TINKO_DATABASE_URL", postgres.connectionString()}, {"TINKO_DATABASE_QUERY_TIMEOUT_MS", "1500"},
                          {"TINKO_DATABASE_CONNECT_TIMEOUT_SECONDS", "2"}, {"TINKO_SCHEDULER_WORKERS", "0"}});
        const std::string key = host.createOrgWithKey("frozen");
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "GET", "/v1/org", "", bearer(key)).status);
        {
            FrozenCluster frozen(postgres);
            // The org's own data may come from the host's cache for up to 1 s after its last poll
            // of the database worked (README, "Org data is cached"); the first query's deadline
            // outlasts that, so /v1/org needs the database again by the time it is asked.
            for (const std::string path : {"/v1/retry/stats", "/v1/org", "/v1/events/by_ref/none", "/readyz"}) {
                const auto started = std::chrono::steady_clock::now();
                auto r = httpCall(host.port(), "GET", path, "", bearer(key));
                const auto took = std::chrono::steady_clock::now() - started;
                CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, 503, r.status);
                CPPUNIT_ASSERT(!r.header("retry-after").empty());
                // One query deadline, or a connect timeout, each (readiness tries twice), with room.
                CPPUNIT_ASSERT_MESSAGE(path + " took too long", took < 6s);
            }
            CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "GET", "/healthz").status);
        }
        CPPUNIT_ASSERT(waitUntil([&] { return httpCall(host.port(), "GET", "/v1/org", "", bearer(key)).status == 200; }, 20s));
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "GET", "/readyz").status);
    }

    void hostsAnswer503WhileTheDatabaseRestartsAndRecoverByThemselves() {
        TempDir dir;
        store::EmbeddedPostgres postgres({dir.path(), "", "restart", false});
        postgres.start();
        const Env common{{"TINKO_DATABASE_URL", postgres.connectionString()}, {"TINKO_REDIS_URL", testRedisUrl()},
                         {"TINKO_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"},
                         {"TINKO_DATABASE_POOL_SIZE", "16"}};
        TestHost a(common), b(common), c(common);
        TestHost* hosts[3] = {&a, &b, &c};
        const int pids[3] = {a.process.pid(), b.process.pid(), c.process.pid()};
        const std::string key = a.createOrgWithKey("restart");
        auto warm = httpCall(a.port(), "POST", "/v1/events/payment_failed",
                             R"({"transaction_ref":"warm","amount":100,"currency":"USD","customer":{"email":"w@example.com"}})",
                             jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(warm.body, 201, warm.status);
        auto link = httpCall(a.port(), "POST", "/v1/recoveries/by_ref/warm/link", "", jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);
        const std::string url = link.json()->getValue<std::string>("url");
        const std::string page = url.substr(url.find("/r/"));

        // Each kind of request, with the status it gets while all is well.
        struct Kind {
            std::string what;
            std::string method;
            std::function<std::string(int)> path;
            std::function<std::string(int)> body;
            std::map<std::string, std::string> headers;
            int ok;
        };
        std::atomic<int> serial{0};
        const std::vector<Kind> kinds{
            {"ingest", "POST", [](int) { return std::string("/v1/events/payment_failed"); },
             [](int n) {
                 return R"({"transaction_ref":"r)" + std::to_string(n) +
                        R"(","amount":100,"currency":"USD","customer":{"email":"c@example.com"}})";
             },
             jsonBearer(key), 201},
            {"recovery", "GET", [](int) { return std::string("/v1/recoveries/by_ref/warm"); }, [](int) { return std::string(); },
             bearer(key), 200},
            {"org", "GET", [](int) { return std::string("/v1/org"); }, [](int) { return std::string(); }, bearer(key), 200},
            {"admin orgs", "GET", [](int) { return std::string("/v1/admin/orgs"); }, [](int) { return std::string(); },
             bearer(a.opsToken), 200},
            {"readyz", "GET", [](int) { return std::string("/readyz"); }, [](int) { return std::string(); }, {}, 200},
            {"stats", "GET", [](int) { return std::string("/v1/retry/stats"); }, [](int) { return std::string(); }, bearer(key), 200},
            {"page", "GET", [&](int) { return page; }, [](int) { return std::string(); }, {}, 200},
            {"policy", "POST", [](int) { return std::string("/v1/retry/policies"); },
             [](int) {
                 return std::string(R"({"name":"p","max_retries":1,"initial_delay_seconds":60,"backoff_multiplier":1,)"
                                    R"("max_delay_seconds":60,"channels":["email"],"retry_charge":false,"link_ttl_seconds":600})");
             },
             jsonBearer(key), 201},
        };

        std::atomic<int> phase{0};
        std::atomic<bool> stop{false};
        std::mutex mutex;
        std::vector<Answer> answers;
        // Which host answered which kind well once the database was back (phase 2).
        std::vector<std::vector<bool>> recovered(3, std::vector<bool>(kinds.size(), false));
        auto client = [&](int index) {
            for (int n = index; !stop; ++n) {
                const std::size_t k = static_cast<std::size_t>(n) % kinds.size();
                const int h = (n / static_cast<int>(kinds.size()) + index) % 3;
                const Kind& kind = kinds[k];
                const int id = serial++;
                Answer answer;
                answer.phase = phase;
                answer.what = kind.what + " on host " + std::to_string(h);
                auto headers = kind.headers;
                if (kind.what == "ingest") headers["Idempotency-Key"] = "k" + std::to_string(id);
                const auto started = std::chrono::steady_clock::now();
                try {
                    auto r = httpCall(hosts[h]->port(), kind.method, kind.path(id), kind.body(id), headers);
                    answer.status = r.status;
                    answer.retryAfter = r.header("retry-after");
                    answer.contentType = r.header("content-type");
                    if (r.status != kind.ok && r.status != 503) answer.error = r.body;
                } catch (const std::exception& e) {
                    answer.error = e.what();
                }
                answer.endPhase = phase;
                answer.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
                std::lock_guard<std::mutex> lock(mutex);
                if (answer.phase >= 2 && answer.status == kind.ok) recovered[h][k] = true;
                answers.push_back(answer);
            }
        };
        auto count = [&](int inPhase, int status) {
            std::lock_guard<std::mutex> lock(mutex);
            return std::count_if(answers.begin(), answers.end(),
                                 [&](const Answer& x) { return x.phase == inPhase && x.status == status; });
        };
        std::vector<std::thread> clients;
        for (int i = 0; i < kClients; ++i) clients.emplace_back(client, i);

        CPPUNIT_ASSERT(waitUntil([&] { return count(0, 200) >= 200; }, 30s));
        phase = 1;
        postgres.stop();
        CPPUNIT_ASSERT(waitUntil([&] { return count(1, 503) >= 100; }, 30s));
        postgres.start();
        phase = 2;
        const auto back = std::chrono::steady_clock::now();
        const bool allRecovered = waitUntil([&] {
            std::lock_guard<std::mutex> lock(mutex);
            for (const auto& host : recovered)
                for (bool ok : host)
                    if (!ok) return false;
            return true;
        }, 30s);
        const auto recoveredAfter = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - back);
        phase = 3;
        // A steady stretch of load after the recovery (every answer in it must be good): 200 answers.
        CPPUNIT_ASSERT(waitUntil([&] {
            std::lock_guard<std::mutex> lock(mutex);
            return std::count_if(answers.begin(), answers.end(), [](const Answer& x) { return x.phase == 3; }) >= 200;
        }, 30s));
        stop = true;
        for (auto& t : clients) t.join();

        CPPUNIT_ASSERT_MESSAGE("not every host answered every kind of request again", allRecovered);
        std::map<int, int> statuses;
        std::chrono::milliseconds slowest{0};
        for (const auto& x : answers) {
            ++statuses[x.phase * 1000 + x.status];
            slowest = std::max(slowest, x.took);
            CPPUNIT_ASSERT_MESSAGE(x.what + " got no answer: " + x.error, x.status != 0);
            CPPUNIT_ASSERT_MESSAGE(x.what + " answered " + std::to_string(x.status) + ": " + x.error, x.error.empty());
            CPPUNIT_ASSERT_MESSAGE(x.what + " took " + std::to_string(x.took.count()) + " ms", x.took < kDeadline);
            if (x.status == 503) {
                CPPUNIT_ASSERT_MESSAGE(x.what + ": 503 without Retry-After", !x.retryAfter.empty());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(x.what, std::string("application/problem+json"), x.contentType);
                CPPUNIT_ASSERT_MESSAGE(x.what + ": a 503 before the database stopped or after every host recovered",
                                       x.endPhase >= 1 && x.phase <= 2);
            }
        }
        std::cout << "\n  " << answers.size() << " requests; every host answered every kind again "
                  << recoveredAfter.count() << " ms after PostgreSQL was back; slowest answer " << slowest.count() << " ms\n  ";
        for (const auto& [key, n] : statuses) std::cout << "phase " << key / 1000 << ": " << n << "x" << key % 1000 << "  ";
        std::cout << "\n";

        // A restart while nobody is asking: the pools still hold connections to the old server, and
        // the first requests afterwards must not be the ones to find out.
        postgres.stop();
        postgres.start();
        for (int h = 0; h < 3; ++h)
            for (const Kind& kind : kinds) {
                const int id = serial++;
                auto headers = kind.headers;
                if (kind.what == "ingest") headers["Idempotency-Key"] = "k" + std::to_string(id);
                auto r = httpCall(hosts[h]->port(), kind.method, kind.path(id), kind.body(id), headers);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(kind.what + " on host " + std::to_string(h) + " after a quiet restart: " + r.body,
                                             kind.ok, r.status);
            }

        // Every route, asked while the database is away: none may answer 500.
        auto routes = a.ops("GET", "/v1/admin/routes").json()->getArray("routes");
        const std::string token = page.substr(3);
        const std::map<std::string, std::string> parameters{
            {"{slug}", "restart"}, {"{org_slug}", "restart"}, {"{id}", "1"}, {"{ref}", "warm"}, {"{token}", token},
            {"{plugin}", "stripe"}, {"{name}", "stripe"}, {"{channel}", "email"}, {"{file}", "console.js"}};
        postgres.stop();
        std::string swept;
        for (unsigned i = 0; i < routes->size(); ++i) {
            auto route = routes->getObject(i);
            const std::string method = route->getValue<std::string>("method");
            std::string path = route->getValue<std::string>("path");
            for (const auto& [name, value] : parameters)
                for (auto at = path.find(name); at != std::string::npos; at = path.find(name))
                    path.replace(at, name.size(), value);
            const std::string access = route->getValue<std::string>("access");
            auto headers = access == "org" ? jsonBearer(key) : access == "ops" ? jsonBearer(a.opsToken)
                                                                                 : std::map<std::string, std::string>{};
            const bool withBody = method == "POST" || method == "PUT" || method == "PATCH";
            if (withBody && access == "public") headers["Content-Type"] = "application/json";
            const auto started = std::chrono::steady_clock::now();
            auto r = httpCall(b.port(), method, path, withBody ? "{}" : "", headers);
            const auto took = std::chrono::steady_clock::now() - started;
            swept += method + " " + path + " " + std::to_string(r.status) + "; ";
            CPPUNIT_ASSERT_MESSAGE(method + " " + path + " answered " + std::to_string(r.status) + ": " + r.body,
                                   r.status < 500 || r.status == 503);
            if (r.status == 503) CPPUNIT_ASSERT_MESSAGE(method + " " + path, !r.header("retry-after").empty());
            CPPUNIT_ASSERT_MESSAGE(method + " " + path, took < kDeadline);
        }
        std::cout << "  while the database was away: " << swept << "\n";
        postgres.start();

        for (int i = 0; i < 3; ++i) {
            CPPUNIT_ASSERT(hosts[i]->process.running());
            CPPUNIT_ASSERT_EQUAL(pids[i], hosts[i]->process.pid());
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CrashSafetyDatabaseRestartTest);
