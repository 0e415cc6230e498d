#pragma once
// Strict JSON request bodies: parse, then check against declared fields, so that malformed JSON,
// wrong types, unknown fields and missing required fields all become a 4xx problem that names them.
#include "http/HttpTypes.h"
#include "http/Problem.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace tinko::http {

// Any: the handler checks the value itself (a field that may be one of several types).
enum class JsonType { String, Integer, Boolean, Object, Array, Number, Any };

struct FieldRule {
    std::string name;
    JsonType type;
    bool required = false;
    std::size_t maxLength = 0;          // strings only; 0 = no limit
    std::vector<FieldRule> fields;      // objects only: the nested rules
};

// Either the checked object or the problem to answer with.
struct ParsedBody {
    Poco::JSON::Object::Ptr object;
    std::optional<Problem> problem;
    explicit operator bool() const { return !problem; }
};

// `body` must be a JSON object satisfying `rules`; JSON null counts as absent.
ParsedBody parseJsonBody(const std::string& body, const std::vector<FieldRule>& rules);

// Field errors of `object` against `rules` (prefix names nested fields: "customer.email").
std::vector<FieldError> checkFields(const Poco::JSON::Object& object, const std::vector<FieldRule>& rules,
                                    const std::string& prefix = "");

std::string toJson(const Poco::JSON::Object& object);
HttpResponse jsonResponse(int status, const Poco::JSON::Object& object);
// For bodies that are JSON already (built by PostgreSQL, or stored as the first answer).
HttpResponse jsonTextResponse(int status, std::string json);

// A JSON object whose keys keep insertion order, so answers read the way they are documented.
inline Poco::JSON::Object orderedObject() { return Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

}  // namespace tinko::http
