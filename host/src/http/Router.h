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

// What body a route takes beyond the API's JSON: raw bytes (application/octet-stream, neither
// JSON nor UTF-8 checked), and a larger limit than TINKO_MAX_BODY_BYTES, granted only to callers
// the route admits (a stranger's body is cut at the server's limit).
struct BodyRules {
    bool acceptsBytes = false;
    std::size_t maxBytes = 0;   // 0: the server's limit
    std::string limitSetting;   // the setting that sets maxBytes, named in the 413
};

struct Route {
    std::string method;
    std::string pattern;   // e.g. "/v1/admin/orgs/{slug}/api-keys"; also the metrics label
    Access access;
    Handler handler;
    BodyRules body = {};
};

struct RouteMatch {
    enum class Outcome { Found, NotFound, MethodNotAllowed } outcome = Outcome::NotFound;
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::string allow;     // for MethodNotAllowed: "GET, POST"
};

class Router {
public:
    void add(std::string method, std::string pattern, Access access, Handler handler, BodyRules body = {});
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
