#pragma once
// The message the plugin sends (RFC 5322 + MIME): headers, then a text/plain part, or a
// multipart/alternative with text/plain first and text/html second (clients show the last part
// they can render). Everything is 7-bit with CRLF line endings: bodies are quoted-printable or
// base64, non-ASCII header text is RFC 2047-encoded. SMTP's dot-stuffing is the session's job.
#include "Address.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinko::smtp {

struct OutgoingEmail {
    Mailbox from;
    Mailbox to;
    std::optional<Mailbox> replyTo;
    std::string subject;                 // UTF-8, one line; empty: no Subject header
    std::string text;                    // UTF-8
    std::optional<std::string> html;     // UTF-8; set: multipart/alternative
    std::int64_t dateUnixSeconds = 0;
    std::string messageId;               // with its angle brackets, see messageIdFor
    // An HTTPS URL for one-click unsubscribe (RFC 8058); List-Unsubscribe always has a mailto: to `from`.
    std::optional<std::string> unsubscribeUrl;
    std::string idempotencyKey;          // printable ASCII
    std::vector<std::pair<std::string, std::string>> extraHeaders;   // each passed extraHeaderProblem
    std::string boundary;                // see mimeBoundary
};

// The whole message, CRLF line endings, 7-bit.
std::string buildMessage(const OutgoingEmail& email);

// "Thu, 01 Jan 2026 00:00:00 +0000" (RFC 5322 3.3), in UTC, with English names whatever the locale.
std::string rfc5322Date(std::int64_t unixSeconds);

// "<tinko.{32 hex digits}@{domain of from}>", a digest of the idempotency key, sender and
// recipient: a retry of the same send carries the same Message-ID (so receivers and threads can
// tell it is the same message), and the key itself does not leak into it.
std::string messageIdFor(std::string_view idempotencyKey, const Mailbox& from, const Mailbox& to);

// A multipart boundary from random bytes. It starts with "=_", which can occur neither in
// quoted-printable (where '=' is always followed by hex digits or a line break) nor in base64:
// the bodies can never contain it, so they need not be searched.
std::string mimeBoundary(const std::vector<std::uint8_t>& randomBytes);

// Why the caller's header `name: value` may not go into the message, or "" when it may. Allowed
// are X-* names (but not X-Tinko-*, which are the plugin's) and a few informational ones: a caller
// must not be able to change the sender, recipients, MIME structure or unsubscribe headers.
std::string extraHeaderProblem(std::string_view name, std::string_view value);

struct EncodedBody {
    std::string transferEncoding;   // "quoted-printable" or "base64"
    std::string content;            // 7-bit, CRLF line endings
};
// `utf8Text` in canonical form (CRLF line breaks), quoted-printable or base64, whichever is
// shorter: readable quoted-printable for mostly-ASCII text, compact base64 for, say, Cyrillic.
EncodedBody encodeBody(std::string_view utf8Text);

}  // namespace tinko::smtp
