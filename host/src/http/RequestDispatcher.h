#pragma once
// From a parsed request to a response: route, authenticate, check the media type, run the handler,
// and turn anything a handler throws into a problem answer. No sockets here, so it is unit-tested.
#include "http/Authenticator.h"
#include "http/HttpTypes.h"
#include "http/Router.h"

#include "http/Problem.h"

#include <map>
#include <optional>
#include <string>

namespace tinko::http {

struct DispatchResult {
    HttpResponse response;
    std::string route;   // the matched template, or "unmatched": the metrics label
};

// Checked before routing: an unknown method (501), then a target that is not printable ASCII,
// a header name that is not a token or a header value that is not clean UTF-8 (400 naming it).
std::optional<Problem> requestHeadProblem(const HttpRequest& request);
// A decoded path parameter that is not clean UTF-8 (400 naming it).
std::optional<Problem> pathParameterProblem(const std::map<std::string, std::string>& params);

class RequestDispatcher {
public:
    RequestDispatcher(const Router& router, const Authenticator& authenticator)
        : router_(router), authenticator_(authenticator) {}

    DispatchResult dispatch(HttpRequest request) const;

    // How much body to read for a request whose head is parsed: a route's larger limit
    // (BodyRules::maxBytes) when the caller's credentials admit them to it, else `serverLimit`
    // (TINKO_MAX_BODY_BYTES), so nobody can make the host read a large body unauthenticated.
    struct BodyLimit {
        std::size_t bytes;
        std::string setting;   // what sets it, for the 413
    };
    BodyLimit bodyLimit(const HttpRequest& head, std::size_t serverLimit) const;

private:
    const Router& router_;
    const Authenticator& authenticator_;
};

}  // namespace tinko::http
