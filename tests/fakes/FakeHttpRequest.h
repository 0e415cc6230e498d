#pragma once
// One request a fake provider received, as it came over HTTP. Each fake's own request type
// (FakeStripeRequest, FakeRazorpayRequest, ...) extends it with what that fake decodes from it.
#include <string>
#include <utility>
#include <vector>

namespace tinko::fakes {

struct FakeHttpRequest {
    std::string method;
    std::string path;                                           // without the query
    std::string query;                                          // raw, without '?'
    std::vector<std::pair<std::string, std::string>> headers;   // names lower-cased
    std::string body;                                           // raw
    int status = 0;                                             // what the fake answered

    std::string header(const std::string& lowerName) const;     // "" when absent
};

}  // namespace tinko::fakes
