#include "plugins/EgressPolicy.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace tinko::plugins {

namespace {
const char* kSetting = "TINKO_EGRESS_ALLOW";

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    const auto begin = s.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

std::optional<std::uint16_t> parsePort(const std::string& text) {
    if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const long value = std::stol(text);
    if (value < 1 || value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

// A DNS name as a host may be written: letters, digits, '-', '.', at most 253 characters.
bool isHostName(const std::string& s) {
    if (s.empty() || s.size() > 253 || s.front() == '.' || s.front() == '-') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
    });
}

// Splits "host", "host:port", "[v6]", "[v6]:port", or a bare IPv6 address into host and port text.
bool splitHostPort(const std::string& entry, std::string& host, std::string& port) {
    if (!entry.empty() && entry.front() == '[') {
        const auto close = entry.find(']');
        if (close == std::string::npos) return false;
        host = entry.substr(1, close - 1);
        const std::string rest = entry.substr(close + 1);
        if (rest.empty()) return true;
        if (rest.front() != ':') return false;
        port = rest.substr(1);
        return true;
    }
    const auto colon = entry.find(':');
    if (colon == std::string::npos || entry.find(':', colon + 1) != std::string::npos) {
        host = entry;   // no port, or a bare IPv6 address (many colons)
        return true;
    }
    host = entry.substr(0, colon);
    port = entry.substr(colon + 1);
    return true;
}

bool inNetwork(const IpAddress& address, const IpAddress& network, int prefixBits) {
    if (address.v6 != network.v6) return false;
    for (int bit = 0; bit < prefixBits; ++bit) {
        const int byte = bit / 8, mask = 0x80 >> (bit % 8);
        if ((address.bytes[byte] & mask) != (network.bytes[byte] & mask)) return false;
    }
    return true;
}

bool inV4(const IpAddress& a, std::uint8_t b0, std::uint8_t b1, int prefixBits) {
    IpAddress network;
    network.bytes[0] = b0;
    network.bytes[1] = b1;
    return !a.v6 && inNetwork(a, network, prefixBits);
}

bool inV6(const IpAddress& a, std::uint8_t b0, std::uint8_t b1, int prefixBits) {
    IpAddress network;
    network.v6 = true;
    network.bytes[0] = b0;
    network.bytes[1] = b1;
    return a.v6 && inNetwork(a, network, prefixBits);
}

IpAddress v4From(const std::uint8_t* b) {
    IpAddress out;
    std::memcpy(out.bytes.data(), b, 4);
    return out;
}

std::string describeTarget(const std::string& host, std::uint16_t port) { return host + ":" + std::to_string(port); }

std::string allowHint(const std::string& host, std::uint16_t port) {
    return "; ops can allow it with " + std::string(kSetting) + "=" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
           ":" + std::to_string(port);
}
}  // namespace

std::optional<IpAddress> IpAddress::parse(const std::string& textIn) {
    std::string text = textIn;
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    IpAddress out;
    in_addr v4{};
    in6_addr v6{};
    if (text.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, text.c_str(), &v4) != 1) return std::nullopt;
        std::memcpy(out.bytes.data(), &v4, 4);
        return out;
    }
    if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return std::nullopt;
    out.v6 = true;
    std::memcpy(out.bytes.data(), &v6, 16);
    // ::ffff:a.b.c.d is the IPv4 address a.b.c.d: judge it (and connect to it) as that.
    static const std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(out.bytes.data(), mapped, 12) == 0) return v4From(out.bytes.data() + 12);
    return out;
}

std::string IpAddress::toString() const {
    char buffer[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buffer, sizeof buffer);
    return buffer;
}

