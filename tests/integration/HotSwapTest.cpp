// Hot swap in process, with real plugin libraries: callers on many threads never see a failure
// while versions change under them, each call is answered by exactly one generation, a slow call
// keeps its generation alive until it returns, and every replaced generation is destroyed.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include "plugins/PluginLoader.h"
#include "plugins/PluginRegistry.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace tinko;
using namespace tinko::plugins;
using namespace tinko::test;

namespace {
const std::string kClassify = R"({"config":{},"code":"card_declined"})";

struct Answered {
    std::uint64_t generation;
    std::string version;
    long long instance;
};

Answered parseAnswer(const PluginLease& lease, const PluginAnswer& answer) {
    Poco::JSON::Parser parser;
    auto json = parser.parse(answer.json).extract<Poco::JSON::Object::Ptr>();
    return {lease.generation().number(), json->getValue<std::string>("version"), json->getValue<long long>("instance")};
}
}  // namespace

class HotSwapTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HotSwapTest);
    CPPUNIT_TEST(callersNeverFailWhileVersionsChange);
    CPPUNIT_TEST(aSlowCallKeepsItsGenerationUntilItReturns);
    CPPUNIT_TEST(aThrowingCallIsAnErrorAndTheNextCallWorks);
    CPPUNIT_TEST(aPluginThatThrowsInCreateIsRefused);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TempDir> staging_;
    std::unique_ptr<PluginRegistry> registry_;
    std::unique_ptr<PluginLoader> loader_;
    std::uint64_t activations_ = 0;

public:
    void setUp() override {
        staging_ = std::make_unique<TempDir>();
        registry_ = std::make_unique<PluginRegistry>();
        loader_ = std::make_unique<PluginLoader>(staging_->path(), std::make_shared<Outbound>(OutboundSettings{}), *registry_);
    }

    void tearDown() override {
        registry_->shutdown();
        loader_.reset();
        registry_.reset();
        staging_.reset();
    }

    // Numbered 1, 2, ... as the activation rows the manager would record for them.
    std::shared_ptr<PluginGeneration> prepare(const char* file) {
        auto generation = loader_->prepare(loader_->stage(file));
        generation->assignActivation(++activations_);
        return generation;
    }

    void callersNeverFailWhileVersionsChange() {
        registry_->publish(prepare(TINKO_TEST_PLUGIN_ECHO_V1));
        std::atomic<bool> stop{false};
        std::atomic<long> calls{0}, failures{0};
        std::mutex seenMutex;
        std::vector<Answered> seen;
        std::vector<std::thread> callers;
        for (int t = 0; t < 6; ++t)
            callers.emplace_back([&] {
                std::vector<Answered> mine;
                while (!stop) {
                    auto lease = registry_->lease("test-echo");
                    if (!lease) {
                        ++failures;
                        continue;
                    }
                    auto answer = lease->call(Operation::Classify, kClassify);
                    if (!answer.ok) ++failures;
                    else mine.push_back(parseAnswer(*lease, answer));
                    ++calls;
                }
                std::lock_guard<std::mutex> lock(seenMutex);
                seen.insert(seen.end(), mine.begin(), mine.end());
            });

        const int swaps = 12;
        for (int i = 0; i < swaps; ++i) {
            registry_->publish(prepare(i % 2 == 0 ? TINKO_TEST_PLUGIN_ECHO_V2 : TINKO_TEST_PLUGIN_ECHO_V1));
            const long before = calls;
            CPPUNIT_ASSERT(waitUntil([&] { return calls > before + 300; }, 10s));  // traffic on the new generation
        }
        stop = true;
        for (auto& t : callers) t.join();

        CPPUNIT_ASSERT_EQUAL(0L, failures.load());
        CPPUNIT_ASSERT(seen.size() > 3000);
        // Exactly one generation answered each call: the version and the instance a call saw
        // are those of the generation its lease named, and each generation had one instance.
        std::map<std::uint64_t, std::set<long long>> instancesByGeneration;
        std::map<std::uint64_t, std::set<std::string>> versionsByGeneration;
        for (const auto& a : seen) {
            instancesByGeneration[a.generation].insert(a.instance);
            versionsByGeneration[a.generation].insert(a.version);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(swaps + 1), instancesByGeneration.size());
        for (const auto& [generation, instances] : instancesByGeneration) {
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), instances.size());
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), versionsByGeneration[generation].size());
            const std::string expected = generation % 2 == 1 ? "1.0.0" : "2.0.0";   // generation 1 is v1
            CPPUNIT_ASSERT_EQUAL(expected, *versionsByGeneration[generation].begin());
        }
        // Every replaced generation drained and was destroyed.
        CPPUNIT_ASSERT(waitUntil([&] { return registry_->destroyedCount() == swaps; }, 10s));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry_->drainingCount());
    }

    void aSlowCallKeepsItsGenerationUntilItReturns() {
        registry_->publish(prepare(TINKO_TEST_PLUGIN_ECHO_V1));
        std::optional<Answered> slow;
        std::thread caller([&] {
            auto lease = registry_->lease("test-echo");
            auto answer = lease->call(Operation::Classify, R"({"config":{},"code":"x","sleep_ms":1500})");
            if (answer.ok) slow = parseAnswer(*lease, answer);
        });
        CPPUNIT_ASSERT(waitUntil([&] { return registry_->active("test-echo")->inFlight() == 1; }, 5s));

        registry_->publish(prepare(TINKO_TEST_PLUGIN_ECHO_V2));
        // New calls go to v2 at once, while v1 still serves the slow call.
        auto lease = registry_->lease("test-echo");
        auto answer = lease->call(Operation::Classify, kClassify);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), parseAnswer(*lease, answer).version);
        auto status = registry_->status();
        bool v1Draining = false;
        for (const auto& s : status) v1Draining = v1Draining || (s.version == "1.0.0" && s.state == "draining" && s.inFlight == 1);
        CPPUNIT_ASSERT(v1Draining);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), registry_->destroyedCount());

        caller.join();
        CPPUNIT_ASSERT(slow.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), slow->version);
        CPPUNIT_ASSERT(waitUntil([&] { return registry_->destroyedCount() == 1; }, 5s));
    }

    void aThrowingCallIsAnErrorAndTheNextCallWorks() {
        registry_->publish(prepare(TINKO_TEST_PLUGIN_THROWS_IN_CALL));
        auto lease = registry_->lease(registry_->status().front().name);
        auto answer = lease->call(Operation::Classify, kClassify);
        CPPUNIT_ASSERT(!answer.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INTERNAL, answer.error.category);
        CPPUNIT_ASSERT_MESSAGE(answer.error.message, !answer.error.message.empty());
        CPPUNIT_ASSERT(lease->call(Operation::Describe, "{}").ok);
    }

    void aPluginThatThrowsInCreateIsRefused() {
        std::string why;
        try {
            prepare(TINKO_TEST_PLUGIN_THROWS_IN_CREATE);
        } catch (const PluginLoadError& e) {
            why = e.what();
        }
        CPPUNIT_ASSERT_MESSAGE(why, why.find("the plugin refused to start") != std::string::npos);
        CPPUNIT_ASSERT(registry_->status().empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HotSwapTest);
