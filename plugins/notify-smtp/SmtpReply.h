#pragma once
// SMTP replies (RFC 5321 4.2): a three-digit code and text, on one line ("250 OK") or several
// ("250-first", ..., "250 last"). ReplyReader cuts complete replies out of whatever bytes the
// connection delivers, however they were split; EhloCapabilities reads what an EHLO reply offers.
#include <cstddef>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tinko::smtp {

struct SmtpReply {
    int code = 0;
    std::vector<std::string> lines;   // the text of each line, after "NNN-" or "NNN "

    bool isPositive() const { return code >= 200 && code < 300; }
    bool isTransientFailure() const { return code >= 400 && code < 500; }
    bool isPermanentFailure() const { return code >= 500 && code < 600; }
    // "550 5.1.1 no such user" (several lines joined by " / "), for messages to people.
    std::string summary() const;
};

// The server broke the reply syntax, or sent more than a reply may hold.
struct ProtocolError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class ReplyReader {
public:
    // Bytes as they arrived from the server.
    void feed(std::string_view bytes);
    // The next complete reply, or nullopt when more bytes are needed. Throws ProtocolError.
    std::optional<SmtpReply> next();
    // Bytes received after the last complete reply (there must be none when TLS starts).
    std::size_t buffered() const { return buffer_.size(); }

private:
    std::string buffer_;
    SmtpReply partial_;   // the lines of a multi-line reply read so far
};

// What the server offers in its EHLO reply (the lines after the greeting line).
struct EhloCapabilities {
    bool startTls = false;
    std::set<std::string> authMechanisms;   // upper case, e.g. "PLAIN", "LOGIN"

    static EhloCapabilities of(const SmtpReply& ehloReply);
};

}  // namespace tinko::smtp
