#pragma once
// The rules every JSON request body meets before any handler sees it, whatever its fields: valid
// UTF-8, no integer outside int64 (POCO would hand such a number over as unsigned or fail, and a
// handler reading it as int64 would throw: a 500), and no NUL in any string or key (PostgreSQL
// refuses \u0000 in jsonb, and a NUL cuts a C string, which silently merged two transactions).
#include "http/Problem.h"

#include <Poco/Dynamic/Var.h>

#include <optional>
#include <string>
#include <vector>

namespace tinko::http {

// How deep objects and arrays may nest in a request body; no API body needs more than a few.
constexpr std::size_t kMaxJsonDepth = 32;

// A problem for text that is not valid UTF-8 or nests deeper than kMaxJsonDepth (400), or that
// holds an integer outside int64 or a member name with \u0000 (422 naming the field, e.g.
// "metadata.ids[2]"); nullopt otherwise. Malformed JSON is left to the parser.
std::optional<Problem> unsafeJsonText(const std::string& json);

// Field errors for every string (value or key) holding a NUL character in a parsed document.
std::vector<FieldError> nulCharacterErrors(const Poco::Dynamic::Var& document);

}  // namespace tinko::http
