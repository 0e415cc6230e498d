#include "util/PeriodicTask.h"

#include "util/Log.h"

#include <Poco/Exception.h>

namespace tinko::util {

PeriodicTask::PeriodicTask(std::string name, std::chrono::milliseconds interval, std::function<void()> task)
    : name_(std::move(name)), interval_(interval), task_(std::move(task)) {}

void PeriodicTask::start() {
    thread_ = std::thread([this] {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
            lock.unlock();
            try {
                task_();
            } catch (const Poco::Exception& e) {
                log::warn("tinko.periodic", "task failed; trying again later", {{"task", name_}, {"error", e.displayText()}});
            } catch (const std::exception& e) {
                log::warn("tinko.periodic", "task failed; trying again later", {{"task", name_}, {"error", e.what()}});
            }
            lock.lock();
        }
    });
}

void PeriodicTask::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace tinko::util
