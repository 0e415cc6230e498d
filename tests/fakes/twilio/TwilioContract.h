#pragma once
// What FakeTwilio checks a request against: the operation in twilio-contract.json (derived from
// Twilio's OpenAPI spec, see derive-twilio-contract.py) and the form body decoded the way Twilio
// decodes it. A request breaking the contract gets the TwilioBreach Twilio would answer with:
// HTTP status, Twilio's error code where Twilio has one for it, and a message.
#include "FormEncoding.h"
#include "tinko/json.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinko::fakes::twilio {

using fakes::decodeForm;
using fakes::FormPairs;
using fakes::percentDecode;
using fakes::percentEncode;

std::size_t utf8Length(std::string_view text);   // code points
bool isE164(std::string_view number);
bool isHttpUrl(std::string_view url);

// What Twilio answers to a request it refuses before acting.
struct TwilioBreach {
    int httpStatus = 400;
    int code = 0;            // Twilio's error code, e.g. 21604 for a missing To
    std::string message;
};

class TwilioContract {
public:
    struct Operation {
        std::string method;
        std::string path;                 // with {name} placeholders
        std::string operationId;
        std::string contentType;
        json::Value pathParameters;       // {name: schema}
        json::Value parameters;           // {name: schema}
        std::vector<std::string> required;
        std::vector<std::vector<std::string>> requiredOneOf;
        std::map<std::string, std::size_t> maxCharacters;
        json::Value responseExample;      // the spec's example 201 body
    };

    // Reads a contract file written by derive-twilio-contract.py; throws std::runtime_error.
    static TwilioContract load(const std::string& path);

    const std::vector<Operation>& operations() const { return operations_; }
    const std::vector<std::string>& messageStatuses() const { return messageStatuses_; }

    // The operation for `method` and `path` (no query), filling `pathValues`; nullptr when the
    // contract has none.
    const Operation* find(std::string_view method, std::string_view path, std::map<std::string, std::string>& pathValues) const;

    // The first way the request breaks `operation`, or nullopt when it keeps it.
    std::optional<TwilioBreach> check(const Operation& operation, const std::map<std::string, std::string>& pathValues,
                                      const FormPairs& form) const;

private:
    std::vector<Operation> operations_;
    std::vector<std::string> messageStatuses_;
};

}  // namespace tinko::fakes::twilio
