#include "plugins/PluginRegistry.h"

#include "util/Log.h"

namespace tinko::plugins {

namespace {
const char* kLogger = "tinko.plugins";
}

PluginGeneration::PluginGeneration(std::unique_ptr<PluginHostServices> services, std::unique_ptr<PluginInstance> instance)
    : services_(std::move(services)), instance_(std::move(instance)) {}

PluginGeneration::~PluginGeneration() {
    instance_.reset();   // the plugin's destroy() still uses its services table
    services_.reset();
}

PluginLease::PluginLease(std::shared_ptr<PluginGeneration> generation, PluginRegistry* registry)
    : generation_(std::move(generation)), registry_(registry) {}

PluginLease::PluginLease(PluginLease&& other) noexcept
    : generation_(std::move(other.generation_)), registry_(other.registry_) {}

PluginLease::~PluginLease() {
    if (generation_) registry_->leaseEnded(*generation_);
}

PluginAnswer PluginLease::call(Operation op, const std::string& requestJson) const {
    PluginAnswer answer = generation_->instance_->call(op, requestJson);
    if (registry_->onCall_) registry_->onCall_(*generation_, op, answer);
    return answer;
}

PluginRegistry::PluginRegistry(CallObserver onCall) : onCall_(std::move(onCall)) {
    reaper_ = std::thread([this] { reap(); });
}

PluginRegistry::~PluginRegistry() { shutdown(); }

void PluginRegistry::publish(std::shared_ptr<PluginGeneration> generation) {
    const std::string name = generation->descriptor().name;
    std::shared_ptr<PluginGeneration> previous;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto& slot = active_[name];
        previous = std::move(slot);
        slot = generation;
        if (previous) {
            previous->retired_ = true;
            draining_.push_back(previous);
        }
    }
    log::info(kLogger, "generation published",
              {{"plugin", name}, {"version", generation->descriptor().version},
               {"generation", std::to_string(generation->number())},
               {"replaces", previous ? std::to_string(previous->number()) : "none"}});
    reaperWake_.notify_one();
}

std::optional<PluginLease> PluginRegistry::lease(const std::string& name) {
    std::shared_ptr<PluginGeneration> generation;
    {
        // Counted under the same lock publish() takes, so a generation that publish() retires
        // either has this call counted already or is never handed out again.
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = active_.find(name);
        if (it == active_.end()) return std::nullopt;
        generation = it->second;
        ++generation->inFlight_;
    }
    return PluginLease(std::move(generation), this);
}

void PluginRegistry::leaseEnded(PluginGeneration& generation) {
    if (--generation.inFlight_ == 0 && generation.retired_) reaperWake_.notify_one();
}

std::shared_ptr<const PluginGeneration> PluginRegistry::active(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = active_.find(name);
    return it == active_.end() ? nullptr : it->second;
}

std::vector<GenerationStatus> PluginRegistry::status() const {
    std::vector<GenerationStatus> out;
    auto describe = [&out](const PluginGeneration& g, const char* state) {
        const auto& d = g.descriptor();
        out.push_back({d.name, d.kind, d.version, std::to_string(d.abiMajor) + "." + std::to_string(d.abiMinor),
                       g.sha256(), g.number(), state, g.inFlight(), g.loadedAt(), d.capabilities});
    };
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [name, g] : active_) describe(*g, "active");
    for (const auto& g : draining_) describe(*g, "draining");
    return out;
}

std::size_t PluginRegistry::drainingCount() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return draining_.size();
}

void PluginRegistry::reap() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        reaperWake_.wait_for(lock, std::chrono::milliseconds(200));
        std::vector<std::shared_ptr<PluginGeneration>> drained;
        for (auto it = draining_.begin(); it != draining_.end();) {
            if ((*it)->inFlight() == 0) {
                drained.push_back(std::move(*it));
                it = draining_.erase(it);
            } else {
                ++it;
            }
        }
        if (drained.empty()) continue;
        // Destroy outside the lock: a plugin's destroy() may be slow, and calls must not wait.
        lock.unlock();
        for (auto& g : drained) {
            const std::string name = g->descriptor().name, number = std::to_string(g->number());
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now() -
                                                                                  g->loadedAt()).count();
            g.reset();
            ++destroyed_;
            log::info(kLogger, "drained generation destroyed",
                      {{"plugin", name}, {"generation", number}, {"lived_ms", std::to_string(ms)}});
        }
        lock.lock();
    }
}

void PluginRegistry::shutdown() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        for (auto& [name, g] : active_) {
            g->retired_ = true;
            draining_.push_back(g);
        }
        active_.clear();
    }
    // Let the reaper finish what drains within a bound, then stop it and destroy the rest here.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (drainingCount() > 0 && std::chrono::steady_clock::now() < deadline) {
        reaperWake_.notify_one();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    reaperWake_.notify_one();
    if (reaper_.joinable()) reaper_.join();
    std::lock_guard<std::mutex> lock(mutex_);
    draining_.clear();
}

}  // namespace tinko::plugins