std::optional<std::string> nonPublicKind(const IpAddress& a) {
    if (!a.v6) {
        if (inV4(a, 0, 0, 8)) return "unspecified (0.0.0.0/8)";
        if (inV4(a, 127, 0, 8)) return "loopback";
        if (inV4(a, 10, 0, 8) || inV4(a, 172, 16, 12) || inV4(a, 192, 168, 16)) return "private (RFC 1918)";
        if (inV4(a, 169, 254, 16)) return "link-local (cloud metadata lives at 169.254.169.254)";
        if (inV4(a, 100, 64, 10)) return "carrier-grade NAT (100.64.0.0/10)";
        if (inV4(a, 192, 0, 24)) return "IETF protocol assignment (192.0.0.0/24)";
        if (inV4(a, 198, 18, 15)) return "benchmarking (198.18.0.0/15)";
        if (inV4(a, 224, 0, 4) || inV4(a, 240, 0, 4)) return "multicast or reserved";
        return std::nullopt;
    }
    static const std::array<std::uint8_t, 16> zero{};
    std::array<std::uint8_t, 16> loopback{};
    loopback[15] = 1;
    if (a.bytes == zero) return "unspecified (::)";
    if (a.bytes == loopback) return "loopback";
    if (inV6(a, 0xfe, 0x80, 10)) return "link-local (fe80::/10)";
    if (inV6(a, 0xfc, 0x00, 7)) return "unique-local (fc00::/7)";
    if (inV6(a, 0xff, 0x00, 8)) return "multicast";
    if (inV6(a, 0xfe, 0xc0, 10)) return "site-local (fec0::/10)";
    // Forms that carry an IPv4 address inside: judge the IPv4 address.
    static const std::uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (std::all_of(a.bytes.begin(), a.bytes.begin() + 12, [](std::uint8_t b) { return b == 0; }))
        return nonPublicKind(v4From(a.bytes.data() + 12)).value_or("IPv4-compatible (::/96)");
    if (std::memcmp(a.bytes.data(), nat64, 12) == 0) return nonPublicKind(v4From(a.bytes.data() + 12));
    if (a.bytes[0] == 0x20 && a.bytes[1] == 0x02) return nonPublicKind(v4From(a.bytes.data() + 2));   // 6to4
    return std::nullopt;
}

std::vector<EgressAllowEntry> parseEgressAllow(const std::string& text, std::vector<std::string>& problems) {
    std::vector<EgressAllowEntry> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const std::string entry = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        start = comma == std::string::npos ? text.size() + 1 : comma + 1;
        if (entry.empty()) continue;
        const std::string bad = std::string(kSetting) + ": '" + entry + "' ";
        EgressAllowEntry item;
        if (const auto slash = entry.find('/'); slash != std::string::npos) {
            auto network = IpAddress::parse(entry.substr(0, slash));
            const std::string bits = entry.substr(slash + 1);
            const int maxBits = network && network->v6 ? 128 : 32;
            if (!network || bits.empty() || bits.size() > 3 ||
                !std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
                std::stoi(bits) > maxBits) {
                problems.push_back(bad + "is not a CIDR range such as 10.0.0.0/8 or fd00::/8");
                continue;
            }
            item.network = network;
            item.prefixBits = std::stoi(bits);
            out.push_back(item);
            continue;
        }
        std::string host, port;
        if (!splitHostPort(entry, host, port)) {
            problems.push_back(bad + "is not a host, host:port or CIDR range (write IPv6 with a port as [::1]:8080)");
            continue;
        }
        if (!port.empty()) {
            item.port = parsePort(port);
            if (!item.port) {
                problems.push_back(bad + "has a port that is not a number from 1 to 65535");
                continue;
            }
        }
        if (auto address = IpAddress::parse(host)) {
            item.network = address;
            item.prefixBits = address->v6 ? 128 : 32;
            item.host = address->toString();
        } else if (isHostName(host)) {
            item.host = lower(host);
        } else {
            problems.push_back(bad + "is not a host name, IP address, host:port or CIDR range");
            continue;
        }
        out.push_back(item);
    }
    return out;
}

