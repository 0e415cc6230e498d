#include "events/EventEnvelope.h"

#include "util/Log.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <ctime>

namespace tinko::events {

const char* const kStoredEventColumns =
    "e.id::text, e.type, floor(extract(epoch FROM e.created_at) * 1000)::bigint::text, e.data::text";

namespace {
const std::string kIdPrefix = "evt_";
}

std::string compactJson(const std::string& json) {
    std::string out;
    out.reserve(json.size());
    bool inString = false, escaped = false;
    for (char c : json) {
        if (inString) {
            out += c;
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') inString = false;
        } else if (c == '"') {
            inString = true;
            out += c;
        } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            out += c;
        }
    }
    return out;
}

std::string rfc3339Millis(long long epochMs) {
    // Rounded down, also before 1970, so a time never moves into the next millisecond.
    long long ms = epochMs % 1000;
    long long seconds = epochMs / 1000;
    if (ms < 0) ms += 1000, seconds -= 1;
    const Poco::Timestamp at = Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(seconds)) + ms * 1000;
    return Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%S.%iZ");
}

std::string eventIdText(long long id) { return kIdPrefix + std::to_string(id); }

std::optional<long long> parseEventId(const std::string& text) {
    if (text.rfind(kIdPrefix, 0) != 0) return std::nullopt;
    const std::string digits = text.substr(kIdPrefix.size());
    if (digits.empty() || digits.size() > 18 || digits[0] == '0') return std::nullopt;
    long long id = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        id = id * 10 + (c - '0');
    }
    return id;
}

std::string eventEnvelope(const StoredEvent& event) {
    return "{\"type\":" + log::jsonQuote(event.type) + ",\"id\":\"" + eventIdText(event.id) + "\",\"created_at\":\"" +
           rfc3339Millis(event.createdAtMs) + "\",\"data\":" + compactJson(event.data) + "}";
}

}  // namespace tinko::events
