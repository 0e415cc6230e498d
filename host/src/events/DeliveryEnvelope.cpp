#include "events/DeliveryEnvelope.h"

#include <cstdio>

namespace tinko::events {

namespace {
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
            out += buffer;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}
}  // namespace

std::string deliveryEnvelope(const std::string& type, long long eventId, const std::string& createdAt,
                             const std::string& dataJson) {
    return "{\"type\":" + quoted(type) + ",\"id\":\"evt_" + std::to_string(eventId) + "\",\"created_at\":" + quoted(createdAt) +
           ",\"data\":" + dataJson + "}";
}

}  // namespace tinko::events
