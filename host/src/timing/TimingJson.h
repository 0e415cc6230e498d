#pragma once
// A policy's timing fields as JSON: "send_window", "avoid_weekends", "charge_days", "jitter_seconds",
// read from the API's policy body and from retry_policies.timing, and written back in the same form.
#include "timing/TimingRules.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <utility>
#include <vector>

namespace tinko::timing {

inline const std::vector<std::string>& timingFieldNames() {
    static const std::vector<std::string> names{"send_window", "avoid_weekends", "charge_days", "jitter_seconds"};
    return names;
}

// Reads the fields `object` has (absent or null = not set) into `rules`; the problems per field, empty when none.
std::vector<std::pair<std::string, std::string>> readTiming(const Poco::JSON::Object& object, TimingRules& rules);

// The four fields, without braces: `"send_window":null,"avoid_weekends":false,...`.
std::string timingJsonFields(const TimingRules& rules);

}  // namespace tinko::timing
