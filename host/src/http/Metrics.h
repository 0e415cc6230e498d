#pragma once
// Prometheus metrics kept in process and rendered in the text exposition format (version 0.0.4).
// Labels are bounded by construction: routes are templates, never raw paths.
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace tinko::http {

// A counter's name and help text (see http/MetricFamilies.h).
struct CounterFamily {
    const char* name;
    const char* help;
};

class Metrics {
public:
    // Buckets for request latency in seconds.
    static constexpr std::array<double, 12> kLatencyBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                            0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

    // A method that is not one of RFC 9110's is counted as "other" (see http/HeaderBytes.h).
    void observeRequest(const std::string& method, const std::string& route, int status, double seconds);
    void setGauge(const std::string& name, const std::string& help, double value);
    // Adds `by` to counter `name` for one rendered label set, e.g. R"(plugin="stripe",outcome="ok")".
    void addToCounter(const std::string& name, const std::string& help, const std::string& labels, double by = 1);
    // Makes counter `name` known before its first count, so /metrics prints its HELP and TYPE from
    // the start and dashboards and alerts find the family (a family with labels has no sample yet).
    void declareCounter(const std::string& name, const std::string& help);
    void addToCounter(const CounterFamily& family, const std::string& labels, double by = 1) {
        addToCounter(family.name, family.help, labels, by);
    }
    std::string render() const;

    // Gauges whose value is read when metrics are rendered (e.g. how many libraries stayed mapped).
    // They are read outside the lock that request counting takes, so one that queries the database
    // slows the scrape only. NaN (e.g. the database did not answer) is printed as NaN.
    void addGaugeSource(const std::string& name, const std::string& help, std::function<double()> read);

private:
    struct Histogram {
        std::array<unsigned long long, kLatencyBuckets.size()> buckets{};
        unsigned long long count = 0;
        double sum = 0;
    };
    struct Gauge {
        std::string help;
        double value = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::string, unsigned long long> requestCounts_;  // key: rendered label set
    std::map<std::string, Histogram> latencies_;               // key: rendered label set
    std::map<std::string, Gauge> gauges_;
    struct Counter {
        std::string help;
        std::map<std::string, double> values;   // label set -> value
    };
    std::map<std::string, Counter> counters_;
    struct GaugeSource {
        std::string help;
        std::function<double()> read;
    };
    std::map<std::string, GaugeSource> gaugeSources_;
};

// Escapes a label value as the exposition format requires (backslash, quote, newline), and
// replaces bytes that are not UTF-8, which would make the whole scrape unreadable.
std::string escapeLabelValue(const std::string& value);

}  // namespace tinko::http
