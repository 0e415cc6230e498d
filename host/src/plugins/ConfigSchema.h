#pragma once
// An org's plugin configuration checked against the JSON Schema the plugin publishes, before the
// plugin itself sees it. The subset a configuration needs: an object of typed properties with
// required keys, enum, minLength/maxLength and pattern; a key the schema does not describe is always
// refused (as if additionalProperties were false). Properties
// marked "writeOnly": true are secrets: stored encrypted and never shown back.
#include "http/Problem.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace tinko::plugins {

// A string setting longer than this is refused when its schema gives no maxLength.
constexpr std::size_t kDefaultMaxStringLength = 4096;

// Patterns are matched in time linear in the value (plugins/LinearPattern.h), never by a
// backtracking engine; a pattern that cannot be compiled is logged once and not applied.
std::vector<http::FieldError> checkConfigAgainstSchema(const Poco::JSON::Object& config, const Poco::JSON::Object& schema,
                                                       const std::string& prefix = "config.");

// Why the schema a plugin publishes (JSON text) is not one this subset can apply: a property that is
// no schema or has an unknown type, a required key the properties do not describe, ... Empty when
// it is usable. Part of the plugin contract (plugins/PluginContract.h), "config schema is valid".
std::vector<std::string> schemaProblems(const std::string& schemaText);

// `config` with every secret property replaced by "***".
Poco::JSON::Object redactSecrets(const Poco::JSON::Object& config, const Poco::JSON::Object& schema);

}  // namespace tinko::plugins
