#include "common/RequestFields.h"

#include "tinko/sdk.hpp"

namespace tinko::plugins::common {

using json::Value;

std::optional<std::string> optionalString(const Value& object, std::string_view key) {
    const Value* v = object.find(key);
    if (!v || v->isNull()) return std::nullopt;
    if (!v->isString()) throw sdk::invalidInput(std::string(key) + " must be a string");
    if (v->asString().empty()) return std::nullopt;
    return v->asString();
}

std::string optionalText(const Value& object, std::string_view key) { return optionalString(object, key).value_or(""); }

std::string boundedString(const Value& object, std::string_view key, std::size_t maxLength, std::string_view whose) {
    std::string value = sdk::requireString(object, key);
    if (value.size() > maxLength)
        throw sdk::invalidInput(std::string(key) + " is longer than " + std::string(whose) + " limit of " +
                                std::to_string(maxLength) + " characters");
    return value;
}

std::string absoluteUrl(const Value& object, std::string_view key) {
    std::string url = sdk::requireString(object, key);
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
        throw sdk::invalidInput(std::string(key) + " must be an absolute http(s) URL");
    return url;
}

std::string webhookBody(const Value& request) {
    const Value* body = request.find("body");
    if (!body || !body->isString()) throw sdk::invalidInput("body is required and must be the raw request body as a string");
    return body->asString();
}

const Value& webhookHeaders(const Value& request) {
    const Value* headers = request.find("headers");
    if (!headers || !headers->isObject()) throw sdk::invalidInput("headers is required and must be an object");
    return *headers;
}

std::string headerOf(const Value& request, std::string_view lowerName) {
    const Value* value = webhookHeaders(request).find(lowerName);
    return value && value->isString() ? value->asString() : std::string();
}

}  // namespace tinko::plugins::common
