#include "store/EmbeddedPostgres.h"

#include "security/SecretTokens.h"
#include "store/PgConnection.h"
#include "util/Log.h"
#include "util/PrivateFiles.h"
#include "util/Subprocess.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <glob.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace tinko::store {

namespace {
const char* kLogger = "tinko.store.embedded";
const char* kServiceUser = "postgres";  // initdb and postgres refuse to run as root

bool runningAsRoot() { return geteuid() == 0; }

std::string newestPostgresBinDir() {
    glob_t found{};
    std::vector<std::string> dirs;
    if (glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &found) == 0)
        for (size_t i = 0; i < found.gl_pathc; ++i) dirs.emplace_back(Poco::Path(found.gl_pathv[i]).parent().toString());
    globfree(&found);
    if (dirs.empty())
        throw std::runtime_error("no PostgreSQL server binaries found under /usr/lib/postgresql/*/bin "
                                 "(apt-get install postgresql-15), or set TINKO_DATABASE_URL");
    std::sort(dirs.begin(), dirs.end(), [](const std::string& a, const std::string& b) {
        return std::stoi(Poco::Path(a).directory(3)) < std::stoi(Poco::Path(b).directory(3));
    });
    return dirs.back();
}

passwd* serviceUser() {
    passwd* pw = getpwnam(kServiceUser);
    if (!pw) throw std::runtime_error("running as root needs the 'postgres' user (apt-get install postgresql-15)");
    return pw;
}

void chownToServiceUser(const std::string& path) {
    passwd* pw = serviceUser();
    if (chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0)
        throw std::runtime_error("cannot hand " + path + " to the postgres user");
}
}  // namespace

std::optional<gid_t> embeddedClusterGroup() {
    if (!runningAsRoot()) return std::nullopt;
    return serviceUser()->pw_gid;
}

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresSettings settings) : settings_(std::move(settings)) {
    Poco::Path data(settings_.dataDir);
    data.makeAbsolute();
    clusterDir_ = Poco::Path(data, "postgres").toString();
    socketDir_ = Poco::Path(data, "postgres-run").toString();
    // A Unix socket path is limited to 107 bytes; fall back to a short private directory.
    if (socketDir_.size() + sizeof("/.s.PGSQL.5432") > 100)
        socketDir_ = "/tmp/tinko-pg-" + security::sha256Hex(clusterDir_).substr(0, 16);
    if (settings_.binDir.empty()) settings_.binDir = newestPostgresBinDir();
}

EmbeddedPostgres::~EmbeddedPostgres() {
    try {
        if (startedByUs_) stop();
    } catch (...) {
    }
}

std::string EmbeddedPostgres::tool(const std::string& name) const { return settings_.binDir + "/" + name; }

std::vector<std::string> EmbeddedPostgres::asClusterOwner(std::vector<std::string> args) const {
    if (!runningAsRoot()) return args;
    std::vector<std::string> wrapped{"/usr/sbin/runuser", "-u", kServiceUser, "--"};
    wrapped.insert(wrapped.end(), args.begin(), args.end());
    return wrapped;
}

void EmbeddedPostgres::prepareDirectories() {
    util::ensurePrivateDirectory(settings_.dataDir, embeddedClusterGroup());
    for (const auto& dir : {clusterDir_, socketDir_}) {
        Poco::File(dir).createDirectories();
        chmod(dir.c_str(), 0700);
        if (runningAsRoot()) chownToServiceUser(dir);
    }
    if (runningAsRoot()) {
        auto probe = util::runCommand(asClusterOwner({"/usr/bin/test", "-w", clusterDir_}));
        if (probe.exitCode != 0)
            throw std::runtime_error("the postgres user cannot reach " + clusterDir_ +
                                     ": make every parent directory of TINKO_DATA_DIR traversable (chmod o+x), "
                                     "choose another TINKO_DATA_DIR, or set TINKO_DATABASE_URL");
    }
}

bool EmbeddedPostgres::running() const {
    if (!Poco::File(clusterDir_ + "/PG_VERSION").exists()) return false;
    return util::runCommand(asClusterOwner({tool("pg_ctl"), "-D", clusterDir_, "status"})).exitCode == 0;
}

void EmbeddedPostgres::start() {
    prepareDirectories();
    if (!Poco::File(clusterDir_ + "/PG_VERSION").exists()) {
        log::info(kLogger, "creating the embedded PostgreSQL cluster", {{"dir", clusterDir_}});
        std::vector<std::string> initdb{tool("initdb"), "-D", clusterDir_, "-U", "postgres", "-A", "trust",
                                        "-E", "UTF8", "--locale=C.UTF-8"};
        if (!settings_.durable) initdb.push_back("--no-sync");
        auto result = util::runCommand(asClusterOwner(initdb));
        if (result.exitCode != 0) throw std::runtime_error("initdb failed: " + result.output);
    }
    if (running()) {
        log::warn(kLogger, "adopting an embedded PostgreSQL left running by an earlier host", {{"dir", clusterDir_}});
    } else {
        std::string options = "-c listen_addresses='' -c unix_socket_directories='" + socketDir_ +
                              "' -c unix_socket_permissions=0700 -p 5432";
        if (!settings_.durable) options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        auto result = util::runCommand(asClusterOwner({tool("pg_ctl"), "-D", clusterDir_, "-l",
                                                       clusterDir_ + "/server.log", "-w", "-t", "60", "-o", options,
                                                       "start"}));
        if (result.exitCode != 0)
            throw std::runtime_error("the embedded PostgreSQL did not start (see " + clusterDir_ + "/server.log): " +
                                     result.output);
    }
    startedByUs_ = true;

    // pg_ctl -w returns once the server accepts connections; create the database on first start.
    PgConnection admin("host=" + socketDir_ + " port=5432 user=postgres dbname=postgres connect_timeout=10");
    if (admin.query("SELECT 1 FROM pg_database WHERE datname = $1", {settings_.database}).empty())
        admin.exec("CREATE DATABASE \"" + settings_.database + "\"");
    log::info(kLogger, "embedded PostgreSQL is up", {{"dir", clusterDir_}});
}

void EmbeddedPostgres::stop() {
    if (!running()) {
        startedByUs_ = false;
        return;
    }
    auto result = util::runCommand(asClusterOwner({tool("pg_ctl"), "-D", clusterDir_, "-m", "fast", "-w", "stop"}));
    startedByUs_ = false;
    if (result.exitCode != 0) throw std::runtime_error("pg_ctl stop failed: " + result.output);
    log::info(kLogger, "embedded PostgreSQL stopped", {{"dir", clusterDir_}});
}

std::string EmbeddedPostgres::connectionString() const {
    return "host=" + socketDir_ + " port=5432 user=postgres dbname=" + settings_.database;
}

}  // namespace tinko::store
