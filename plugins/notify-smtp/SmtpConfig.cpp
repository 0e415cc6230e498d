#include "SmtpConfig.h"

#include "TextEncoding.h"

#include "tinko/helpers/fields.hpp"

#include "tinko/sdk.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <cstring>

namespace tinko::smtp {

namespace {

namespace sdk = tinko::sdk;
using json::Value;
using sdk::helpers::optionalSetting;

constexpr std::string_view kSettings[] = {"host", "port", "tls", "username", "password", "from", "reply_to",
                                          "unsubscribe_url", "helo_name", "timeout_ms"};
constexpr std::size_t kMaxHostName = 253;
constexpr std::size_t kMaxUrl = 2000;
constexpr std::int64_t kMinTimeoutMs = 100;
constexpr std::int64_t kMaxTimeoutMs = 600000;
constexpr unsigned char kIpv6Loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
constexpr unsigned char kIpv4MappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

// A host name, an IPv4 address or an IPv6 address: what the host's stream service can resolve.
bool isHostName(std::string_view name) {
    if (name.empty() || name.size() > kMaxHostName) return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':') return false;
    return true;
}

Mailbox mailboxSetting(const std::string& text, std::string_view key) {
    try {
        return parseMailbox(text);
    } catch (const AddressError& e) {
        throw sdk::invalidConfig(std::string(key) + " is not a usable address: " + e.what());
    }
}

TlsMode tlsSetting(const std::string& text) {
    if (text == "starttls") return TlsMode::StartTls;
    if (text == "implicit") return TlsMode::Implicit;
    if (text == "none") return TlsMode::None;
    throw sdk::invalidConfig("tls must be \"starttls\", \"implicit\" or \"none\", not \"" + text.substr(0, 40) + "\"");
}

std::string unsubscribeUrlSetting(const std::string& url) {
    if (url.rfind("https://", 0) != 0 || url.size() <= 8)
        throw sdk::invalidConfig("unsubscribe_url must be an https:// URL (RFC 8058 one-click unsubscribe needs HTTPS)");
    if (url.size() > kMaxUrl) throw sdk::invalidConfig("unsubscribe_url is longer than 2000 characters");
    // It goes into a header between < and >: nothing may end it early or break the line.
    for (char c : url)
        if (c <= ' ' || c > '~' || c == '<' || c == '>' || c == '"')
            throw sdk::invalidConfig("unsubscribe_url contains a character that must be percent-encoded");
    return url;
}

}  // namespace

bool isLoopbackHost(std::string_view host) {
    std::string name(host);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "localhost" || name == "localhost.") return true;
    unsigned char address[16];
    if (inet_pton(AF_INET, name.c_str(), address) == 1) return address[0] == 127;
    if (inet_pton(AF_INET6, name.c_str(), address) == 1) {
        if (std::memcmp(address, kIpv6Loopback, 16) == 0) return true;
        return std::memcmp(address, kIpv4MappedPrefix, 12) == 0 && address[12] == 127;   // ::ffff:127.x.x.x
    }
    return false;
}

SmtpConfig parseSmtpConfig(const Value& config) {
    for (const auto& [key, value] : config.asObject()) {
        bool known = false;
        for (std::string_view setting : kSettings) known = known || key == setting;
        if (!known) throw sdk::invalidConfig(key.substr(0, 60) + " is not a setting of notify-smtp");
    }

    SmtpConfig out;
    out.host = sdk::requireString(config, "host", TINKO_ERR_INVALID_CONFIG);
    if (!isHostName(out.host)) throw sdk::invalidConfig("host must be a host name or an IP address");

    const std::int64_t port = sdk::requireInt(config, "port", TINKO_ERR_INVALID_CONFIG);
    if (port < 1 || port > 65535) throw sdk::invalidConfig("port must be between 1 and 65535");
    out.port = static_cast<std::uint16_t>(port);

    out.tls = tlsSetting(sdk::requireString(config, "tls", TINKO_ERR_INVALID_CONFIG));

    const std::optional<std::string> username = optionalSetting(config, "username");
    const std::optional<std::string> password = optionalSetting(config, "password");
    if (username && !password) throw sdk::invalidConfig("password is required when username is set");
    if (password && !username) throw sdk::invalidConfig("username is required when password is set");
    if (username) {
        // A line break would end the AUTH exchange early and smuggle in a command.
        if (containsLineBreak(*username) || containsLineBreak(*password))
            throw sdk::invalidConfig("username and password must not contain line breaks");
        if (out.tls == TlsMode::None && !isLoopbackHost(out.host))
            throw sdk::invalidConfig("tls \"none\" would send the username and password in clear to " + out.host +
                                     "; use \"starttls\" or \"implicit\" (without TLS, credentials may go only to this machine)");
        out.credentials = Credentials{*username, *password};
    }

    out.from = mailboxSetting(sdk::requireString(config, "from", TINKO_ERR_INVALID_CONFIG), "from");
    if (const auto replyTo = optionalSetting(config, "reply_to")) out.replyTo = mailboxSetting(*replyTo, "reply_to");
    if (const auto url = optionalSetting(config, "unsubscribe_url")) out.unsubscribeUrl = unsubscribeUrlSetting(*url);

    if (const auto helo = optionalSetting(config, "helo_name")) {
        if (!isHostName(*helo) || helo->find(':') != std::string::npos)
            throw sdk::invalidConfig("helo_name must be a host name, e.g. mail.example.com");
        out.heloName = *helo;
    }

    if (const Value* timeout = config.find("timeout_ms"); timeout && !timeout->isNull()) {
        const std::int64_t ms = sdk::requireInt(config, "timeout_ms", TINKO_ERR_INVALID_CONFIG);
        if (ms < kMinTimeoutMs || ms > kMaxTimeoutMs) throw sdk::invalidConfig("timeout_ms must be between 100 and 600000");
        out.timeoutMs = static_cast<std::uint32_t>(ms);
    }
    return out;
}

}  // namespace tinko::smtp
