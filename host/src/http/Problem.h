#pragma once
// RFC 9457 problem details: the one shape every error answer takes. The `type` is a stable URN a
// client can switch on; `detail` tells a person what to change.
#include "http/HttpTypes.h"

#include <Poco/Dynamic/Var.h>

#include <string>
#include <vector>

namespace tinko::http {

struct FieldError {
    std::string field;    // JSON pointer-ish path, e.g. "customer.email"
    std::string message;
};

struct Problem {
    int status;
    std::string type;     // short name; rendered as urn:tinko:problem:<type>
    std::string title;
    std::string detail;
    std::vector<FieldError> errors;
    std::vector<std::pair<std::string, Poco::Dynamic::Var>> extensions;  // extra members (RFC 9457 3.2)
};

HttpResponse problemResponse(const Problem& problem);

namespace problems {
Problem badRequest(const std::string& detail);
Problem invalidJson(const std::string& detail);
Problem validation(std::vector<FieldError> errors);
Problem unauthorized(const std::string& detail);
Problem forbidden(const std::string& detail);
Problem notFound(const std::string& detail);
Problem methodNotAllowed(const std::string& method, const std::string& allow);
Problem notImplemented(const std::string& method);
Problem conflict(const std::string& detail);
Problem payloadTooLarge(std::size_t limit, const std::string& setting = "TINKO_MAX_BODY_BYTES");
Problem unsupportedMediaType(const std::string& got);
Problem unavailable(const std::string& detail);
Problem internal(const std::string& errorId);
}  // namespace problems

}  // namespace tinko::http
