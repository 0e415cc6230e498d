#include "http/Metrics.h"

#include "http/HeaderBytes.h"
#include "util/Utf8.h"

#include <cmath>
#include <sstream>

namespace tinko::http {

std::string escapeLabelValue(const std::string& value) {
    std::string out;
    for (char c : util::toValidUtf8(value)) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

void Metrics::observeRequest(const std::string& method, const std::string& route, int status, double seconds) {
    const std::string base = "method=\"" + methodLabel(method) + "\",route=\"" + escapeLabelValue(route) + "\"";
    const std::string withStatus = base + ",status=\"" + std::to_string(status) + "\"";
    std::lock_guard<std::mutex> lock(mutex_);
    ++requestCounts_[withStatus];
    auto& h = latencies_[base];
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i)
        if (seconds <= kLatencyBuckets[i]) ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
}

void Metrics::setGauge(const std::string& name, const std::string& help, double value) {
    std::lock_guard<std::mutex> lock(mutex_);
    gauges_[name] = Gauge{help, value};
}

void Metrics::addToCounter(const std::string& name, const std::string& help, const std::string& labels, double by) {
    std::lock_guard<std::mutex> lock(mutex_);
    Counter& c = counters_[name];
    if (c.help.empty()) c.help = help;
    c.values[labels] += by;
}

void Metrics::declareCounter(const std::string& name, const std::string& help) {
    std::lock_guard<std::mutex> lock(mutex_);
    Counter& c = counters_[name];
    if (c.help.empty()) c.help = help;
}

void Metrics::addGaugeSource(const std::string& name, const std::string& help, std::function<double()> read) {
    std::lock_guard<std::mutex> lock(mutex_);
    gaugeSources_[name] = GaugeSource{help, std::move(read)};
}

std::string Metrics::render() const {
    std::map<std::string, GaugeSource> sources;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        sources = gaugeSources_;
    }
    std::ostringstream sourced;
    sourced.precision(9);
    for (const auto& [name, source] : sources) {
        const double value = source.read();
        sourced << "# HELP " << name << " " << source.help << "\n# TYPE " << name << " gauge\n" << name << " ";
        if (std::isnan(value)) sourced << "NaN";
        else sourced << value;
        sourced << "\n";
    }
    std::ostringstream out;
    out.precision(9);
    std::lock_guard<std::mutex> lock(mutex_);
    out << "# HELP tinko_http_requests_total HTTP requests answered, by method, route template and status.\n"
        << "# TYPE tinko_http_requests_total counter\n";
    for (const auto& [labels, count] : requestCounts_)
        out << "tinko_http_requests_total{" << labels << "} " << count << "\n";
    out << "# HELP tinko_http_request_duration_seconds Time from request read to response written.\n"
        << "# TYPE tinko_http_request_duration_seconds histogram\n";
    for (const auto& [labels, h] : latencies_) {
        for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i)
            out << "tinko_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kLatencyBuckets[i] << "\"} "
                << h.buckets[i] << "\n";
        out << "tinko_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n";
        out << "tinko_http_request_duration_seconds_sum{" << labels << "} " << h.sum << "\n";
        out << "tinko_http_request_duration_seconds_count{" << labels << "} " << h.count << "\n";
    }
    for (const auto& [name, c] : counters_) {
        out << "# HELP " << name << " " << c.help << "\n# TYPE " << name << " counter\n";
        for (const auto& [labels, value] : c.values)
            out << name << (labels.empty() ? "" : "{" + labels + "}") << " " << value << "\n";
    }
    out << sourced.str();
    for (const auto& [name, g] : gauges_) {
        out << "# HELP " << name << " " << g.help << "\n# TYPE " << name << " gauge\n" << name << " " << g.value << "\n";
    }
    return out.str();
}

}  // namespace tinko::http
