#include "plugins/PluginLibrary.h"

#include "plugins/ElfCheck.h"
#include "security/SecretTokens.h"
#include "util/Log.h"
#include "util/PrivateFiles.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

namespace tinko::plugins {

namespace {
std::atomic<long> residentCount{0};

// The largest plugin file accepted (a plugin is a few MiB; this bounds what a path can make the
// host read into memory).
constexpr off_t kMaxPluginBytes = 256 * 1024 * 1024;

}  // namespace

std::string readPluginFile(const std::string& source) {
    if (source.empty() || source[0] != '/') throw PluginLoadError("the plugin path must be absolute, got '" + source + "'");
    // O_NONBLOCK: opening a FIFO must not hang the request.
    const int fd = ::open(source.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) throw PluginLoadError("no plugin file at '" + source + "'");
        throw PluginLoadError("cannot read plugin file '" + source + "': " + std::strerror(errno));
    }
    struct FdCloser {
        int fd;
        ~FdCloser() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) throw PluginLoadError("'" + source + "' is not a regular file");
    if (st.st_size > kMaxPluginBytes) throw PluginLoadError("'" + source + "' is larger than a plugin may be (256 MiB)");
    std::string bytes;
    char buffer[65536];
    bool headerChecked = false;
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw PluginLoadError("cannot read plugin file '" + source + "': " + std::strerror(errno));
        if (n == 0) break;
        bytes.append(buffer, static_cast<std::size_t>(n));
        // Checked as soon as the header is in: a file that is not a plugin is not read further.
        if (!headerChecked && bytes.size() >= kElfHeaderBytes) {
            headerChecked = true;
            if (auto why = whyNotLoadableSharedObject(bytes.substr(0, kElfHeaderBytes), hostElfIdentity())) throw PluginLoadError(*why);
        }
        if (bytes.size() > static_cast<std::size_t>(kMaxPluginBytes))
            throw PluginLoadError("'" + source + "' is larger than a plugin may be (256 MiB)");
    }
    if (auto why = whyNotLoadableSharedObject(bytes.substr(0, kElfHeaderBytes), hostElfIdentity())) throw PluginLoadError(*why);
    return bytes;
}

namespace {

// True when the file at `path` has the SHA-256 `sha256`: a content-addressed name is a claim, not a proof.
bool holdsExactly(const std::string& path, const std::string& sha256) {
    try {
        Poco::FileInputStream in(path, std::ios::binary);
        std::string existing;
        Poco::StreamCopier::copyToString(in, existing);
        return security::sha256Hex(existing) == sha256;
    } catch (const Poco::Exception&) {
        return false;
    }
}
}  // namespace

StagedFile stagePluginBytes(const std::string& bytes, const std::string& stagingDir) {
    if (auto why = whyNotLoadableSharedObject(bytes.substr(0, kElfHeaderBytes), hostElfIdentity())) throw PluginLoadError(*why);
    StagedFile staged{security::sha256Hex(bytes), "", false};
    staged.path = stagingDir + "/" + staged.sha256 + ".so";
    try {
        // Staged plugins are the host's alone: 0600 files in a 0700 directory.
        util::ensurePrivateDirectory(stagingDir);
        if (Poco::File(staged.path).exists()) {
            if (holdsExactly(staged.path, staged.sha256)) {
                ::chmod(staged.path.c_str(), 0600);   // staged by an earlier version, 0555
                return staged;
            }
            Poco::File(staged.path).remove();
        }
        // Created 0600 under a temporary name, synced, and linked into place, so a crash never
        // leaves a half-written file under the content's name.
        staged.newlyStaged = util::createPrivateFile(staged.path, bytes);
    } catch (const std::exception& e) {
        throw PluginLoadError("cannot stage plugin into '" + stagingDir + "': " + e.what());
    }
    return staged;
}

StagedFile stagePluginFile(const std::string& source, const std::string& stagingDir) {
    return stagePluginBytes(readPluginFile(source), stagingDir);
}

void unstage(const StagedFile& staged) {
    if (!staged.newlyStaged) return;
    try {
        Poco::File(staged.path).remove();
    } catch (const Poco::Exception& e) {
        log::warn("tinko.plugins", "cannot remove a refused staged plugin", {{"file", staged.path}, {"error", e.displayText()}});
    }
}

int cleanStagingDirectory(const std::string& stagingDir) {
    util::ensurePrivateDirectory(stagingDir);
    std::vector<std::string> names;
    Poco::File(stagingDir).list(names);
    int removed = 0;
    for (const auto& name : names) {
        const std::string path = stagingDir + "/" + name;
        std::string header;
        try {
            Poco::FileInputStream in(path, std::ios::binary);
            header.resize(kElfHeaderBytes);
            in.read(header.data(), static_cast<std::streamsize>(header.size()));
            header.resize(static_cast<std::size_t>(in.gcount()));
        } catch (const Poco::Exception&) {
            continue;   // not a file this host can read: not one it staged either
        }
        const bool staged = name.size() == 64 + 3 && name.compare(64, 3, ".so") == 0 &&
                            !whyNotLoadableSharedObject(header, hostElfIdentity());
        try {
            if (!staged) {
                Poco::File(path).remove();
                ++removed;
            } else if (::chmod(path.c_str(), 0600) != 0) {
                throw std::runtime_error(std::strerror(errno));
            }
        } catch (const std::exception& e) {
            log::warn("tinko.plugins", "cannot clean the plugin staging directory", {{"file", path}, {"error", e.what()}});
        }
    }
    if (removed) log::info("tinko.plugins", "removed files from the plugin staging directory that are not staged plugins",
                           {{"dir", stagingDir}, {"removed", std::to_string(removed)}});
    return removed;
}

std::shared_ptr<PluginLibrary> PluginLibrary::open(const StagedFile& file) {
    dlerror();
    void* handle = dlopen(file.path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* raw = dlerror();
        std::string why = raw ? raw : "dlopen failed";
        // dlerror() starts with the staged path, which means nothing to the person who gave the file.
        if (why.rfind(file.path + ": ", 0) == 0) why = why.substr(file.path.size() + 2);
        throw PluginLoadError("not a loadable shared library: " + why);
    }
    dlerror();
    void* entry = dlsym(handle, "tinko_plugin_entry");
    if (!entry) {
        dlclose(handle);
        throw PluginLoadError("the library does not export tinko_plugin_entry (build it with tinko_add_plugin "
                              "and TINKO_PSP_PLUGIN / TINKO_CHANNEL_PLUGIN)");
    }
    const tinko_plugin_descriptor* descriptor = reinterpret_cast<tinko_plugin_entry_fn>(entry)();
    if (!descriptor) {
        dlclose(handle);
        throw PluginLoadError("tinko_plugin_entry returned no descriptor");
    }
    return std::shared_ptr<PluginLibrary>(new PluginLibrary(file, handle, descriptor));
}

PluginLibrary::~PluginLibrary() {
    dlclose(handle_);
    // RTLD_NOLOAD opens only what is still mapped: then the library stayed resident (another
    // generation uses the same file, or it pins itself, e.g. with a gnu-unique symbol).
    if (void* still = dlopen(file_.path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD)) {
        dlclose(still);
        ++residentCount;
        log::info("tinko.plugins", "plugin library stays resident after unload", {{"file", file_.path}});
    }
}

long residentAfterUnloadCount() { return residentCount.load(); }

}  // namespace tinko::plugins
