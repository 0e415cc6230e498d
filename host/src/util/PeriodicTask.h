#pragma once
// Runs a task on its own thread every `interval` until stopped; a task that throws is logged and
// run again next time. stop() wakes the thread at once and waits for the run in hand.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tinko::util {

class PeriodicTask {
public:
    PeriodicTask(std::string name, std::chrono::milliseconds interval, std::function<void()> task);
    ~PeriodicTask() { stop(); }

    void start();
    void stop();

private:
    std::string name_;
    std::chrono::milliseconds interval_;
    std::function<void()> task_;
    bool stopping_ = false;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::thread thread_;
};

}  // namespace tinko::util
