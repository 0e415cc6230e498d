#include "recovery/StepTiming.h"

#include <algorithm>

namespace tinko::recovery {

std::shared_ptr<const timing::TimeZone> customerZone(const Contact& contact, const std::string& orgTimezone,
                                                     timing::ZoneCatalog& catalog) {
    if (contact.timezone)
        if (auto zone = catalog.find(*contact.timezone)) return zone;
    if (contact.country)
        if (auto name = catalog.zoneOfCountry(*contact.country))
            if (auto zone = catalog.find(*name)) return zone;
    if (auto zone = catalog.find(orgTimezone)) return zone;
    return std::make_shared<const timing::TimeZone>(timing::TimeZone::utc());
}

void applyTiming(std::vector<PlannedStep>& steps, const timing::TimingRules& rules, const timing::TimeZone& zone,
                 std::int64_t nowUtc, const std::string& seedText) {
    if (rules.empty()) return;
    std::int64_t previous = nowUtc;
    for (auto& step : steps) {
        const timing::StepKind kind{step.channel.has_value(), step.retryCharge};
        const auto seed = timing::jitterSeed(seedText + "#" + std::to_string(step.sequence));
        const std::int64_t due =
            timing::earliestAllowed(std::max<std::int64_t>(nowUtc + step.delaySeconds, previous), kind, rules, zone, seed, previous);
        step.delaySeconds = due - nowUtc;
        previous = due;
    }
}

}  // namespace tinko::recovery
