#include "plugins/PluginManager.h"

#include "plugins/ElfCheck.h"
#include "util/Log.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <fstream>

namespace tinko::plugins {

namespace {
const char* kLogger = "tinko.plugins";

std::string readStaged(const StagedFile& staged) {
    Poco::FileInputStream in(staged.path, std::ios::binary);
    std::string bytes;
    Poco::StreamCopier::copyToString(in, bytes);
    return bytes;
}

// A signature file is 64 bytes or their base64 in a line; anything longer is not one.
constexpr std::size_t kMaxSignatureFileBytes = 4096;

// The text of `<path>.sig`, if there is one.
std::optional<std::string> signatureBeside(const std::string& path) {
    std::ifstream in(path + ".sig", std::ios::binary);
    if (!in) return std::nullopt;
    std::string text(kMaxSignatureFileBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}
}  // namespace

ReconcileStep reconcileStep(std::optional<std::uint64_t> activeGeneration, std::uint64_t newestRecorded) {
    if (!activeGeneration || *activeGeneration < newestRecorded) return ReconcileStep::Replace;
    return *activeGeneration == newestRecorded ? ReconcileStep::Keep : ReconcileStep::KeepNewer;
}

PluginManager::PluginManager(PluginLoader& loader, PluginRegistry& registry, store::PluginCatalog& catalog, Announce announce,
                             std::vector<security::TrustedKey> trustedKeys)
    : loader_(loader), registry_(registry), catalog_(catalog), announce_(std::move(announce)), trustedKeys_(std::move(trustedKeys)) {}

void PluginManager::requireSignature(const std::string& bytes, const std::optional<std::string>& signature,
                                     const std::string& label) const {
    if (trustedKeys_.empty()) return;
    if (auto refused = security::checkPluginSignature(bytes, signature, trustedKeys_))
        throw PluginSignatureRefused(*refused, label + ": " + security::refusalDetail(*refused));
}

PluginManager::CheckedFile PluginManager::check(const PluginSource& source) const {
    CheckedFile file;
    std::optional<std::string> signatureText = source.signature;
    try {
        if (source.path) {
            file.bytes = readPluginFile(*source.path);
            signatureText = signatureBeside(*source.path);
        } else {
            file.bytes = source.bytes;
            if (auto why = whyNotLoadableSharedObject(file.bytes.substr(0, kElfHeaderBytes), hostElfIdentity()))
                throw PluginLoadError(*why);
        }
    } catch (const PluginLoadError& e) {
        throw PluginLoadError(source.label() + ": " + e.what());
    }
    requireSignature(file.bytes, signatureText, source.label());
    // Kept with the file in the catalog, so other hosts and later starts can check it too.
    if (signatureText)
        if (auto raw = security::decodeSignature(*signatureText)) file.signature = security::base64Encode(*raw);
    return file;
}

GenerationStatus PluginManager::statusOf(const std::string& name) const {
    for (auto& s : registry_.status())
        if (s.name == name && s.state == "active") return s;
    throw PluginRequestError(404, "no plugin named '" + name + "' is loaded");
}

GenerationStatus PluginManager::activate(Prepared prepared, const std::string& action) {
    auto& generation = prepared.generation;
    const auto& d = generation->descriptor();
    catalog_.storeFile(generation->sha256(), readStaged(generation->instance().library().file()), prepared.signature);
    // The host obeys exactly the row this change wrote: its id is the generation's number.
    const auto recorded = catalog_.record({0, d.name, generation->sha256(), d.version, kindName(d.kind), action});
    generation->assignActivation(static_cast<std::uint64_t>(recorded.id));
    const std::string name = d.name;
    registry_.publish(std::move(generation));
    if (announce_) announce_(name);
    return statusOf(name);
}

PluginManager::Prepared PluginManager::prepareFile(const PluginSource& source) {
    CheckedFile file = check(source);   // before anything is staged
    try {
        const StagedFile staged = loader_.stageBytes(file.bytes);
        try {
            return {loader_.prepare(staged), file.signature};
        } catch (...) {
            unstage(staged);   // a refused plugin leaves nothing behind
            throw;
        }
    } catch (const PluginLoadError& e) {
        throw PluginLoadError(source.label() + ": " + e.what());
    }
}

GenerationStatus PluginManager::load(const PluginSource& source) {
    std::lock_guard<std::mutex> lock(changes_);
    auto prepared = prepareFile(source);
    const auto& name = prepared.generation->descriptor().name;
    if (registry_.active(name)) {
        unstage(prepared.generation->instance().library().file());
        throw PluginRequestError(409, "a plugin named '" + name + "' is already loaded; use POST /v1/plugins/" + name +
                                          "/swap to change its version");
    }
    return activate(std::move(prepared), "load");
}

GenerationStatus PluginManager::swap(const std::string& name, const PluginSource& source) {
    std::lock_guard<std::mutex> lock(changes_);
    auto current = registry_.active(name);
    if (!current) throw PluginRequestError(404, "no plugin named '" + name + "' is loaded; load it with POST /v1/plugins");
    auto prepared = prepareFile(source);
    const auto& d = prepared.generation->descriptor();
    if (d.name != name || d.kind != current->descriptor().kind) unstage(prepared.generation->instance().library().file());
    if (d.name != name)
        throw PluginRequestError(422, "the file is the plugin '" + d.name + "', not '" + name + "'");
    if (d.kind != current->descriptor().kind)
        throw PluginRequestError(422, std::string("the file is a ") + kindName(d.kind) + " plugin, but '" + name +
                                          "' is a " + kindName(current->descriptor().kind) + " plugin");
    return activate(std::move(prepared), "swap");
}

GenerationStatus PluginManager::rollback(const std::string& name) {
    std::lock_guard<std::mutex> lock(changes_);
    if (!registry_.active(name)) throw PluginRequestError(404, "no plugin named '" + name + "' is loaded");
    auto stack = store::activationStack(catalog_.history(name));
    if (stack.size() < 2)
        throw PluginRequestError(409, "plugin '" + name + "' has no earlier version to roll back to");
    const store::PluginActivation& previous = stack[stack.size() - 2];
    auto generation = prepareRecorded(previous);
    const auto recorded = catalog_.record({0, name, previous.sha256, previous.version, previous.kind, "rollback"});
    generation->assignActivation(static_cast<std::uint64_t>(recorded.id));
    registry_.publish(std::move(generation));
    if (announce_) announce_(name);
    return statusOf(name);
}

std::shared_ptr<PluginGeneration> PluginManager::prepareRecorded(const store::PluginActivation& activation) {
    StagedFile staged{activation.sha256, loader_.stagingDir() + "/" + activation.sha256 + ".so"};
    // With trusted keys, the catalog's bytes are the ones checked and staged: a file on disk proves nothing.
    const bool mustVerify = !trustedKeys_.empty();
    if (mustVerify || !Poco::File(staged.path).exists()) {
        auto bytes = catalog_.fileBytes(activation.sha256);
        if (!bytes) throw PluginLoadError("the database has no file for " + activation.pluginName + " " + activation.version);
        if (mustVerify)
            requireSignature(*bytes, catalog_.fileSignature(activation.sha256),
                             activation.pluginName + " " + activation.version + " (recorded file " + activation.sha256 + ")");
        staged = loader_.stageBytes(*bytes);
    }
    return loader_.prepare(staged);
}

void PluginManager::loadDirectory(const std::string& dir) {
    std::vector<std::string> files;
    if (Poco::File(dir).exists())
        for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
            if (it->isFile() && it.name().size() > 3 && it.name().substr(it.name().size() - 3) == ".so")
                files.push_back(it.path().toString());
    std::sort(files.begin(), files.end());
    {
        std::lock_guard<std::mutex> lock(changes_);
        auto recorded = catalog_.latestPerPlugin();
        for (const auto& file : files) {
            try {
                auto prepared = prepareFile(PluginSource::file(file));
                const auto& name = prepared.generation->descriptor().name;
                bool known = std::any_of(recorded.begin(), recorded.end(),
                                         [&](const auto& a) { return a.pluginName == name; });
                if (registry_.active(name)) {
                    log::warn(kLogger, "two files in the plugin directory are the same plugin; keeping the first",
                              {{"plugin", name}, {"file", file}});
                } else if (!known) {
                    activate(std::move(prepared), "load");
                }
                // A plugin with a recorded version is left to reconcile(): the record wins.
            } catch (const std::exception& e) {
                log::error(kLogger, "plugin not loaded", {{"file", file}, {"reason", e.what()}});
            }
        }
    }
    reconcile();
}

int PluginManager::reconcile() {
    std::lock_guard<std::mutex> lock(changes_);
    int changed = 0;
    for (const auto& activation : catalog_.latestPerPlugin()) {
        auto current = registry_.active(activation.pluginName);
        const auto newest = static_cast<std::uint64_t>(activation.id);
        const auto step = reconcileStep(current ? std::optional<std::uint64_t>(current->number()) : std::nullopt, newest);
        if (step == ReconcileStep::Keep) continue;
        if (step == ReconcileStep::KeepNewer) {
            // Never back to an older record: the active generation obeys a newer row than the newest read.
            log::warn(kLogger, "reconcile read an older record than the active generation; keeping the active one",
                      {{"plugin", activation.pluginName}, {"generation", std::to_string(current->number())},
                       {"recorded_generation", std::to_string(newest)}});
            continue;
        }
        try {
            auto generation = prepareRecorded(activation);
            generation->assignActivation(newest);
            registry_.publish(std::move(generation));
            log::info(kLogger, "reconcile changed the active generation to the newest record",
                      {{"plugin", activation.pluginName},
                       {"old_generation", current ? std::to_string(current->number()) : "none"},
                       {"old_version", current ? current->descriptor().version : "none"},
                       {"new_generation", std::to_string(newest)}, {"new_version", activation.version}});
            ++changed;
        } catch (const PluginSignatureRefused& e) {
            // Not a crash and not a retry storm: logged once per record; ops load a signed file.
            if (refusedRecords_.insert(activation.id).second)
                log::error(kLogger, "refused the recorded version of a plugin: its file is not signed by a trusted key",
                           {{"plugin", activation.pluginName}, {"version", activation.version},
                            {"generation", std::to_string(newest)}, {"sha256", activation.sha256},
                            {"reason", security::refusalCode(e.reason)}, {"detail", e.what()}});
        } catch (const std::exception& e) {
            log::error(kLogger, "cannot load the recorded version of a plugin",
                       {{"plugin", activation.pluginName}, {"version", activation.version}, {"reason", e.what()}});
        }
    }
    return changed;
}

}  // namespace tinko::plugins
