#include "plugins/PluginLoader.h"

#include <Poco/JSON/Parser.h>

namespace tinko::plugins {

PluginLoader::PluginLoader(std::string stagingDir, std::shared_ptr<const Outbound> outbound, PluginRegistry& registry,
                           PluginHostServices::OutboundObserver observer)
    : stagingDir_(std::move(stagingDir)), outbound_(std::move(outbound)), registry_(registry), observer_(std::move(observer)) {}

std::shared_ptr<PluginGeneration> PluginLoader::prepare(const StagedFile& staged) {
    auto library = PluginLibrary::open(staged);
    auto problems = checkDescriptor(library->descriptor());
    if (!problems.empty()) {
        std::string why = "the plugin's descriptor is not acceptable: ";
        for (std::size_t i = 0; i < problems.size(); ++i) why += (i ? "; " : "") + problems[i];
        throw PluginLoadError(why);
    }
    auto services = std::make_unique<PluginHostServices>(library->descriptor()->name, outbound_, observer_);
    auto instance = std::make_unique<PluginInstance>(library, services->table());

    // Self-check: a plugin that cannot describe itself is not put in front of callers.
    PluginAnswer described = instance->call(Operation::Describe, "{}");
    if (!described.ok) throw PluginLoadError("self-check failed: describe answered an error: " + described.error.message);
    try {
        Poco::JSON::Parser parser;
        auto parsed = parser.parse(described.json);
        if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) throw Poco::Exception("not an object");
        // The operations it lists are the only ones the host will call.
        if (auto listed = parsed.extract<Poco::JSON::Object::Ptr>()->getArray("operations")) {
            std::vector<std::string> operations;
            for (const auto& name : *listed)
                if (name.isString()) operations.push_back(name.extract<std::string>());
            instance->limitToDescribed(std::move(operations));
        }
    } catch (const Poco::Exception&) {
        throw PluginLoadError("self-check failed: describe did not answer a JSON object");
    }
    // Where the plugin may connect and redirect to, read once for this generation's life.
    std::vector<std::string> declarationProblems;
    PluginEgress declared = parsePluginEgress(described.json, declarationProblems);
    if (!declarationProblems.empty()) {
        std::string why = "self-check failed: ";
        for (std::size_t i = 0; i < declarationProblems.size(); ++i) why += (i ? "; " : "") + declarationProblems[i];
        throw PluginLoadError(why);
    }
    services->setDeclared(std::move(declared));
    return std::make_shared<PluginGeneration>(std::move(services), std::move(instance));
}

}  // namespace tinko::plugins
