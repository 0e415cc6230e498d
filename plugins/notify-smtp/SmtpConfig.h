#pragma once
// The org's configuration of notify-smtp: its JSON Schema (the descriptor's config_schema) and the
// checks the schema cannot express. validate_config and send both go through parseSmtpConfig, so a
// configuration is held to the same rules when it is stored and when it is used.
#include "Address.h"
#include "SmtpSession.h"

#include "tinko/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::smtp {

// Kept in step with parseSmtpConfig, which refuses what this schema does (and more).
constexpr char kSmtpConfigSchema[] = R"schema({"type":"object","additionalProperties":false,
"properties":{
"host":{"type":"string","minLength":1,"description":"the SMTP server's host name (or IP address)"},
"port":{"type":"integer","minimum":1,"maximum":65535,"description":"587 for STARTTLS, 465 for implicit TLS"},
"tls":{"type":"string","enum":["starttls","implicit","none"],"description":"none only for a server on this machine, or without credentials"},
"username":{"type":"string","minLength":1},
"password":{"type":"string","minLength":1,"writeOnly":true},
"from":{"type":"string","minLength":3,"description":"jane@example.com or Jane Doe <jane@example.com>"},
"reply_to":{"type":"string","minLength":3},
"unsubscribe_url":{"type":"string","pattern":"^https://","description":"one-click unsubscribe (RFC 8058); else a mailto: to from"},
"helo_name":{"type":"string","minLength":1,"default":"tinko.localhost"},
"timeout_ms":{"type":"integer","minimum":100,"maximum":600000,"description":"per connect and per reply; default: the host's"}
},
"required":["host","port","tls","from"]})schema";

struct SmtpConfig {
    std::string host;
    std::uint16_t port = 0;
    TlsMode tls = TlsMode::StartTls;
    std::optional<Credentials> credentials;
    Mailbox from;
    std::optional<Mailbox> replyTo;
    std::optional<std::string> unsubscribeUrl;
    std::string heloName = "tinko.localhost";
    std::uint32_t timeoutMs = 0;   // 0: the host's default
};

// The configuration in `config` (the request's "config" object); throws sdk::Error
// TINKO_ERR_INVALID_CONFIG whose message starts with the offending key.
SmtpConfig parseSmtpConfig(const json::Value& config);

// Whether `host` is this machine (localhost, 127.0.0.0/8, ::1): the only place credentials may be
// sent without TLS, as the host's own rule for plain HTTP.
bool isLoopbackHost(std::string_view host);

}  // namespace tinko::smtp
