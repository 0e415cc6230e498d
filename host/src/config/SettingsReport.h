#pragma once
// What `tinko-host --check-config` prints: every effective setting as `TINKO_NAME = value`, in the
// README's order, with secrets hidden (tokens and keys as "***", passwords in URLs as "***").
#include "config/HostSettings.h"

#include <string>
#include <vector>

namespace tinko::config {

std::vector<std::string> describeSettings(const HostSettings& settings);

}  // namespace tinko::config
