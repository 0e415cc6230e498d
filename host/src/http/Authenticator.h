#pragma once
// Bearer authentication. The ops token opens /v1/admin/* and /v1/plugins*; an org API key opens
// that org's resources. The decision is a pure function of what the route needs and whose token
// was presented, so every combination is unit-tested.
#include "http/HttpTypes.h"
#include "http/Problem.h"
#include "http/Router.h"

#include <functional>
#include <optional>
#include <string>
#include <variant>

namespace tinko::http {

// Whose token the Authorization header carried.
struct PresentedToken {
    enum class Kind { Missing, Malformed, Unknown, Ops, Org } kind = Kind::Missing;
    Caller caller;   // for Org
};

// The Caller a handler runs as, or the 401/403 problem to answer with.
std::variant<Caller, Problem> decideAccess(Access access, const PresentedToken& token);

// Extracts the token from "Bearer <token>"; nullopt when absent or not a Bearer credential.
std::optional<std::string> bearerToken(const std::string& authorizationHeader);

class Authenticator {
public:
    // `opsTokenSha256`: digest of the ops token. `findOrgKey`: the org owning a key digest, if live.
    Authenticator(std::string opsTokenSha256, std::function<std::optional<Caller>(const std::string&)> findOrgKey)
        : opsTokenSha256_(std::move(opsTokenSha256)), findOrgKey_(std::move(findOrgKey)) {}

    PresentedToken identify(const std::optional<std::string>& authorizationHeader) const;

private:
    std::string opsTokenSha256_;
    std::function<std::optional<Caller>(const std::string&)> findOrgKey_;
};

}  // namespace tinko::http
