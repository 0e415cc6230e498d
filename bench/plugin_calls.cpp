// What the plugin boundary costs, and what a swap costs under load.
//   1. ns per call: lease + describe through the C ABI, against a direct C++ virtual call doing
//      the same work the plugin does (build the JSON with json.hpp; the SDK's check that an answer
//      is a JSON object), so the difference is the boundary: lease, C call, copies, result setter.
//   2. swaps while 2 threads call without pause: time to prepare (stage, dlopen, check, create,
//      self-check) and to publish, time until the old generation is destroyed, and call rate.
// Usage: tinko-bench-plugin-calls ECHO_V1.so ECHO_V2.so
#include "plugins/PluginLoader.h"
#include "plugins/PluginRegistry.h"
#include "util/Log.h"
#include "tinko/json.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace tinko::plugins;
using Clock = std::chrono::steady_clock;

namespace {
struct Describer {
    virtual ~Describer() = default;
    virtual std::string describe(const std::string& request) = 0;
};
// What test-echo's describe and the SDK's answer check do, without the boundary.
struct DirectDescriber : Describer {
    std::string describe(const std::string&) override {
        using tinko::json::Value;
        std::string answer = Value::object({{"display_name", "Test echo 1.0.0"},
                                            {"operations", Value::array({"classify"})},
                                            {"webhook_events", Value::array()}})
                                 .dump();
        if (!tinko::json::parse(answer).isObject()) answer.clear();
        return answer;
    }
};

double nsPerCall(long calls, Clock::duration elapsed) {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) / calls;
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * (values.size() - 1))];
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s ECHO_V1.so ECHO_V2.so\n", argv[0]);
        return 2;
    }
    tinko::log::configure("warning");
    char stagingTemplate[] = "/tmp/tinko-bench-XXXXXX";
    const std::string staging = mkdtemp(stagingTemplate);
    PluginRegistry registry;
    PluginLoader loader(staging, std::make_shared<Outbound>(OutboundSettings{}), registry);
    registry.publish(loader.prepare(loader.stage(argv[1])));

    // 1. Per-call cost, one thread.
    const long calls = 2'000'000;
    std::string pluginAnswer;
    auto started = Clock::now();
    for (long i = 0; i < calls; ++i) {
        auto lease = registry.lease("test-echo");
        pluginAnswer = lease->call(Operation::Describe, "{}").json;
    }
    const double abiNs = nsPerCall(calls, Clock::now() - started);

    DirectDescriber concrete;
    Describer* direct = &concrete;
    std::string directAnswer;
    started = Clock::now();
    for (long i = 0; i < calls; ++i) {
        directAnswer = direct->describe("{}");
        asm volatile("" : : "g"(&directAnswer) : "memory");   // keep the loop from being folded away
    }
    const double directNs = nsPerCall(calls, Clock::now() - started);
    std::printf("one call, 1 thread, %ld calls, %zu-byte answer:\n", calls, pluginAnswer.size());
    std::printf("  through the plugin ABI (lease + describe + copy): %8.1f ns/call\n", abiNs);
    std::printf("  direct C++ virtual call doing the same work:      %8.1f ns/call\n", directNs);
    std::printf("  boundary overhead:                                 %8.1f ns/call\n\n", abiNs - directNs);

    // 2. Swaps under load.
    std::atomic<bool> stop{false};
    std::atomic<long> served{0}, failed{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < 2; ++t)
        callers.emplace_back([&] {
            while (!stop) {
                auto lease = registry.lease("test-echo");
                if (lease && lease->call(Operation::Classify, R"({"config":{},"code":"x"})").ok) ++served;
                else ++failed;
            }
        });
    std::vector<double> prepareMs, publishUs, drainMs;
    const int swaps = 20;
    const auto loadStarted = Clock::now();
    const long servedBefore = served;
    for (int i = 0; i < swaps; ++i) {
        auto t0 = Clock::now();
        auto generation = loader.prepare(loader.stage(argv[i % 2 == 0 ? 2 : 1]));
        auto t1 = Clock::now();
        const auto destroyedBefore = registry.destroyedCount();
        registry.publish(std::move(generation));
        auto t2 = Clock::now();
        while (registry.destroyedCount() == destroyedBefore) std::this_thread::yield();
        auto t3 = Clock::now();
        prepareMs.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        publishUs.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
        drainMs.push_back(std::chrono::duration<double, std::milli>(t3 - t2).count());
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - loadStarted).count();
    stop = true;
    for (auto& t : callers) t.join();
    std::printf("%d swaps while 2 threads call classify without pause:\n", swaps);
    std::printf("  prepare (stage, dlopen, check, create, self-check): p50 %7.2f ms  max %7.2f ms\n",
                percentile(prepareMs, 0.5), percentile(prepareMs, 1.0));
    std::printf("  publish (the atomic switch):                         p50 %7.2f us  max %7.2f us\n",
                percentile(publishUs, 0.5), percentile(publishUs, 1.0));
    std::printf("  publish -> old generation destroyed (drain+reap):    p50 %7.2f ms  max %7.2f ms\n",
                percentile(drainMs, 0.5), percentile(drainMs, 1.0));
    std::printf("  calls served during the swaps: %ld (%.0f/s), failed: %ld\n", served - servedBefore,
                (served - servedBefore) / seconds, failed.load());
    registry.shutdown();
    std::system(("rm -rf " + staging).c_str());
    return failed == 0 ? 0 : 1;
}
