#pragma once
// One plugin file, staged and opened. Loading copies the file to a content-addressed path first:
// dlopen() of a path that is already open returns the old handle, so every version needs its own
// path. Libraries open with RTLD_NOW (a missing symbol fails now, not mid-call) and RTLD_LOCAL
// (plugins cannot see, or clash with, each other's symbols).
#include "tinko/abi.h"

#include <memory>
#include <stdexcept>
#include <string>

namespace tinko::plugins {

struct PluginLoadError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct StagedFile {
    std::string sha256;
    std::string path;    // stagingDir/<sha256>.so
    bool newlyStaged = false;   // this call created the file (so a refusal removes it)
};

// Reads an ELF shared object for this host from the absolute path `source`, refusing anything
// else (not a regular file, not ELF, another machine's, over 256 MiB) unread: no copy of a file
// that is not a plugin is ever made.
std::string readPluginFile(const std::string& source);

// Copies `source` into `stagingDir` under its SHA-256 (once; later calls reuse the copy). Only a
// regular file that is an ELF shared object for this host is read and copied (plugins/ElfCheck.h);
// staged files are 0600 in a 0700 directory.
StagedFile stagePluginFile(const std::string& source, const std::string& stagingDir);

// Stores `bytes` into `stagingDir`, e.g. a file fetched from the database; the same checks.
StagedFile stagePluginBytes(const std::string& bytes, const std::string& stagingDir);

// Removes a file this load staged, when the plugin in it was refused.
void unstage(const StagedFile& staged);

// At start: makes `stagingDir` private (0700) and removes what is not a staged plugin (files an
// earlier version copied from any path, and temporary files of an interrupted staging); a staged
// plugin is set to 0600. Returns how many files it removed.
int cleanStagingDirectory(const std::string& stagingDir);

class PluginLibrary {
public:
    // Opens a staged file and finds tinko_plugin_entry; throws PluginLoadError saying why not.
    static std::shared_ptr<PluginLibrary> open(const StagedFile& file);
    ~PluginLibrary();
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;

    // The plugin's descriptor; owned by the library, valid while it is open.
    const tinko_plugin_descriptor* descriptor() const { return descriptor_; }
    const StagedFile& file() const { return file_; }

private:
    PluginLibrary(StagedFile file, void* handle, const tinko_plugin_descriptor* descriptor)
        : file_(std::move(file)), handle_(handle), descriptor_(descriptor) {}

    StagedFile file_;
    void* handle_;
    const tinko_plugin_descriptor* descriptor_;
};

// How many closed libraries the OS kept mapped (dlclose is a request, not a promise).
long residentAfterUnloadCount();

}  // namespace tinko::plugins
