// http/Metrics: the Prometheus text a scraper reads. Tests look for exact sample lines, since a
// format slip (a missing +Inf bucket, an unescaped quote) makes the whole scrape fail.
#include "http/Metrics.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

using namespace tinko::http;

namespace {
bool hasLine(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l == line) return true;
    return false;
}

std::size_t countLinesStartingWith(const std::string& text, const std::string& prefix) {
    std::istringstream in(text);
    std::size_t n = 0;
    for (std::string l; std::getline(in, l);) n += l.rfind(prefix, 0) == 0;
    return n;
}

const std::string kGetOrg = R"(method="GET",route="/v1/admin/orgs/{slug}")";
}  // namespace

class MetricsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MetricsTest);
    CPPUNIT_TEST(emptyMetricsStillDeclareFamilies);
    CPPUNIT_TEST(counterPerMethodRouteAndStatus);
    CPPUNIT_TEST(histogramBucketsAreCumulative);
    CPPUNIT_TEST(bucketBoundaryIsInclusive);
    CPPUNIT_TEST(histogramIsPerMethodAndRouteNotStatus);
    CPPUNIT_TEST(labelValuesAreEscaped);
    CPPUNIT_TEST(escapeLabelValueCases);
    CPPUNIT_TEST(madeUpMethodsAreCountedAsOther);
    CPPUNIT_TEST(labelValuesAreAlwaysUtf8);
    CPPUNIT_TEST(aCounterWithoutLabelsHasNoBraces);
    CPPUNIT_TEST(gaugesHaveHelpAndType);
    CPPUNIT_TEST(gaugeKeepsLatestValue);
    CPPUNIT_TEST(aDeclaredCounterIsListedBeforeItsFirstCount);
    CPPUNIT_TEST(aGaugeSourceWithoutAnAnswerIsNaN);
    CPPUNIT_TEST(gaugeSourcesAreReadOutsideTheCountingLock);
    CPPUNIT_TEST_SUITE_END();

