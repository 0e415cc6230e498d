#pragma once
// What ops may hand the host as a plugin file (POST /v1/plugins and /swap, and the files loaded
// at start): the largest upload, and the Ed25519 keys whose signature every file must carry.
#include "security/PluginSignature.h"

#include <cstddef>
#include <vector>

namespace tinko::plugins {

struct PluginFileSettings {
    std::size_t maxUploadBytes = 64 * 1024 * 1024;    // TINKO_MAX_PLUGIN_BYTES
    std::vector<security::TrustedKey> trustedKeys;    // TINKO_PLUGIN_TRUSTED_KEYS; empty: no signature needed
    bool requiresSignature() const { return !trustedKeys.empty(); }
};

}  // namespace tinko::plugins
