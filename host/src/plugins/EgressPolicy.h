#pragma once
// Where plugins may connect (issue 11, SSRF). Pure: the host services resolve the name, ask
// decideEgress() about the resolved addresses, and connect to exactly the address it picked, so a
// DNS answer cannot change between the check and the connection.
//
// A call is allowed when ops allow it (TINKO_EGRESS_ALLOW: host, host:port or CIDR; then loopback,
// private addresses and plain transport are fine), or when the plugin declared host:port, the
// transport is encrypted and the address is public. An org's configuration never widens this.
#include <Poco/JSON/Object.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tinko::plugins {

// An IPv4 or IPv6 address as bytes; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is kept as IPv4.
struct IpAddress {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};   // IPv4 uses the first 4

    static std::optional<IpAddress> parse(const std::string& text);   // "10.0.0.1", "::1", "[::1]"
    std::string toString() const;
    bool operator==(const IpAddress& other) const { return v6 == other.v6 && bytes == other.bytes; }
};

// Why `address` is not a public internet address ("loopback", "private (RFC 1918)", ...), or
// nullopt when it is one.
std::optional<std::string> nonPublicKind(const IpAddress& address);

// One entry of TINKO_EGRESS_ALLOW.
struct EgressAllowEntry {
    std::string host;                     // lower-case name or address text; empty for a CIDR range
    std::optional<std::uint16_t> port;    // any port when empty
    std::optional<IpAddress> network;     // a CIDR range (or a single literal address)
    int prefixBits = 0;
};

// Parses "127.0.0.1, localhost, [::1]:8080, 10.0.0.0/8, smtp.internal:25"; each bad entry adds
// a problem naming it. An empty text is an empty list.
std::vector<EgressAllowEntry> parseEgressAllow(const std::string& text, std::vector<std::string>& problems);

// One host:port a plugin declares in its describe answer ("egress"); host "*" is any host.
struct DeclaredHost {
    std::string host;
    std::uint16_t port = 0;
};

// What a plugin declares: where it connects, and (PSPs) the hosts of its checkout pages.
struct PluginEgress {
    std::vector<DeclaredHost> hosts;
    std::vector<std::string> checkoutHosts;
};

// Reads "egress" and "checkout_hosts" of a describe answer (JSON text); each bad entry adds a problem.
PluginEgress parsePluginEgress(const std::string& describeJson, std::vector<std::string>& problems);

struct EgressRequest {
    std::string host;                     // as the plugin named it
    std::uint16_t port = 0;
    bool encrypted = false;               // TLS from the first byte
    std::vector<IpAddress> resolved;      // in the resolver's order
};

struct EgressDecision {
    std::optional<IpAddress> address;     // the address to connect to; empty = refused
    std::string refusal;                  // when refused: why, naming the host and TINKO_EGRESS_ALLOW
};

class EgressPolicy {
public:
    EgressPolicy() = default;
    explicit EgressPolicy(std::vector<EgressAllowEntry> opsAllowed) : opsAllowed_(std::move(opsAllowed)) {}

    EgressDecision decide(const std::vector<DeclaredHost>& declared, const EgressRequest& request) const;

    // Whether ops allow host:port (by name), or `address` when given.
    bool opsAllow(const std::string& host, std::uint16_t port, const std::optional<IpAddress>& address) const;
    // Whether the plugin declared host:port.
    static bool declares(const std::vector<DeclaredHost>& declared, const std::string& host, std::uint16_t port);

    // What a configuration can be told before any call (PUT /v1/config): why host:port will be
    // refused whatever it resolves to, or empty. Knows only the name: a literal private address,
    // an undeclared host, or plain transport to a host ops do not allow.
    std::string refusalKnownNow(const std::vector<DeclaredHost>& declared, const std::string& host, std::uint16_t port,
                                bool encrypted) const;

    // Why a checkout URL may not be a redirect target, or empty when it may: https (or http to an
    // ops-allowed host), no control characters or spaces, and a declared checkout host.
    std::string checkoutUrlProblem(const std::vector<std::string>& checkoutHosts, const std::string& url) const;

private:
    std::vector<EgressAllowEntry> opsAllowed_;
};

// What the policy already says about where an org's plugin `config` points (PUT /v1/config):
// "api_base" (a URL) or "host" + "port" (a stream, encrypted unless "tls" is "none"), as
// (field, why) pairs. Names are not resolved here: the call checks the addresses they resolve to.
std::vector<std::pair<std::string, std::string>> configEgressProblems(const Poco::JSON::Object& config,
                                                                      const PluginEgress& declared,
                                                                      const EgressPolicy& policy);

}  // namespace tinko::plugins
