#pragma once
// Hot swap by generations. The registry holds one active generation per plugin name. A call takes
// a lease on the generation that is active when it starts and keeps it to the end, so a swap never
// unloads code under a caller: publishing makes the new generation active for new calls at once,
// and the old one drains; a reaper thread destroys it after its last lease and unloads its library.
#include "plugins/HostServices.h"
#include "plugins/PluginInstance.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tinko::plugins {

// One loaded version of a plugin: its services table, library and instance, for its whole life.
class PluginGeneration {
public:
    PluginGeneration(std::unique_ptr<PluginHostServices> services, std::unique_ptr<PluginInstance> instance);
    ~PluginGeneration();

    // Its generation number: the id of the plugin_activations row it obeys, so every host and
    // every restart names one activation by one number (0 until assigned, before publishing).
    std::uint64_t number() const { return number_; }
    void assignActivation(std::uint64_t activationId) { number_ = activationId; }
    const PluginInstance& instance() const { return *instance_; }
    const PluginDescriptor& descriptor() const { return instance_->descriptor(); }
    // Its declared provider and checkout hosts (describe's "egress" and "checkout_hosts").
    const PluginEgress& egress() const { return services_->declared(); }
    const std::string& sha256() const { return instance_->library().file().sha256; }
    std::chrono::system_clock::time_point loadedAt() const { return loadedAt_; }
    long inFlight() const { return inFlight_.load(); }
    bool retired() const { return retired_.load(); }

private:
    friend class PluginRegistry;
    friend class PluginLease;

    std::uint64_t number_ = 0;
    std::unique_ptr<PluginHostServices> services_;   // the table the instance was given
    std::unique_ptr<PluginInstance> instance_;   // destroyed before services_
    std::chrono::system_clock::time_point loadedAt_ = std::chrono::system_clock::now();
    std::atomic<long> inFlight_{0};
    std::atomic<bool> retired_{false};
};

class PluginRegistry;

// The right to call one generation; hold it for the duration of a call (or a few related calls).
class PluginLease {
public:
    PluginLease(std::shared_ptr<PluginGeneration> generation, PluginRegistry* registry);
    ~PluginLease();
    PluginLease(PluginLease&& other) noexcept;
    PluginLease(const PluginLease&) = delete;
    PluginLease& operator=(const PluginLease&) = delete;
    PluginLease& operator=(PluginLease&&) = delete;

    PluginAnswer call(Operation op, const std::string& requestJson) const;
    const PluginGeneration& generation() const { return *generation_; }

private:
    std::shared_ptr<PluginGeneration> generation_;
    PluginRegistry* registry_;
};

struct GenerationStatus {
    std::string name;
    PluginKind kind;
    std::string version;
    std::string abi;            // "1.0"
    std::string sha256;
    std::uint64_t generation;
    std::string state;          // "active" or "draining"
    long inFlight;
    std::chrono::system_clock::time_point loadedAt;
    std::vector<std::string> capabilities;
};

class PluginRegistry {
public:
    // `onCall(generation, op, answer)` observes every call (metrics); may be empty.
    using CallObserver = std::function<void(const PluginGeneration&, Operation, const PluginAnswer&)>;
    explicit PluginRegistry(CallObserver onCall = {});
    ~PluginRegistry();

    // Makes `generation` the active one for its name; the previous one (if any) starts draining.
    void publish(std::shared_ptr<PluginGeneration> generation);

    // A lease on the active generation of `name`, or nullopt when no such plugin is loaded.
    std::optional<PluginLease> lease(const std::string& name);

    // The active generation of `name`, for inspection (not for calls: take a lease).
    std::shared_ptr<const PluginGeneration> active(const std::string& name) const;

    std::vector<GenerationStatus> status() const;
    std::size_t drainingCount() const;
    std::uint64_t destroyedCount() const { return destroyed_.load(); }

    // Destroys every generation (waiting for in-flight calls); for the end of the process.
    void shutdown();

private:
    friend class PluginLease;
    void leaseEnded(PluginGeneration& generation);
    void reap();

    CallObserver onCall_;
    std::atomic<std::uint64_t> destroyed_{0};

    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<PluginGeneration>> active_;
    std::vector<std::shared_ptr<PluginGeneration>> draining_;
    std::condition_variable reaperWake_;
    bool stopping_ = false;
    std::thread reaper_;
};

}  // namespace tinko::plugins
