#include "plugins/PluginDescriptor.h"

#include "plugins/LinearPattern.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>


namespace tinko::plugins {

namespace {
// ABI 1.0's sizes: a struct smaller than these was built against something else.
constexpr std::size_t kMinimumDescriptorSize = TINKO_SIZE_THROUGH(tinko_plugin_descriptor, channel);

bool parses(const char* text, Poco::Dynamic::Var& out) {
    try {
        Poco::JSON::Parser parser;
        out = parser.parse(text);
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

void checkOperations(const tinko_plugin_descriptor& d, std::vector<std::string>& problems) {
    if (d.kind == TINKO_KIND_PSP) {
        const tinko_psp_operations* ops = d.psp;
        if (!ops) return problems.push_back("kind is psp but the psp operation table is missing");
        if (!TINKO_HAS_FIELD(ops, tinko_psp_operations, parse_webhook))
            return problems.push_back("the psp operation table is smaller than ABI 1.0's");   // not read
        const std::pair<const char*, tinko_operation> required[] = {
            {"describe", ops->describe},         {"validate_config", ops->validate_config},
            {"classify", ops->classify},         {"create_checkout", ops->create_checkout},
            {"retry_charge", ops->retry_charge}, {"verify_webhook", ops->verify_webhook},
            {"parse_webhook", ops->parse_webhook}};
        for (const auto& [name, fn] : required)
            if (!fn) problems.push_back(std::string("psp operation ") + name + " is missing");
    } else if (d.kind == TINKO_KIND_CHANNEL) {
        const tinko_channel_operations* ops = d.channel;
        if (!ops) return problems.push_back("kind is channel but the channel operation table is missing");
        if (!TINKO_HAS_FIELD(ops, tinko_channel_operations, parse_callback))
            return problems.push_back("the channel operation table is smaller than ABI 1.0's");   // not read
        const std::pair<const char*, tinko_operation> required[] = {
            {"describe", ops->describe}, {"validate_config", ops->validate_config},
            {"send", ops->send},         {"parse_callback", ops->parse_callback}};
        for (const auto& [name, fn] : required)
            if (!fn) problems.push_back(std::string("channel operation ") + name + " is missing");
    }
}
}  // namespace

const char* kindName(PluginKind kind) { return kind == PluginKind::Psp ? "psp" : "channel"; }

std::vector<std::string> checkDescriptor(const tinko_plugin_descriptor* d, std::uint16_t hostMajor,
                                         std::uint16_t hostMinor) {
    if (!d) return {"the plugin returned no descriptor"};
    // The ABI version decides how the rest may be read, so a mismatch ends the check here.
    if (d->abi_major != hostMajor)
        return {"built for ABI " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor) +
                ", but this host speaks ABI " + std::to_string(hostMajor) + "." + std::to_string(hostMinor) +
                " (the major versions must be equal); rebuild the plugin against this host's SDK"};
    if (d->abi_minor > hostMinor)
        return {"built for ABI " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor) +
                ", newer than this host's ABI " + std::to_string(hostMajor) + "." + std::to_string(hostMinor) +
                "; upgrade the host or build the plugin against an older SDK"};
    if (!TINKO_HAS_FIELD(d, tinko_plugin_descriptor, channel))
        return {"the descriptor is " + std::to_string(d->struct_size) + " bytes, smaller than ABI 1.0's " +
                std::to_string(kMinimumDescriptorSize)};

    std::vector<std::string> problems;
    static const auto namePattern = *LinearPattern::compile("^[a-z0-9][a-z0-9-]{1,39}$");
    static const auto semver = *LinearPattern::compile(R"(^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$)");
    if (d->kind != TINKO_KIND_PSP && d->kind != TINKO_KIND_CHANNEL)
        problems.push_back("kind must be TINKO_KIND_PSP or TINKO_KIND_CHANNEL, got " + std::to_string(d->kind));
    if (!d->name) problems.push_back("name is missing");
    else if (!namePattern.fullMatch(d->name))
        problems.push_back(std::string("name '") + d->name + "' must match [a-z0-9][a-z0-9-]{1,39}");
    if (!d->version) problems.push_back("version is missing");
    else if (!semver.fullMatch(d->version))
        problems.push_back(std::string("version '") + d->version + "' is not a semantic version (e.g. 1.2.3)");

    Poco::Dynamic::Var parsed;
    if (!d->capabilities) problems.push_back("capabilities is missing (use \"[]\" for none)");
    else if (!parses(d->capabilities, parsed) || parsed.type() != typeid(Poco::JSON::Array::Ptr))
        problems.push_back("capabilities must be a JSON array of strings");
    else
        for (const auto& item : *parsed.extract<Poco::JSON::Array::Ptr>())
            if (!item.isString()) {
                problems.push_back("capabilities must be a JSON array of strings");
                break;
            }

    if (!d->config_schema) problems.push_back("config_schema is missing");
    else if (!parses(d->config_schema, parsed) || parsed.type() != typeid(Poco::JSON::Object::Ptr))
        problems.push_back("config_schema must be a JSON object (a JSON Schema)");
    else {
        auto schema = parsed.extract<Poco::JSON::Object::Ptr>();
        if (schema->optValue<std::string>("type", "") != "object")
            problems.push_back("config_schema must describe an object (\"type\": \"object\")");
        if (schema->has("properties") && !schema->getObject("properties"))
            problems.push_back("config_schema.properties must be an object");
        if (schema->has("required") && !schema->getArray("required"))
            problems.push_back("config_schema.required must be an array of property names");
    }

    if (!d->create) problems.push_back("create is missing");
    if (!d->destroy) problems.push_back("destroy is missing");
    checkOperations(*d, problems);
    return problems;
}

PluginDescriptor copyDescriptor(const tinko_plugin_descriptor& d) {
    PluginDescriptor out;
    out.kind = d.kind == TINKO_KIND_PSP ? PluginKind::Psp : PluginKind::Channel;
    out.name = d.name;
    out.version = d.version;
    out.abiMajor = d.abi_major;
    out.abiMinor = d.abi_minor;
    out.configSchema = d.config_schema;
    Poco::JSON::Parser parser;
    for (const auto& item : *parser.parse(d.capabilities).extract<Poco::JSON::Array::Ptr>())
        out.capabilities.push_back(item.toString());
    return out;
}

}  // namespace tinko::plugins
