#pragma once
// The event as delivered, byte for byte the same on every attempt (issue 15's contract):
// {"type":T,"id":"evt_<id>","created_at":"2026-12-06T21:30:00.123Z","data":<data>}.
// Stands in for events/EventEnvelope (written beside this by the feed's helper) until both meet.
#include <string>

namespace tinko::events {

// `createdAt`: RFC 3339 UTC with milliseconds; `dataJson`: the stored payload object's JSON text.
std::string deliveryEnvelope(const std::string& type, long long eventId, const std::string& createdAt,
                             const std::string& dataJson);

}  // namespace tinko::events
