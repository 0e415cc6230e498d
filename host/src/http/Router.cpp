#include "http/Router.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace tinko::http {

std::vector<std::string> Router::split(const std::string& path) {
    std::vector<std::string> out;
    std::string current;
    for (char c : path) {
        if (c == '/') {
            if (!current.empty()) out.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

void Router::add(std::string method, std::string pattern, Access access, Handler handler, BodyRules body) {
    auto segments = split(pattern);
    entries_.push_back(
        {Route{std::move(method), std::move(pattern), access, std::move(handler), std::move(body)}, std::move(segments)});
}

bool Router::matchSegments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                           std::map<std::string, std::string>& params) {
    if (pattern.size() != path.size()) return false;
    std::map<std::string, std::string> captured;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const auto& p = pattern[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
            std::string decoded;
            try {
                Poco::URI::decode(path[i], decoded);
            } catch (const Poco::Exception&) {
                return false;  // a malformed escape names no resource
            }
            captured[p.substr(1, p.size() - 2)] = decoded;
        } else if (p != path[i]) {
            return false;
        }
    }
    params = std::move(captured);
    return true;
}

std::vector<const Route*> Router::routes() const {
    std::vector<const Route*> out;
    for (const auto& entry : entries_) out.push_back(&entry.route);
    return out;
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
    RouteMatch result;
    const auto segments = split(path);
    // HEAD is answered like GET (without a body) wherever GET is.
    const std::string lookup = method == "HEAD" ? "GET" : method;
    for (const auto& entry : entries_) {
        std::map<std::string, std::string> params;
        if (!matchSegments(entry.segments, segments, params)) continue;
        if (entry.route.method == lookup) {
            result.outcome = RouteMatch::Outcome::Found;
            result.route = &entry.route;
            result.params = std::move(params);
            return result;
        }
        for (const std::string& method : entry.route.method == "GET" ? std::vector<std::string>{"GET", "HEAD"}
                                                                     : std::vector<std::string>{entry.route.method})
            if ((", " + result.allow + ",").find(", " + method + ",") == std::string::npos)
                result.allow += (result.allow.empty() ? "" : ", ") + method;
        result.outcome = RouteMatch::Outcome::MethodNotAllowed;
    }
    return result;
}

}  // namespace tinko::http
