#include "http/ListeningLine.h"

namespace tinko::http {

std::string listenUrl(const std::string& host, int port) {
    const bool ipv6 = host.find(':') != std::string::npos && host.front() != '[';
    return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

ListeningLine describeListening(const std::string& host, int port, const std::string& configuredPublicUrl) {
    ListeningLine line;
    line.url = listenUrl(host, port);
    if (host == "0.0.0.0")
        line.scope = "every IPv4 address of this machine";
    else if (host == "::" || host == "[::]")
        line.scope = "every IPv6 address of this machine, and IPv4 ones where the system maps them";
    line.publicUrlSet = !configuredPublicUrl.empty();
    line.publicUrl = line.publicUrlSet ? configuredPublicUrl : line.url;
    return line;
}

std::string ListeningLine::text(const std::string& version) const {
    std::string out = "tinko-host " + version + " listening on " + url;
    if (!scope.empty()) out += ", " + scope;
    out += " (public URL " + publicUrl;
    if (publicUrlUnreachable())
        out += ", which nobody can reach: set TINKO_PUBLIC_URL";
    else if (!publicUrlSet)
        out += ": TINKO_PUBLIC_URL is unset";
    return out + ")";
}

}  // namespace tinko::http