PluginEgress parsePluginEgress(const std::string& describeJson, std::vector<std::string>& problems) {
    PluginEgress out;
    Poco::JSON::Object::Ptr described;
    try {
        Poco::JSON::Parser parser;
        described = parser.parse(describeJson).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
        problems.push_back("describe did not answer a JSON object");
        return out;
    }
    if (described->has("egress")) {
        auto list = described->getArray("egress");
        if (!list) problems.push_back("describe's \"egress\" must be an array of \"host:port\" strings");
        for (std::size_t i = 0; list && i < list->size(); ++i) {
            const auto item = list->get(i);
            std::string host, port;
            const std::string text = item.isString() ? item.toString() : "";
            std::optional<std::uint16_t> portNumber;
            if (splitHostPort(text, host, port)) portNumber = parsePort(port);
            if (!portNumber || (host != "*" && !isHostName(host) && !IpAddress::parse(host))) {
                problems.push_back("describe's \"egress\" entry '" + text + "' is not \"host:port\" (host may be \"*\")");
                continue;
            }
            out.hosts.push_back({lower(host), *portNumber});
        }
    }
    if (described->has("checkout_hosts")) {
        auto list = described->getArray("checkout_hosts");
        if (!list) problems.push_back("describe's \"checkout_hosts\" must be an array of host names");
        for (std::size_t i = 0; list && i < list->size(); ++i) {
            const auto item = list->get(i);
            const std::string text = item.isString() ? item.toString() : "";
            if (!isHostName(text)) {
                problems.push_back("describe's \"checkout_hosts\" entry '" + text + "' is not a host name");
                continue;
            }
            out.checkoutHosts.push_back(lower(text));
        }
    }
    return out;
}

bool EgressPolicy::opsAllow(const std::string& hostIn, std::uint16_t port, const std::optional<IpAddress>& address) const {
    const std::string host = lower(hostIn);
    for (const auto& entry : opsAllowed_) {
        if (entry.port && *entry.port != port) continue;
        if (!entry.host.empty() && entry.host == host) return true;
        if (entry.network && address && inNetwork(*address, *entry.network, entry.prefixBits)) return true;
    }
    return false;
}

bool EgressPolicy::declares(const std::vector<DeclaredHost>& declared, const std::string& hostIn, std::uint16_t port) {
    const std::string host = lower(hostIn);
    return std::any_of(declared.begin(), declared.end(),
                       [&](const DeclaredHost& d) { return d.port == port && (d.host == "*" || d.host == host); });
}

EgressDecision EgressPolicy::decide(const std::vector<DeclaredHost>& declared, const EgressRequest& request) const {
    const std::string target = describeTarget(request.host, request.port);
    const bool isDeclared = declares(declared, request.host, request.port);
    std::string privateAddress;
    for (const auto& address : request.resolved) {
        if (opsAllow(request.host, request.port, address)) return {address, ""};
        if (!isDeclared || !request.encrypted) continue;
        if (auto kind = nonPublicKind(address)) {
            if (privateAddress.empty()) privateAddress = address.toString() + ", a " + *kind + " address";
            continue;
        }
        return {address, ""};
    }
    EgressDecision refused;
    if (request.resolved.empty()) refused.refusal = "egress refused: " + target + " did not resolve to any address";
    else if (!isDeclared)
        refused.refusal = "egress refused: " + target + " is not a host this plugin declares" + allowHint(request.host, request.port);
    else if (!request.encrypted)
        refused.refusal = "egress refused: plain (unencrypted) connections to " + target +
                          " are not allowed; use https/TLS" + allowHint(request.host, request.port);
    else
        refused.refusal = "egress refused: " + target + " resolves to " + privateAddress + allowHint(request.host, request.port);
    return refused;
}

