#include "http/Problem.h"

#include "util/Utf8.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace tinko::http {

HttpResponse problemResponse(const Problem& p) {
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("type", "urn:tinko:problem:" + p.type);
    body.set("title", p.title);
    body.set("status", p.status);
    body.set("detail", p.detail);
    if (!p.errors.empty()) {
        Poco::JSON::Array errors;
        for (const auto& e : p.errors) {
            Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
            item.set("field", e.field);
            item.set("message", e.message);
            errors.add(item);
        }
        body.set("errors", errors);
    }
    for (const auto& [name, value] : p.extensions) body.set(name, value);
    std::ostringstream out;
    body.stringify(out);
    HttpResponse r;
    r.status = p.status;
    r.contentType = "application/problem+json";
    r.body = out.str();
    return r;
}

namespace problems {
Problem badRequest(const std::string& d) { return {400, "bad-request", "Bad request", d, {}, {}}; }
Problem invalidJson(const std::string& d) { return {400, "invalid-json", "The body is not valid JSON", d, {}, {}}; }
Problem validation(std::vector<FieldError> errors) {
    std::string detail;
    for (const auto& e : errors) detail += (detail.empty() ? "" : "; ") + e.field + ": " + e.message;
    return {422, "validation", "The request body has invalid fields", detail, std::move(errors), {}};
}
Problem unauthorized(const std::string& d) { return {401, "unauthorized", "Missing or invalid credentials", d, {}, {}}; }
Problem forbidden(const std::string& d) { return {403, "forbidden", "Not allowed with these credentials", d, {}, {}}; }
Problem notFound(const std::string& d) { return {404, "not-found", "Not found", d, {}, {}}; }
Problem methodNotAllowed(const std::string& method, const std::string& allow) {
    return {405, "method-not-allowed", "Method not allowed",
            method + " is not supported here; allowed: " + allow, {}, {}};
}
Problem notImplemented(const std::string& method) {
    // The method is the caller's text: shown only as valid UTF-8, and briefly.
    return {501, "not-implemented", "Method not implemented",
            "the method '" + util::toValidUtf8(method.substr(0, 32)) +
                "' is not one this server implements; use GET, HEAD, POST, PUT, PATCH or DELETE", {}, {}};
}
Problem conflict(const std::string& d) { return {409, "conflict", "Conflict", d, {}, {}}; }
Problem payloadTooLarge(std::size_t limit, const std::string& setting) {
    return {413, "payload-too-large", "The body is too large",
            "request bodies are limited to " + std::to_string(limit) + " bytes (" + setting + ")", {}, {}};
}
Problem unsupportedMediaType(const std::string& got) {
    return {415, "unsupported-media-type", "Unsupported media type",
            "send the body as application/json (got '" + got + "')", {}, {}};
}
Problem unavailable(const std::string& d) { return {503, "unavailable", "Service unavailable", d, {}, {}}; }
Problem internal(const std::string& errorId) {
    return {500, "internal", "Internal error",
            "the server failed to handle this request; quote error id " + errorId + " to the operator", {}, {}};
}
}  // namespace problems

}  // namespace tinko::http