public:
    void emptyMetricsStillDeclareFamilies() {
        const std::string text = Metrics().render();
        CPPUNIT_ASSERT(hasLine(text, "# TYPE tinko_http_requests_total counter"));
        CPPUNIT_ASSERT(hasLine(text, "# TYPE tinko_http_request_duration_seconds histogram"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countLinesStartingWith(text, "tinko_http_requests_total{"));
        // The exposition format requires the text to end with a newline.
        CPPUNIT_ASSERT_EQUAL('\n', text.back());
    }

    void counterPerMethodRouteAndStatus() {
        Metrics m;
        m.observeRequest("GET", "/v1/admin/orgs/{slug}", 200, 0.001);
        m.observeRequest("GET", "/v1/admin/orgs/{slug}", 200, 0.001);
        m.observeRequest("GET", "/v1/admin/orgs/{slug}", 404, 0.001);
        m.observeRequest("POST", "/v1/admin/orgs", 201, 0.001);
        const std::string text = m.render();
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, "tinko_http_requests_total{" + kGetOrg + ",status=\"200\"} 2"));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, "tinko_http_requests_total{" + kGetOrg + ",status=\"404\"} 1"));
        CPPUNIT_ASSERT_MESSAGE(
            text, hasLine(text, R"(tinko_http_requests_total{method="POST",route="/v1/admin/orgs",status="201"} 1)"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), countLinesStartingWith(text, "tinko_http_requests_total{"));
    }

    void histogramBucketsAreCumulative() {
        Metrics m;
        for (double seconds : {0.0005, 0.003, 0.003, 0.2, 5.0, 30.0})
            m.observeRequest("GET", "/v1/admin/orgs/{slug}", 200, seconds);
        const std::string text = m.render();
        const std::string bucket = "tinko_http_request_duration_seconds_bucket{" + kGetOrg + ",le=";
        // Each bucket counts every observation at or below its bound.
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, bucket + "\"0.001\"} 1"));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, bucket + "\"0.0025\"} 1"));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, bucket + "\"0.005\"} 3"));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, bucket + "\"0.1\"} 3"));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, bucket + "\"0.25\"} 4"));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, bucket + "\"2.5\"} 4"));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, bucket + "\"10\"} 5"));
        // +Inf holds everything, including the 30 s request above the largest bound, and equals _count.
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, bucket + "\"+Inf\"} 6"));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, "tinko_http_request_duration_seconds_count{" + kGetOrg + "} 6"));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, "tinko_http_request_duration_seconds_sum{" + kGetOrg + "} 35.2065"));
        // Every configured bound plus +Inf.
        CPPUNIT_ASSERT_EQUAL(Metrics::kLatencyBuckets.size() + 1, countLinesStartingWith(text, bucket));
    }

    void bucketBoundaryIsInclusive() {
        // Prometheus buckets are "less than or equal": 0.1 s lands in le="0.1".
        Metrics m;
        m.observeRequest("GET", "/healthz", 200, 0.1);
        const std::string text = m.render();
        const std::string bucket = R"(tinko_http_request_duration_seconds_bucket{method="GET",route="/healthz",le=)";
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, bucket + "\"0.05\"} 0"));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, bucket + "\"0.1\"} 1"));
    }

    void histogramIsPerMethodAndRouteNotStatus() {
        // Status is a counter label only, keeping the number of histogram series small.
        Metrics m;
        m.observeRequest("GET", "/healthz", 200, 0.01);
        m.observeRequest("GET", "/healthz", 503, 0.01);
        const std::string text = m.render();
        CPPUNIT_ASSERT_MESSAGE(
            text, hasLine(text, R"(tinko_http_request_duration_seconds_count{method="GET",route="/healthz"} 2)"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countLinesStartingWith(text, "tinko_http_request_duration_seconds_count{"));
    }

    void labelValuesAreEscaped() {
        Metrics m;
        m.observeRequest("GET", "a\"b\\c\nd", 200, 0.01);
        const std::string text = m.render();
        CPPUNIT_ASSERT_MESSAGE(text,
                               hasLine(text, R"(tinko_http_requests_total{method="GET",route="a\"b\\c\nd",status="200"} 1)"));
    }

    void escapeLabelValueCases() {
        CPPUNIT_ASSERT_EQUAL(std::string("plain/{x}"), escapeLabelValue("plain/{x}"));
        CPPUNIT_ASSERT_EQUAL(std::string("\\\""), escapeLabelValue("\""));
        CPPUNIT_ASSERT_EQUAL(std::string("\\\\"), escapeLabelValue("\\"));
        CPPUNIT_ASSERT_EQUAL(std::string("\\n"), escapeLabelValue("\n"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), escapeLabelValue(""));
    }

    void madeUpMethodsAreCountedAsOther() {
        Metrics m;
        for (int i = 0; i < 5000; ++i) m.observeRequest("M" + std::to_string(i), "unmatched", 501, 0.001);
        m.observeRequest("\xFF\xFE", "unmatched", 501, 0.001);
        const std::string text = m.render();
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, R"(tinko_http_requests_total{method="other",route="unmatched",status="501"} 5001)"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countLinesStartingWith(text, "tinko_http_requests_total{"));
        CPPUNIT_ASSERT(text.size() < 4096);
    }

    void labelValuesAreAlwaysUtf8() {
        CPPUNIT_ASSERT_EQUAL(std::string("a\xEF\xBF\xBD" "b"), escapeLabelValue("a\xFF" "b"));
        Metrics m;
        m.addToCounter("tinko_x_total", "x", "status=\"" + escapeLabelValue("bad\xC3") + "\"");
        CPPUNIT_ASSERT(hasLine(m.render(), "tinko_x_total{status=\"bad\xEF\xBF\xBD\"} 1"));
    }

    void aCounterWithoutLabelsHasNoBraces() {
        Metrics m;
        m.addToCounter("tinko_y_total", "y", "", 3);
        CPPUNIT_ASSERT(hasLine(m.render(), "tinko_y_total 3"));
    }

    void gaugesHaveHelpAndType() {
        Metrics m;
        m.setGauge("tinko_db_pool_in_use", "Sessions currently borrowed from the pool.", 3);
        m.setGauge("tinko_ready", "1 when /readyz passes.", 1);
        const std::string text = m.render();
        CPPUNIT_ASSERT(hasLine(text, "# HELP tinko_db_pool_in_use Sessions currently borrowed from the pool."));
        CPPUNIT_ASSERT(hasLine(text, "# TYPE tinko_db_pool_in_use gauge"));
        CPPUNIT_ASSERT(hasLine(text, "tinko_db_pool_in_use 3"));
        CPPUNIT_ASSERT(hasLine(text, "# HELP tinko_ready 1 when /readyz passes."));
        CPPUNIT_ASSERT(hasLine(text, "# TYPE tinko_ready gauge"));
        CPPUNIT_ASSERT(hasLine(text, "tinko_ready 1"));
        // HELP and TYPE come before the sample.
        CPPUNIT_ASSERT(text.find("# TYPE tinko_ready gauge") < text.find("\ntinko_ready 1"));
    }

    void gaugeKeepsLatestValue() {
        Metrics m;
        m.setGauge("tinko_queue_depth", "Jobs waiting.", 5);
        m.setGauge("tinko_queue_depth", "Jobs waiting.", 0.5);
        const std::string text = m.render();
        CPPUNIT_ASSERT(hasLine(text, "tinko_queue_depth 0.5"));
        CPPUNIT_ASSERT(!hasLine(text, "tinko_queue_depth 5"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countLinesStartingWith(text, "# TYPE tinko_queue_depth"));
    }

    // Dashboards and alerts name each family; one with labels prints no sample until counted.
    void aDeclaredCounterIsListedBeforeItsFirstCount() {
        Metrics m;
        m.declareCounter("tinko_things_total", "Things, by kind.");
        std::string text = m.render();
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, "# HELP tinko_things_total Things, by kind."));
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, "# TYPE tinko_things_total counter"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), countLinesStartingWith(text, "tinko_things_total{"));
        m.addToCounter("tinko_things_total", "Things, by kind.", R"(kind="a")");
        text = m.render();
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, R"(tinko_things_total{kind="a"} 1)"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), countLinesStartingWith(text, "# TYPE tinko_things_total"));
    }

    void aGaugeSourceWithoutAnAnswerIsNaN() {
        Metrics m;
        m.addGaugeSource("tinko_lag_seconds", "Lag.", [] { return std::nan(""); });
        const std::string text = m.render();
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, "tinko_lag_seconds NaN"));
    }

    // A source that queries the database may take a while; requests are counted meanwhile.
    void gaugeSourcesAreReadOutsideTheCountingLock() {
        Metrics m;
        m.addGaugeSource("tinko_slow", "A slow source.", [&m] {
            m.observeRequest("GET", "/healthz", 200, 0.001);   // would deadlock under the lock
            return 1.0;
        });
        const std::string text = m.render();
        CPPUNIT_ASSERT_MESSAGE(text, hasLine(text, "tinko_slow 1"));
        const std::string again = m.render();   // reads the source again first: the second count shows
        CPPUNIT_ASSERT_MESSAGE(again, hasLine(again, R"(tinko_http_requests_total{method="GET",route="/healthz",status="200"} 2)"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MetricsTest);
