#include "http/ConnectionsPerClient.h"

namespace tinko::http {

bool ConnectionsPerClient::admit(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    int& open = open_[address];
    if (open >= limit_) {
        if (open == 0) open_.erase(address);
        return false;
    }
    ++open;
    return true;
}

void ConnectionsPerClient::release(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = open_.find(address);
    if (it == open_.end()) return;
    if (--it->second <= 0) open_.erase(it);
}

int ConnectionsPerClient::openFrom(const std::string& address) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = open_.find(address);
    return it == open_.end() ? 0 : it->second;
}

std::size_t ConnectionsPerClient::addresses() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_.size();
}

}  // namespace tinko::http
