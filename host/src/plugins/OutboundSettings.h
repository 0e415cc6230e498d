#pragma once
// The settings of plugins' outbound calls (plugins::Outbound in HostServices.h), as
// config/HostSettings holds them.
#include "plugins/EgressPolicy.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace tinko::plugins {

struct OutboundSettings {
    std::optional<std::string> caFile;          // TINKO_CA_FILE: extra trusted CAs (PEM), beside the system's
    int defaultTimeoutMs = 30000;               // TINKO_EGRESS_TIMEOUT_MS: total deadline of a call; caps a plugin's timeout_ms
    std::vector<EgressAllowEntry> egressAllow;  // TINKO_EGRESS_ALLOW
    std::size_t maxResponseBytes = 1024 * 1024; // TINKO_EGRESS_MAX_RESPONSE_BYTES: a larger answer body is refused
};

}  // namespace tinko::plugins
