#pragma once
// The bytes of one merchant event as the feed lists it and every webhook attempt sends it (the
// issue 15 contract): {"type":T,"id":"evt_<id>","created_at":"2026-12-06T21:30:00.123Z","data":{...}}.
// Built in one place from the merchant_events row, so the feed and the deliveries agree byte for
// byte, and a retry sends what the first attempt sent (the signature covers these bytes).
#include <optional>
#include <string>

namespace tinko::events {

// One merchant_events row, as read with kStoredEventColumns.
struct StoredEvent {
    long long id = 0;           // merchant_events.id
    std::string type;           // e.g. "recovery.recovered"
    long long createdAtMs = 0;  // merchant_events.created_at, milliseconds since the Unix epoch (rounded down)
    std::string data;           // merchant_events.data as JSON text (data::text): an object
};

// The select list that reads a StoredEvent from merchant_events aliased `e`, in field order (id,
// type, createdAtMs, data), each as text. Every reader uses it, so created_at is cut to the same
// millisecond everywhere.
extern const char* const kStoredEventColumns;

// The envelope's JSON bytes: compact (PostgreSQL's spaces in `data` are dropped outside strings),
// members in the contract's order. Pure; `event.data` must be a JSON object's text.
std::string eventEnvelope(const StoredEvent& event);

// "evt_<id>": the event's public id (the feed's cursor, the webhook-id header).
std::string eventIdText(long long id);
// The id inside "evt_<id>" when `text` is exactly that form (digits, no leading zero), else nullopt.
std::optional<long long> parseEventId(const std::string& text);

// RFC 3339 UTC with milliseconds, e.g. "2026-12-06T21:30:00.123Z".
std::string rfc3339Millis(long long epochMs);

// `json` without the whitespace between tokens (strings are kept exactly).
std::string compactJson(const std::string& json);

}  // namespace tinko::events
