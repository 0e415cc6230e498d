#include "util/StartedComponents.h"

#include "util/Log.h"

#include <exception>

namespace tinko::util {

void StartedComponents::start(std::string name, const std::function<void()>& start, std::function<void()> stop) {
    start();
    log::debug("tinko.host", "started", {{"component", name}});
    stops_.emplace_back(std::move(name), std::move(stop));
}

void StartedComponents::stopAll() {
    while (!stops_.empty()) {
        auto [name, stop] = std::move(stops_.back());
        stops_.pop_back();
        try {
            stop();
            log::debug("tinko.host", "stopped", {{"component", name}});
        } catch (const std::exception& e) {
            log::error("tinko.host", "stopping a component failed", {{"component", name}, {"error", e.what()}});
        } catch (...) {
            log::error("tinko.host", "stopping a component failed", {{"component", name}});
        }
    }
}

std::vector<std::string> StartedComponents::running() const {
    std::vector<std::string> names;
    for (const auto& entry : stops_) names.push_back(entry.first);
    return names;
}

}  // namespace tinko::util
