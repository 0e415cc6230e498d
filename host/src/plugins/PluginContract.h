#pragma once
// The static part of the plugin contract, in one place: tinko-host applies it to every plugin it
// loads or swaps to (before the plugin is recorded or serves a call) and tinko-plugin-check reports
// it, so the checker fails exactly what the host refuses, in the same words. Static means what the
// descriptor says and what describe answers; how the other operations treat malformed input, and
// whether the library unloads, are checked by tinko-plugin-check only (they need calls that may
// crash or hang, which the checker runs in child processes).
//
// Each failure names the checker's case it belongs to, so both print "<case>: <reason>".
#include "plugins/PluginInstance.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tinko::plugins {

// The checker's case names of the static contract.
inline constexpr const char* kDescriptorIsSane = "descriptor is sane";
inline constexpr const char* kConfigSchemaIsValid = "config schema is valid";
inline constexpr const char* kDescribeAnswersAnObject = "describe answers a JSON object";

struct ContractFailure {
    std::string check;    // one of the case names above
    std::string reason;
};

// Before create(): the descriptor (ABI version, kind, name, version, capabilities, entry points,
// operation table), then, when that holds, whether its config_schema is one the host can apply.
std::vector<ContractFailure> descriptorContractFailures(const tinko_plugin_descriptor* descriptor);

// After create(): the answer to describe {} is a JSON object with a display_name; a channel says
// which channel; "operations" names only operations of the plugin's kind; "webhook_events" is a
// list of strings; "egress" and "checkout_hosts" are well-formed.
std::vector<ContractFailure> describeContractFailures(std::uint32_t kind, const PluginAnswer& describe);

// The reasons of `failures` that belong to `check`, joined with "; " ("" when none).
std::string reasonsOf(const std::vector<ContractFailure>& failures, const std::string& check);

// "<case>: <reason>; <reason>; <case>: <reason>": how the host says why it refused a plugin.
std::string contractFailureText(const std::vector<ContractFailure>& failures);

}  // namespace tinko::plugins
