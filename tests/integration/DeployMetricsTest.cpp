// Issue 17 item 3: the alerting rules (deploy/prometheus/tinko-alerts.yml) and the dashboard
// (deploy/grafana/tinko-dashboard.json) name only metrics a running host exports, and the two
// gauges added for them tell the truth: tinko_ready follows /readyz, and
// tinko_scheduler_oldest_due_step_age_seconds is the wait of the step due longest that the
// scheduler could claim (measured in PostgreSQL at each scrape).
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace tinko;
using namespace tinko::test;

namespace {
std::string fileText(const std::string& relative) {
    std::ifstream in(std::string(TINKO_SOURCE_DIR) + "/" + relative);
    if (!in) throw std::runtime_error("cannot read " + relative);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Each family /metrics declares (`# TYPE name kind`), with its kind.
std::map<std::string, std::string> exportedFamilies(const std::string& scrape) {
    std::map<std::string, std::string> families;
    static const std::regex type(R"(^# TYPE (\S+) (\S+)$)");
    std::istringstream in(scrape);
    std::smatch m;
    for (std::string line; std::getline(in, line);)
        if (std::regex_match(line, m, type)) families[m[1]] = m[2];
    return families;
}

// The value of the sample `name` (a family without labels), or NaN when it is not there.
double sampleValue(const std::string& scrape, const std::string& name) {
    std::istringstream in(scrape);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
    return std::nan("");
}

// The `tinko_...` names a file uses; a histogram's series (_bucket, _sum, _count) count as the family.
std::set<std::string> namesUsedIn(const std::string& text, const std::map<std::string, std::string>& families) {
    std::set<std::string> used;
    static const std::regex name(R"(\btinko_[a-z0-9_]+)");
    for (std::sregex_iterator it(text.begin(), text.end(), name), end; it != end; ++it) {
        std::string n = it->str();
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
            const std::string s(suffix);
            if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0) {
                const std::string base = n.substr(0, n.size() - s.size());
                auto family = families.find(base);
                if (family != families.end() && family->second == "histogram") n = base;
            }
        }
        used.insert(n);
    }
    return used;
}
}  // namespace

class DeployMetricsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DeployMetricsTest);
    CPPUNIT_TEST(everyMetricTheRulesAndTheDashboardUseIsExported);
    CPPUNIT_TEST(readinessIsAGauge);
    CPPUNIT_TEST(schedulerLagIsTheOldestClaimableStepsWait);
    CPPUNIT_TEST_SUITE_END();

public:
    // A fresh host that has counted nothing yet still lists every family (counters with labels
    // print no sample until their first count, so their HELP and TYPE must be there from the start).
    void everyMetricTheRulesAndTheDashboardUseIsExported() {
        TestHost host(Env{{"TINKO_REDIS_URL", testRedisUrl()}});
        const HttpResult scrape = host.ops("GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL(200, scrape.status);
        const auto families = exportedFamilies(scrape.body);
        for (const char* file : {"deploy/prometheus/tinko-alerts.yml", "deploy/grafana/tinko-dashboard.json"}) {
            const auto used = namesUsedIn(fileText(file), families);
            CPPUNIT_ASSERT_MESSAGE(file, used.size() >= 7);
            std::string missing;
            for (const auto& n : used)
                if (!families.count(n)) missing += " " + n;
            CPPUNIT_ASSERT_MESSAGE(std::string(file) + " uses metrics /metrics does not export:" + missing + "\n" + scrape.body,
                                   missing.empty());
        }
        // `up` is Prometheus's own (one per scrape target); the host-down alert uses it by job name.
        CPPUNIT_ASSERT(fileText("deploy/prometheus/tinko-alerts.yml").find(R"(up{job="tinko"} == 0)") != std::string::npos);
    }

    void readinessIsAGauge() {
        TestHost host;
        const HttpResult scrape = host.ops("GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "GET", "/readyz").status);
        CPPUNIT_ASSERT(scrape.body.find("# TYPE tinko_ready gauge\ntinko_ready 1\n") != std::string::npos);
    }

    // With no scheduler on the host (workers 0), steps stay where the test puts them.
    void schedulerLagIsTheOldestClaimableStepsWait() {
        TestHost host(Env{{"TINKO_SCHEDULER_WORKERS", "0"}});
        host.createOrgWithKey("lag-org");
        store::PgConnection db(host.databaseUrl);
        const std::string org = *db.query("SELECT id::text FROM orgs WHERE slug = 'lag-org'").at(0)[0];
        auto recovery = [&](const std::string& ref) {
            const std::string tx = *db.queryNullable("INSERT INTO transactions (org_id, ref, amount, currency)"
                                                     " VALUES ($1::bigint, $2, 1999, 'USD') RETURNING id::text",
                                                     {org, ref}).at(0)[0];
            return *db.queryNullable("INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy)"
                                     " VALUES ($1::bigint, $2::bigint, 'active', 'insufficient_funds', 'soft', '{}')"
                                     " RETURNING id::text", {org, tx}).at(0)[0];
        };
        auto step = [&](const std::string& rec, int sequence, const std::string& dueIn, const std::string& state,
                        const std::string& leaseIn) {
            db.queryNullable("INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state, lease_until)"
                             " VALUES ($1::bigint, $2::bigint, $3::int, false, 'email', now() + $4::interval, $5,"
                             "         now() + $6::interval)",
                             {rec, org, std::to_string(sequence), dueIn, state, leaseIn});
        };
        auto lag = [&] { return sampleValue(host.ops("GET", "/metrics").body, "tinko_scheduler_oldest_due_step_age_seconds"); };

        CPPUNIT_ASSERT_EQUAL(0.0, lag());
        // Not waiting: a step due an hour ago behind its recovery's first step (put off by a retry
        // until tomorrow), and a step not due yet.
        const std::string behind = recovery("lag-behind");
        step(behind, 1, "1 day", "pending", "0 s");
        step(behind, 2, "-1 hour", "pending", "0 s");
        step(recovery("lag-later"), 1, "10 minutes", "pending", "0 s");
        CPPUNIT_ASSERT_EQUAL(0.0, lag());
        // Waiting: a step due 10 minutes ago.
        step(recovery("lag-due"), 1, "-10 minutes", "pending", "0 s");
        double seconds = lag();
        CPPUNIT_ASSERT_MESSAGE(std::to_string(seconds), seconds >= 600 && seconds < 660);
        // Longer: a running step whose host died, its lease over for 20 minutes.
        step(recovery("lag-dead-host"), 1, "-30 minutes", "running", "-20 minutes");
        seconds = lag();
        CPPUNIT_ASSERT_MESSAGE(std::to_string(seconds), seconds >= 1200 && seconds < 1260);
        // A running step whose lease holds is not waiting.
        step(recovery("lag-running"), 1, "-2 hours", "running", "5 minutes");
        seconds = lag();
        CPPUNIT_ASSERT_MESSAGE(std::to_string(seconds), seconds >= 1200 && seconds < 1260);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeployMetricsTest);
