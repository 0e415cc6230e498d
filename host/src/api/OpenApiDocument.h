#pragma once
// The OpenAPI document (docs/openapi.yaml) as JSON, converted and compiled in at build time by
// cmake/OpenApiToJson.py, so the description served can never be another build's.
#include <string>

namespace tinko::api {

const std::string& openApiJson();

}  // namespace tinko::api
