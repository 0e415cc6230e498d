#pragma once
// The ops token: TINKO_OPS_TOKEN when set; otherwise one generated on the first start, printed once
// by the caller, and kept only as a digest in the database so every host accepts it.
#include "store/HostSecretStore.h"

#include <optional>
#include <string>

namespace tinko::security {

struct OpsCredential {
    std::string sha256;
    std::optional<std::string> newlyGenerated;   // set only on the start that created it
};

OpsCredential establishOpsCredential(const std::optional<std::string>& configuredToken, store::HostSecretStore& secrets);

}  // namespace tinko::security
