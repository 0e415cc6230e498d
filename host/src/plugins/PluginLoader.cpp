#include "plugins/PluginLoader.h"

#include "plugins/PluginContract.h"

#include <Poco/JSON/Parser.h>

namespace tinko::plugins {

namespace {
std::string refusal(const std::vector<ContractFailure>& failures) {
    return "the plugin fails the plugin contract (as tinko-plugin-check reports it): " + contractFailureText(failures);
}
}  // namespace

PluginLoader::PluginLoader(std::string stagingDir, std::shared_ptr<const Outbound> outbound, PluginRegistry& registry,
                           PluginHostServices::OutboundObserver observer)
    : stagingDir_(std::move(stagingDir)), outbound_(std::move(outbound)), registry_(registry), observer_(std::move(observer)) {}

std::shared_ptr<PluginGeneration> PluginLoader::prepare(const StagedFile& staged) {
    auto library = PluginLibrary::open(staged);
    // The contract tinko-plugin-check reports, in its words: a plugin the checker fails is refused.
    if (auto failures = descriptorContractFailures(library->descriptor()); !failures.empty())
        throw PluginLoadError(refusal(failures));
    auto services = std::make_unique<PluginHostServices>(library->descriptor()->name, outbound_, observer_);
    auto instance = std::make_unique<PluginInstance>(library, services->table());

    // Self-check: a plugin that cannot describe itself is not put in front of callers.
    PluginAnswer described = instance->call(Operation::Describe, "{}");
    if (auto failures = describeContractFailures(library->descriptor()->kind, described); !failures.empty())
        throw PluginLoadError(refusal(failures));
    // The operations it lists are the only ones the host will call.
    try {
        Poco::JSON::Parser parser;
        if (auto listed = parser.parse(described.json).extract<Poco::JSON::Object::Ptr>()->getArray("operations")) {
            std::vector<std::string> operations;
            for (const auto& name : *listed)
                if (name.isString()) operations.push_back(name.extract<std::string>());
            instance->limitToDescribed(std::move(operations));
        }
    } catch (const Poco::Exception&) {
        throw PluginLoadError("the plugin fails the plugin contract: describe did not answer a JSON object");
    }
    // Where the plugin may connect and redirect to, read once for this generation's life (the
    // contract check above refused a declaration with problems).
    std::vector<std::string> declarationProblems;
    services->setDeclared(parsePluginEgress(described.json, declarationProblems));
    return std::make_shared<PluginGeneration>(std::move(services), std::move(instance));
}

}  // namespace tinko::plugins
