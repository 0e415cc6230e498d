#include "http/RequestDispatcher.h"

#include "http/HeaderBytes.h"
#include "http/Problem.h"
#include "security/SecretTokens.h"
#include "store/PgConnection.h"
#include "util/Log.h"
#include "util/Utf8.h"

#include <Poco/Exception.h>

namespace tinko::http {

namespace {
bool carriesBody(const std::string& method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

bool isJsonMediaType(const std::string& type) {
    return type == "application/json" || (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
}

Problem refusedPart(const std::string& field, const std::string& what, const std::string& why) {
    Problem p = problems::badRequest(what + " " + why);
    p.errors.push_back({field, why});
    return p;
}
}  // namespace

std::optional<Problem> requestHeadProblem(const HttpRequest& request) {
    if (!isKnownMethod(request.method)) return problems::notImplemented(request.method);
    if (auto why = requestTargetProblem(request.path)) return problems::badRequest(*why);
    for (const auto& [name, value] : request.query) {
        const std::string shown = util::toValidUtf8(name);
        if (auto why = textProblem(name)) return refusedPart(shown, "the name of the query parameter " + shown, *why);
        if (auto why = textProblem(value)) return refusedPart(shown, "the query parameter " + shown, *why);
    }
    for (const auto& [name, value] : request.headers) {
        if (auto why = headerNameProblem(name)) return problems::badRequest(*why);
        if (auto why = headerValueProblem(value)) return refusedPart(name, "the header " + name, *why);
    }
    return std::nullopt;
}

std::optional<Problem> pathParameterProblem(const std::map<std::string, std::string>& params) {
    for (const auto& [name, value] : params)
        if (auto why = textProblem(value)) return refusedPart(name, "the path parameter {" + name + "}", *why);
    return std::nullopt;
}

DispatchResult RequestDispatcher::dispatch(HttpRequest request) const {
    if (auto problem = requestHeadProblem(request)) return {problemResponse(*problem), "unmatched"};
    RouteMatch match = router_.match(request.method, request.path);
    if (match.outcome == RouteMatch::Outcome::NotFound)
        return {problemResponse(problems::notFound("no resource at " + request.path + "; see the API reference")),
                "unmatched"};
    if (match.outcome == RouteMatch::Outcome::MethodNotAllowed)
        return {problemResponse(problems::methodNotAllowed(request.method, match.allow)).withHeader("Allow", match.allow),
                "unmatched"};

    const Route& route = *match.route;
    request.pathParams = std::move(match.params);
    if (auto problem = pathParameterProblem(request.pathParams)) return {problemResponse(*problem), route.pattern};

    try {
        auto access = decideAccess(route.access, authenticator_.identify(request.header("authorization")));
        if (auto* problem = std::get_if<Problem>(&access)) {
            HttpResponse r = problemResponse(*problem);
            if (problem->status == 401) r.withHeader("WWW-Authenticate", "Bearer realm=\"tinko\"");
            return {r, route.pattern};
        }
        request.caller = std::get<Caller>(access);

        // The API speaks JSON; public routes take what their callers send (a provider's webhook
        // may be form-encoded, a browser posts a form).
        const std::string mediaType = request.mediaType();
        // A route that takes raw bytes (a plugin upload) gets them as they came.
        if (route.body.acceptsBytes && mediaType == "application/octet-stream")
            return {route.handler(request), route.pattern};
        if (route.access != Access::Public && carriesBody(request.method) && !request.body.empty()) {
            if (!isJsonMediaType(mediaType))
                return {problemResponse(problems::unsupportedMediaType(request.header("content-type").value_or(""))),
                        route.pattern};
        }
        // Every body this API takes is text (JSON or a form); bytes that are not UTF-8 would reach
        // plugins and PostgreSQL, which refuse them with an error that is not the caller's to read.
        if (auto at = util::firstInvalidUtf8(request.body))
            return {problemResponse(refusedPart("body", "the request body",
                                                "is not valid UTF-8 (first bad byte at offset " + std::to_string(*at) + ")")),
                    route.pattern};

        return {route.handler(request), route.pattern};
    } catch (const store::DatabaseUnavailable& e) {
        log::warn("tinko.http", "database unavailable", {{"route", route.pattern}, {"error", e.what()}});
        return {problemResponse(problems::unavailable("the database is not answering; retry shortly"))
                    .withHeader("Retry-After", "2"),
                route.pattern};
    } catch (const std::exception& e) {
        const auto* pocoError = dynamic_cast<const Poco::Exception*>(&e);
        const std::string detail = pocoError ? pocoError->displayText() : std::string(e.what());
        const std::string errorId = security::newSecretToken("err_", 9);
        log::error("tinko.http", "handler failed", {{"route", route.pattern}, {"error_id", errorId}, {"error", detail}});
        return {problemResponse(problems::internal(errorId)), route.pattern};
    }
}

RequestDispatcher::BodyLimit RequestDispatcher::bodyLimit(const HttpRequest& head, std::size_t serverLimit) const {
    const BodyLimit server{serverLimit, "TINKO_MAX_BODY_BYTES"};
    const RouteMatch match = router_.match(head.method, head.path);
    if (match.outcome != RouteMatch::Outcome::Found || match.route->body.maxBytes <= serverLimit) return server;
    try {
        auto access = decideAccess(match.route->access, authenticator_.identify(head.header("authorization")));
        if (std::holds_alternative<Problem>(access)) return server;
    } catch (const std::exception&) {
        return server;   // the credentials cannot be checked now; dispatch answers why
    }
    return {match.route->body.maxBytes, match.route->body.limitSetting};
}

}  // namespace tinko::http
