#pragma once
// What the bytes of a request's head (method, target, header names and values) and of a
// response's headers may be. Pure checks, so every rule is unit-tested; HttpServer and the
// dispatcher apply them before anything else looks at the request.
#include "http/HttpTypes.h"

#include <optional>
#include <string>

namespace tinko::http {

// The methods of RFC 9110; any other is answered 501 before routing, reading the body or auth.
bool isKnownMethod(const std::string& method);
// The metrics and log label of a method: the method when known, else "other", so made-up
// methods cannot grow the label set.
std::string methodLabel(const std::string& method);

// Why a request target (path and query as sent) is refused: anything but printable ASCII.
std::optional<std::string> requestTargetProblem(const std::string& target);
// Why a header name is refused: anything but an RFC 9110 token.
std::optional<std::string> headerNameProblem(const std::string& name);
// Why a header value is refused: invalid UTF-8, or a control character other than tab.
std::optional<std::string> headerValueProblem(const std::string& value);
// Why decoded text (a path parameter) is refused: invalid UTF-8, or any control character.
std::optional<std::string> textProblem(const std::string& text);

// A response header value may not hold CR, LF or NUL: one would split or end the header block.
bool isSafeResponseHeaderValue(const std::string& value);
// The name of the first header of `response` (Content-Type included) that is unsafe to write.
std::optional<std::string> unsafeResponseHeader(const HttpResponse& response);

}  // namespace tinko::http
