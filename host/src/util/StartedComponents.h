#pragma once
// What the host has started (threads, listeners), stopped in the reverse order of starting: by
// stopAll() on a normal stop, and by the destructor when start-up fails half way. Declared after
// every component whose threads it stops, it is destroyed first, so no started thread ever runs on
// a component that is already gone.
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace tinko::util {

class StartedComponents {
public:
    StartedComponents() = default;
    ~StartedComponents() { stopAll(); }
    StartedComponents(const StartedComponents&) = delete;
    StartedComponents& operator=(const StartedComponents&) = delete;

    // Runs `start`; once it has returned, `stop` is due. A `start` that throws leaves nothing to stop.
    void start(std::string name, const std::function<void()>& start, std::function<void()> stop);
    // Stops everything started, the last first; a stop that throws is logged and the others still stop.
    void stopAll();
    // The names of what is running, in starting order.
    std::vector<std::string> running() const;

private:
    std::vector<std::pair<std::string, std::function<void()>>> stops_;
};

}  // namespace tinko::util
