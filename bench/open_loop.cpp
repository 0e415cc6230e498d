// Open-loop load for bench/ingest.sh: POSTs failed-payment events at a fixed offered rate, each
// to a new transaction, over keep-alive connections. Request k is due at start + k / rate; its
// latency counts from that due time, not from when a connection was free, so a slow server shows
// as latency instead of as a lower rate (no coordinated omission, as wrk2 does).
// Usage: tinko-bench-open-loop HOST PORT API_KEY RATE SECONDS [CONNECTIONS, default 64: the host lets one address hold 64]
// Prints: offered, done, errors, achieved rate, p50, p99, p99.9 and max in ms.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr, "usage: %s HOST PORT API_KEY RATE SECONDS [CONNECTIONS]\n", argv[0]);
        return 2;
    }
    const std::string host = argv[1], key = argv[3];
    const auto port = static_cast<Poco::UInt16>(std::atoi(argv[2]));
    const double rate = std::atof(argv[4]), seconds = std::atof(argv[5]);
    const int connections = argc > 6 ? std::atoi(argv[6]) : 64;
    const long total = static_cast<long>(rate * seconds);
    const std::string prefix = "ol-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "-";

    std::atomic<long> next{0}, errors{0};
    std::mutex mutex;
    std::vector<double> latencies;
    latencies.reserve(static_cast<std::size_t>(total));
    const auto start = Clock::now() + std::chrono::milliseconds(100);
    auto worker = [&] {
        Poco::Net::HTTPClientSession session(host, port);
        session.setKeepAlive(true);
        session.setTimeout(Poco::Timespan(30, 0));
        std::vector<double> mine;
        for (long k = next++; k < total; k = next++) {
            const auto due = start + std::chrono::nanoseconds(static_cast<long long>(k * 1e9 / rate));
            std::this_thread::sleep_until(due);
            const std::string body = "{\"transaction_ref\":\"" + prefix + std::to_string(k) +
                                     "\",\"amount\":1999,\"currency\":\"USD\",\"decline_code\":\"insufficient_funds\","
                                     "\"customer\":{\"email\":\"ann@example.com\"}}";
            try {
                Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/v1/events/payment_failed",
                                               Poco::Net::HTTPMessage::HTTP_1_1);
                request.set("Authorization", "Bearer " + key);
                request.setContentType("application/json");
                request.setContentLength(static_cast<std::streamsize>(body.size()));
                request.setKeepAlive(true);
                session.sendRequest(request) << body;
                Poco::Net::HTTPResponse response;
                std::string answer;
                Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
                if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_CREATED) {
                    if (errors++ == 0) std::fprintf(stderr, "first error: %d %s\n", response.getStatus(), answer.c_str());
                }
            } catch (const std::exception& e) {
                if (errors++ == 0) std::fprintf(stderr, "first error: %s\n", e.what());
                session.reset();
            }
            mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - due).count());
        }
        std::lock_guard<std::mutex> lock(mutex);
        latencies.insert(latencies.end(), mine.begin(), mine.end());
    };
    std::vector<std::thread> threads;
    for (int i = 0; i < connections; ++i) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

    std::sort(latencies.begin(), latencies.end());
    auto pct = [&](double p) {
        if (latencies.empty()) return 0.0;
        return latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(p / 100.0 * latencies.size()))];
    };
    std::printf("offered %.0f/s for %.0f s over %d connections: %zu done, %ld errors, %.0f/s achieved; "
                "latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms\n",
                rate, seconds, connections, latencies.size(), errors.load(), latencies.size() / elapsed, pct(50),
                pct(99), pct(99.9), latencies.empty() ? 0.0 : latencies.back());
    return 0;
}
