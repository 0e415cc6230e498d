#pragma once
// What FakePayPal checks a request against: the operations in paypal-contract.json (derived from
// PayPal's OpenAPI specs, see derive-paypal-contract.py): path and method, headers, path
// parameters and the JSON body's schema. A request breaking it gets the PayPalBreach PayPal would
// answer with: one entry of a 400 INVALID_REQUEST's details.
#include "FormEncoding.h"
#include "tinko/json.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinko::fakes {

// One details[] entry of PayPal's error body.
struct PayPalBreach {
    std::string issue;         // e.g. MISSING_REQUIRED_PARAMETER, INVALID_STRING_LENGTH
    std::string field;         // a JSON pointer (/purchase_units/0/custom_id) or a header/path name
    std::string value;         // the offending value, when there is one
    std::string location;      // body | header | path
    std::string description;   // PayPal's words for the issue
};


class PayPalContract {
public:
    struct Header {
        std::string name;       // as the spec spells it, e.g. PayPal-Request-Id
        bool required = false;
        json::Value schema;
    };
    struct Operation {
        std::string method;
        std::string path;                  // with {name} placeholders
        std::string operationId;
        std::string auth;                  // "basic" (the token endpoint) or "bearer"
        std::string contentType;           // application/json or application/x-www-form-urlencoded
        std::vector<Header> headers;
        json::Value pathParameters;        // {name: schema}
        bool bodyRequired = false;
        json::Value body;                  // the body's schema
        json::Value issues400;             // {issue: description}
        json::Value issues422;
    };

    // Reads a contract file written by derive-paypal-contract.py; throws std::runtime_error.
    static PayPalContract load(const std::string& path);

    const std::string& ordersVersion() const { return ordersVersion_; }
    const std::vector<Operation>& operations() const { return operations_; }

    // The operation for `method` and `path` (no query), filling `pathValues`; nullptr when the
    // contract has none.
    const Operation* find(std::string_view method, std::string_view path, std::map<std::string, std::string>& pathValues) const;

    // The first way the request's headers (names lower-cased) or path values break `operation`.
    std::optional<PayPalBreach> checkHeaders(const Operation& operation,
                                             const std::vector<std::pair<std::string, std::string>>& headers) const;
    std::optional<PayPalBreach> checkPath(const Operation& operation, const std::map<std::string, std::string>& pathValues) const;

    // The first way `value` breaks `schema`; `pointer` is where `value` sits (a JSON pointer).
    // Stricter than PayPal in one way: a member the schema's properties do not name is refused
    // (NOT_SUPPORTED), so a misspelt field cannot pass unnoticed.
    static std::optional<PayPalBreach> checkValue(const json::Value& schema, const json::Value& value,
                                                  const std::string& pointer);

private:
    std::string ordersVersion_;
    std::vector<Operation> operations_;
};

}  // namespace tinko::fakes
