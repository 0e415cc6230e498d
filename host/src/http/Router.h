#pragma once
// Maps (method, path) to a handler. Templates use {name} for one path segment. Matching is pure,
// so 404/405 decisions and path parameters are unit-tested without a server.
#include "http/HttpTypes.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tinko::http {

// Who may call a route; checked before the handler runs.
enum class Access { Public, Org, Ops };

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct Route {
    std::string method;
    std::string pattern;   // e.g. "/v1/admin/orgs/{slug}/api-keys"; also the metrics label
    Access access;
    Handler handler;
};

struct RouteMatch {
    enum class Outcome { Found, NotFound, MethodNotAllowed } outcome = Outcome::NotFound;
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::string allow;     // for MethodNotAllowed: "GET, POST"
};

class Router {
public:
    void add(std::string method, std::string pattern, Access access, Handler handler);
    RouteMatch match(const std::string& method, const std::string& path) const;
    // Every route in the order it was added: what GET /v1/admin/routes lists and what the fuzz
    // suite walks.
    std::vector<const Route*> routes() const;

private:
    struct Entry {
        Route route;
        std::vector<std::string> segments;
    };
    static std::vector<std::string> split(const std::string& path);
    static bool matchSegments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                              std::map<std::string, std::string>& params);
    std::vector<Entry> entries_;
};

}  // namespace tinko::http
