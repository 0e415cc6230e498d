#pragma once
// What the host says once it serves: the address it is bound to, said honestly (0.0.0.0 and ::
// are every address of the machine, not one a client can use), and the public URL that customers
// and providers are given in links and callbacks. Pure, so every form is unit-tested.
#include <string>

namespace tinko::http {

// http://HOST:PORT, with an IPv6 address in brackets.
std::string listenUrl(const std::string& host, int port);

struct ListeningLine {
    std::string url;          // what the socket is bound to: http://127.0.0.1:8080
    std::string scope;        // empty for one address; "every IPv4 address of this machine" for 0.0.0.0, ...
    std::string publicUrl;    // TINKO_PUBLIC_URL, else `url`
    bool publicUrlSet = false;
    // Unset TINKO_PUBLIC_URL on a wildcard address: links would point at 0.0.0.0, which nobody can reach.
    bool publicUrlUnreachable() const { return !publicUrlSet && !scope.empty(); }
    // The stdout line: "tinko-host 1.2.0 listening on http://127.0.0.1:8080 (public URL https://pay.example.com)".
    std::string text(const std::string& version) const;
};

// `configuredPublicUrl`: TINKO_PUBLIC_URL, empty when unset.
ListeningLine describeListening(const std::string& host, int port, const std::string& configuredPublicUrl);

}  // namespace tinko::http
