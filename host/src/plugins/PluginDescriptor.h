#pragma once
// What a plugin says it is, checked before anything of it runs, and copied out of the library so
// that the host never reads plugin memory after the plugin is gone.
#include "tinko/abi.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tinko::plugins {

enum class PluginKind { Psp, Channel };
const char* kindName(PluginKind kind);

struct PluginDescriptor {
    PluginKind kind = PluginKind::Psp;
    std::string name;
    std::string version;
    std::uint16_t abiMajor = 0;
    std::uint16_t abiMinor = 0;
    std::vector<std::string> capabilities;
    std::string configSchema;   // JSON text
};

// Everything wrong with `descriptor` for a host of ABI hostMajor.hostMinor; empty = loadable.
std::vector<std::string> checkDescriptor(const tinko_plugin_descriptor* descriptor,
                                         std::uint16_t hostMajor = TINKO_ABI_MAJOR,
                                         std::uint16_t hostMinor = TINKO_ABI_MINOR);

// Copies a descriptor that checkDescriptor() accepted.
PluginDescriptor copyDescriptor(const tinko_plugin_descriptor& descriptor);

}  // namespace tinko::plugins