std::string EgressPolicy::refusalKnownNow(const std::vector<DeclaredHost>& declared, const std::string& host,
                                          std::uint16_t port, bool encrypted) const {
    if (auto literal = IpAddress::parse(host)) return decide(declared, {host, port, encrypted, {*literal}}).refusal;
    if (opsAllow(host, port, std::nullopt)) return "";
    // A name may resolve into an ops-allowed range; only the call can tell then.
    const bool rangesAllowed = std::any_of(opsAllowed_.begin(), opsAllowed_.end(),
                                           [](const EgressAllowEntry& e) { return e.host.empty() || IpAddress::parse(e.host); });
    if (rangesAllowed) return "";
    const std::string target = describeTarget(host, port);
    if (!declares(declared, host, port))
        return "egress refused: " + target + " is not a host this plugin declares" + allowHint(host, port);
    if (!encrypted)
        return "egress refused: plain (unencrypted) connections to " + target + " are not allowed; use https/TLS" +
               allowHint(host, port);
    return "";
}

std::string EgressPolicy::checkoutUrlProblem(const std::vector<std::string>& checkoutHosts, const std::string& url) const {
    if (url.empty()) return "the checkout URL is empty";
    if (url.size() > 4096) return "the checkout URL is longer than 4096 characters";
    for (unsigned char c : url)
        if (c <= 0x20 || c >= 0x7f || c == '\\') return "the checkout URL holds a control character, space, backslash or non-ASCII byte";
    const auto schemeEnd = url.find("://");
    const std::string scheme = schemeEnd == std::string::npos ? "" : lower(url.substr(0, schemeEnd));
    if (scheme != "https" && scheme != "http") return "the checkout URL is not an https URL";
    const std::string rest = url.substr(schemeEnd + 3);
    const std::string authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.find('@') != std::string::npos) return "the checkout URL carries user information";
    std::string host, portText;
    if (authority.empty() || !splitHostPort(authority, host, portText) || host.empty())
        return "the checkout URL has no host";
    std::optional<std::uint16_t> port = portText.empty() ? std::optional<std::uint16_t>(scheme == "https" ? 443 : 80)
                                                         : parsePort(portText);
    if (!port) return "the checkout URL has a bad port";
    host = lower(host);
    if (opsAllow(host, *port, IpAddress::parse(host))) return "";
    if (scheme != "https") return "the checkout URL is not https (plain http only to hosts in " + std::string(kSetting) + ")";
    if (*port != 443) return "the checkout URL's port " + std::to_string(*port) + " is not https' 443";
    if (std::find(checkoutHosts.begin(), checkoutHosts.end(), host) == checkoutHosts.end())
        return "the checkout URL's host " + host + " is not one of the plugin's declared checkout hosts";
    return "";
}

std::vector<std::pair<std::string, std::string>> configEgressProblems(const Poco::JSON::Object& config,
                                                                      const PluginEgress& declared,
                                                                      const EgressPolicy& policy) {
    std::vector<std::pair<std::string, std::string>> out;
    if (config.has("api_base") && config.get("api_base").isString()) {
        try {
            Poco::URI uri(config.getValue<std::string>("api_base"));
            const std::string why = policy.refusalKnownNow(declared.hosts, uri.getHost(), uri.getPort(), uri.getScheme() == "https");
            if (!why.empty()) out.emplace_back("config.api_base", why);
        } catch (const Poco::Exception&) {
            // not a URL: the schema and the plugin's validate_config say so
        }
    }
    if (config.has("host") && config.get("host").isString() && config.has("port") && config.get("port").isInteger()) {
        const std::string host = lower(config.getValue<std::string>("host"));
        const long long port = config.getValue<long long>("port");
        if (port < 1 || port > 65535) return out;
        const auto port16 = static_cast<std::uint16_t>(port);
        const bool encrypted = config.optValue<std::string>("tls", "") != "none";
        const std::string why = policy.refusalKnownNow(declared.hosts, host, port16, encrypted);
        if (why.empty()) return out;
        // A host the plugin may reach on other ports: the port is what is wrong.
        const bool otherPort = std::any_of(declared.hosts.begin(), declared.hosts.end(),
                                           [&](const DeclaredHost& d) { return d.host == "*" || d.host == host; });
        out.emplace_back(otherPort && !EgressPolicy::declares(declared.hosts, host, port16) ? "config.port" : "config.host", why);
    }
    return out;
}

}  // namespace tinko::plugins
