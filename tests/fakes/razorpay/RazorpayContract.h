#pragma once
// What FakeRazorpay checks a request against: razorpay-contract.json beside this file, written from
// provider-contracts.md ("Razorpay"; Razorpay publishes no OpenAPI spec). It holds each operation's
// JSON body schema (a small JSON Schema subset, below) and the rules a schema cannot say. A request
// breaking it gets the ContractBreach Razorpay would answer with: a 400 BAD_REQUEST_ERROR naming
// the field, in Razorpay's words.
//
// The schema subset: type ("object" | "string" | "integer" | "boolean"), required, properties,
// additionalProperties (false, or a schema every other member must keep), maxProperties, minimum,
// minLength, maxLength, enum (of strings).
#include "tinko/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tinko::fakes {

struct RazorpayBreach {
    std::string description;   // Razorpay's wording, e.g. "The amount field is required."
    std::string field;         // dotted, e.g. "notify.sms"; may be empty
};

class RazorpayContract {
public:
    struct Operation {
        std::string method;
        std::string path;
        std::string contentType;
        json::Value body;    // the JSON body's schema
        json::Value rules;   // {"unique_per_account": [...], "callback_method_with_callback_url", "expire_by_..."}
    };

    // Reads razorpay-contract.json; throws std::runtime_error.
    static RazorpayContract load(const std::string& path);

    const std::vector<Operation>& operations() const { return operations_; }
    const std::vector<std::string>& keyIdPrefixes() const { return keyIdPrefixes_; }

    // The operation for `method` and `path` (no query); nullptr when the contract has none.
    const Operation* find(std::string_view method, std::string_view path) const;

    // The first way `body` breaks `operation`'s schema, or nullopt when it keeps it.
    std::optional<RazorpayBreach> check(const Operation& operation, const json::Value& body) const;

    // An integer rule of the operation, e.g. "expire_by_min_ahead_seconds"; throws when missing.
    static std::int64_t ruleNumber(const Operation& operation, std::string_view name);

private:
    std::vector<Operation> operations_;
    std::vector<std::string> keyIdPrefixes_;
};

}  // namespace tinko::fakes
