#include "timing/TimingJson.h"

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace tinko::timing {

namespace {
bool isSet(const Poco::JSON::Object& o, const std::string& key) { return o.has(key) && !o.isNull(key); }
bool isInteger(const Poco::Dynamic::Var& v) { return v.isInteger() && !v.isBoolean(); }
}  // namespace

std::vector<std::pair<std::string, std::string>> readTiming(const Poco::JSON::Object& o, TimingRules& rules) {
    std::vector<std::pair<std::string, std::string>> problems;
    if (isSet(o, "send_window")) {
        const auto v = o.get("send_window");
        auto window = v.isString() ? parseSendWindow(v.extract<std::string>()) : std::nullopt;
        if (!window)
            problems.emplace_back("send_window", "must be local hours \"HH:MM-HH:MM\" such as \"09:00-20:00\" (may wrap midnight: \"20:00-08:00\"; start and end differ)");
        rules.sendWindow = window;
    }
    if (isSet(o, "avoid_weekends")) {
        const auto v = o.get("avoid_weekends");
        if (!v.isBoolean()) problems.emplace_back("avoid_weekends", "must be true or false");
        else rules.avoidWeekends = v.extract<bool>();
    }
    if (isSet(o, "charge_days")) {
        const auto v = o.get("charge_days");
        const char* why = "must be an array of 1 to 31 days of the month (1..31; a day past the month's end means its last day), or \"last_business_day\"";
        if (v.isString()) {
            if (v.extract<std::string>() == "last_business_day") rules.chargeOnLastBusinessDay = true;
            else problems.emplace_back("charge_days", why);
        } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
            const auto days = v.extract<Poco::JSON::Array::Ptr>();
            bool ok = days->size() >= 1 && days->size() <= 31;
            for (const auto& d : *days) {
                if (!isInteger(d) || d.convert<Poco::Int64>() < 1 || d.convert<Poco::Int64>() > 31) {
                    ok = false;
                    break;
                }
                const int day = static_cast<int>(d.convert<Poco::Int64>());
                if (std::find(rules.chargeDays.begin(), rules.chargeDays.end(), day) == rules.chargeDays.end())
                    rules.chargeDays.push_back(day);
            }
            std::sort(rules.chargeDays.begin(), rules.chargeDays.end());
            if (!ok) {
                rules.chargeDays.clear();
                problems.emplace_back("charge_days", why);
            }
        } else {
            problems.emplace_back("charge_days", why);
        }
    }
    if (isSet(o, "jitter_seconds")) {
        const auto v = o.get("jitter_seconds");
        if (!isInteger(v) || v.convert<Poco::Int64>() < 0 || v.convert<Poco::Int64>() > kMaxJitterSeconds)
            problems.emplace_back("jitter_seconds", "must be an integer from 0 to 600 (seconds either side)");
        else rules.jitterSeconds = static_cast<int>(v.convert<Poco::Int64>());
    }
    return problems;
}

std::string timingJsonFields(const TimingRules& r) {
    std::string out = "\"send_window\":";
    out += r.sendWindow ? "\"" + sendWindowText(*r.sendWindow) + "\"" : "null";
    out += ",\"avoid_weekends\":";
    out += r.avoidWeekends ? "true" : "false";
    out += ",\"charge_days\":";
    if (r.chargeOnLastBusinessDay) out += "\"last_business_day\"";
    else if (r.chargeDays.empty()) out += "null";
    else {
        out += "[";
        for (std::size_t i = 0; i < r.chargeDays.size(); ++i) out += (i ? "," : "") + std::to_string(r.chargeDays[i]);
        out += "]";
    }
    out += ",\"jitter_seconds\":" + std::to_string(r.jitterSeconds);
    return out;
}

}  // namespace tinko::timing
