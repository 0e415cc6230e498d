#pragma once
// The embedded default: a private PostgreSQL cluster under the data directory, created on first
// start with Debian's server binaries, started and stopped with the host. It listens on a Unix
// socket only, in a directory only its owner can enter, so nothing else on the machine reaches it.
#include "store/DatabaseSettings.h"

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

// The group that must be able to traverse the data directory to reach the cluster in it: the
// postgres user's group when the host runs as root (the cluster then runs as that user), else none.
std::optional<gid_t> embeddedClusterGroup();

class EmbeddedPostgres {
public:
    explicit EmbeddedPostgres(EmbeddedPostgresSettings settings);
    ~EmbeddedPostgres();

    // Creates the cluster if needed, starts it (or adopts one left running by a crashed host),
    // waits until it accepts connections, and creates the database. Throws with the reason.
    void start();
    void stop();
    bool running() const;

    std::string connectionString() const;
    const std::string& clusterDir() const { return clusterDir_; }

private:
    std::vector<std::string> asClusterOwner(std::vector<std::string> args) const;
    void prepareDirectories();
    std::string tool(const std::string& name) const;

    EmbeddedPostgresSettings settings_;
    std::string clusterDir_;
    std::string socketDir_;
    bool startedByUs_ = false;
};

}  // namespace tinko::store
