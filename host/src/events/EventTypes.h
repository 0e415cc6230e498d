#pragma once
// The merchant event types of issue 15, in the order the README documents them.
#include <string>
#include <vector>

namespace tinko::events {

const std::vector<std::string>& merchantEventTypes();
bool isMerchantEventType(const std::string& type);

}  // namespace tinko::events
