#pragma once
// Open connections per client address, so that one address cannot take every connection thread.
// A connection is admitted when its address holds fewer than the limit; each admitted one must be
// released exactly once (ClientSlot does it when it goes).
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace tinko::http {

class ConnectionsPerClient {
public:
    explicit ConnectionsPerClient(int limit) : limit_(limit) {}

    // Counts one more connection from `address`; false (and nothing counted) at the limit.
    bool admit(const std::string& address);
    void release(const std::string& address);
    int openFrom(const std::string& address) const;
    std::size_t addresses() const;   // addresses with an open connection (none kept at zero)

private:
    const int limit_;
    mutable std::mutex mutex_;
    std::map<std::string, int> open_;
};

// One admitted connection; releases its count when destroyed.
class ClientSlot {
public:
    ClientSlot(ConnectionsPerClient& counts, std::string address)
        : counts_(counts), address_(std::move(address)), admitted_(counts_.admit(address_)) {}
    ~ClientSlot() {
        if (admitted_) counts_.release(address_);
    }
    ClientSlot(const ClientSlot&) = delete;
    ClientSlot& operator=(const ClientSlot&) = delete;
    bool admitted() const { return admitted_; }
    const std::string& address() const { return address_; }

private:
    ConnectionsPerClient& counts_;
    std::string address_;
    bool admitted_;
};

}  // namespace tinko::http
