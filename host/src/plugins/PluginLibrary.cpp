#include "plugins/PluginLibrary.h"

#include "security/SecretTokens.h"
#include "util/Log.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <dlfcn.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdio>

namespace tinko::plugins {

namespace {
std::atomic<long> residentCount{0};

std::string readAll(const std::string& path) {
    try {
        Poco::FileInputStream in(path, std::ios::binary);
        std::string bytes;
        Poco::StreamCopier::copyToString(in, bytes);
        return bytes;
    } catch (const Poco::Exception& e) {
        throw PluginLoadError("cannot read plugin file '" + path + "': " + e.displayText());
    }
}
}  // namespace

StagedFile stagePluginBytes(const std::string& bytes, const std::string& stagingDir) {
    StagedFile staged{security::sha256Hex(bytes), ""};
    staged.path = stagingDir + "/" + staged.sha256 + ".so";
    if (Poco::File(staged.path).exists()) return staged;
    try {
        Poco::File(stagingDir).createDirectories();
        // Write under a temporary name and rename, so a crash never leaves a half-written file
        // under the content's name.
        const std::string temporary = staged.path + ".tmp-" + security::newSecretToken("", 6);
        {
            Poco::FileOutputStream out(temporary, std::ios::binary | std::ios::trunc);
            out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        }
        chmod(temporary.c_str(), 0555);
        if (std::rename(temporary.c_str(), staged.path.c_str()) != 0)
            throw PluginLoadError("cannot stage plugin into '" + stagingDir + "'");
    } catch (const Poco::Exception& e) {
        throw PluginLoadError("cannot stage plugin into '" + stagingDir + "': " + e.displayText());
    }
    return staged;
}

StagedFile stagePluginFile(const std::string& source, const std::string& stagingDir) {
    if (source.empty() || source[0] != '/') throw PluginLoadError("the plugin path must be absolute, got '" + source + "'");
    try {
        Poco::File file(source);
        if (!file.exists()) throw PluginLoadError("no plugin file at '" + source + "'");
        if (!file.isFile()) throw PluginLoadError("'" + source + "' is not a regular file");
    } catch (const Poco::Exception& e) {
        throw PluginLoadError("cannot read plugin file '" + source + "': " + e.displayText());
    }
    return stagePluginBytes(readAll(source), stagingDir);
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
