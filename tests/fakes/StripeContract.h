#pragma once
// What FakeStripe checks a request against: the operations in stripe-contract.json (derived from
// Stripe's OpenAPI spec, see derive-stripe-contract.py) and the form body decoded the way Stripe
// decodes it. A request breaking the contract gets the ContractBreach Stripe would answer with:
// message, param and code of a 400 invalid_request_error.
#include "FormEncoding.h"
#include "tinko/json.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinko::fakes {



// What Stripe answers to a request it refuses before acting: HTTP 400, invalid_request_error.
struct ContractBreach {
    std::string message;   // Stripe's wording, e.g. "Missing required param: success_url."
    std::string param;     // the parameter at fault, bracket form; may be empty
    std::string code;      // e.g. parameter_missing, parameter_unknown; may be empty
};

class StripeContract {
public:
    struct Operation {
        std::string method;
        std::string path;              // with {name} placeholders
        std::string operationId;
        json::Value pathParameters;    // {name: schema}
        bool bodyRequired = false;
        json::Value body;              // the form body's schema
    };

    // Reads a contract file written by derive-stripe-contract.py; throws std::runtime_error.
    static StripeContract load(const std::string& path);

    const std::string& apiVersion() const { return apiVersion_; }
    const std::vector<Operation>& operations() const { return operations_; }

    // The operation for `method` and `path` (no query), filling `pathValues`; nullptr when the
    // contract has none.
    const Operation* find(std::string_view method, std::string_view path, std::map<std::string, std::string>& pathValues) const;

    // The first way the request breaks `operation`'s schema, or nullopt when it keeps it.
    std::optional<ContractBreach> check(const Operation& operation, const std::map<std::string, std::string>& pathValues,
                                        const FormPairs& form) const;

private:
    std::string apiVersion_;
    std::vector<Operation> operations_;
};

}  // namespace tinko::fakes
