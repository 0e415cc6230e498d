#pragma once
// One SMTP submission (RFC 5321, STARTTLS RFC 3207, AUTH RFC 4954) over a connection that is
// already open: greeting, EHLO, STARTTLS and EHLO again, AUTH, MAIL FROM, RCPT TO, DATA, QUIT.
// Every reply code is checked, and a failure becomes the sdk::Error the host must see:
//   - a 4xx reply: TINKO_ERR_PROVIDER, retryable, provider_code = the code ("421");
//   - a 5xx reply: TINKO_ERR_PROVIDER, not retryable (permanent for this recipient); a refused
//     AUTH, and 530 "authentication required" anywhere, are TINKO_ERR_AUTH instead;
//   - the connection failing or timing out: TINKO_ERR_NETWORK, retryable, except after the whole
//     message went out and before the server's verdict: the server may have accepted it, so that is
//     TINKO_ERR_NETWORK with provider_code "outcome_unknown" and not retryable (a blind resend could
//     deliver the message twice);
//   - STARTTLS required but not offered, or credentials but no usable AUTH: TINKO_ERR_INVALID_CONFIG
//     (retrying cannot help; the message never goes out in clear, nor unauthenticated);
//   - a reply that is not SMTP: TINKO_ERR_PROVIDER, retryable, provider_code "protocol_error".
#include <optional>
#include <string>
#include <string_view>

namespace tinko::smtp {

// The connection the session talks over. Every failure throws sdk::Error(TINKO_ERR_NETWORK).
class SmtpTransport {
public:
    virtual ~SmtpTransport() = default;
    virtual void write(std::string_view bytes) = 0;
    // What the server sent: at least one byte.
    virtual std::string read() = 0;
    // Upgrades to TLS, verifying the server's certificate for `serverName`.
    virtual void startTls(const std::string& serverName) = 0;
};

enum class TlsMode { StartTls, Implicit, None };

struct Credentials {
    std::string username;
    std::string password;
};

struct SessionSettings {
    std::string serverName;                  // the configured host: what the certificate must name
    TlsMode tls = TlsMode::StartTls;         // Implicit: the transport is TLS from the start
    std::string heloName = "tinko.localhost";
    std::optional<Credentials> credentials;
};

struct Envelope {
    std::string mailFrom;    // a checked address (see Address.h)
    std::string recipient;   // a checked address
    std::string message;     // the whole message, CRLF line endings, not yet dot-stuffed
};

struct Delivery {
    std::string acceptedReply;   // the server's reply to the end of the data, e.g. "250 2.0.0 Ok: queued as 4F2"
    std::string quitProblem;     // why QUIT went wrong after the message was accepted; "" when it did not
};

// `message` with every line that starts with "." doubled (RFC 5321 4.5.2), ending with CRLF and
// the end-of-data line ".".
std::string dotStuffed(std::string_view message);

// Sends `envelope` over `transport`; throws sdk::Error as described above.
Delivery deliver(SmtpTransport& transport, const SessionSettings& settings, const Envelope& envelope);

}  // namespace tinko::smtp
