#include "http/Authenticator.h"

#include "security/SecretTokens.h"

namespace tinko::http {

std::optional<std::string> bearerToken(const std::string& header) {
    static const std::string scheme = "bearer ";
    if (header.size() <= scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return std::nullopt;
    std::string token = header.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') token.erase(token.begin());
    while (!token.empty() && token.back() == ' ') token.pop_back();
    if (token.empty() || token.find(' ') != std::string::npos) return std::nullopt;
    return token;
}

PresentedToken Authenticator::identify(const std::optional<std::string>& header) const {
    PresentedToken result;
    if (!header) return result;
    auto token = bearerToken(*header);
    if (!token) {
        result.kind = PresentedToken::Kind::Malformed;
        return result;
    }
    const std::string digest = security::sha256Hex(*token);
    if (security::constantTimeEquals(digest, opsTokenSha256_)) {
        result.kind = PresentedToken::Kind::Ops;
        result.caller.kind = Caller::Kind::Ops;
        return result;
    }
    if (auto caller = findOrgKey_(digest)) {
        result.kind = PresentedToken::Kind::Org;
        result.caller = *caller;
        return result;
    }
    result.kind = PresentedToken::Kind::Unknown;
    return result;
}

std::variant<Caller, Problem> decideAccess(Access access, const PresentedToken& token) {
    using K = PresentedToken::Kind;
    if (access == Access::Public) return token.kind == K::Ops || token.kind == K::Org ? token.caller : Caller{};
    switch (token.kind) {
        case K::Missing:
            return problems::unauthorized("send 'Authorization: Bearer <token>' with " +
                                          std::string(access == Access::Ops ? "the ops token" : "an org API key"));
        case K::Malformed:
            return problems::unauthorized("the Authorization header must be 'Bearer <token>'");
        case K::Unknown:
            return problems::unauthorized("the token is not valid (unknown, mistyped or revoked)");
        case K::Ops:
            if (access == Access::Ops) return token.caller;
            return problems::forbidden("the ops token cannot act as an org; use one of the org's API keys");
        case K::Org:
            if (access == Access::Org) return token.caller;
            return problems::forbidden("this path needs the ops token; an org API key is not allowed here");
    }
    return problems::unauthorized("unrecognised credentials");
}

}  // namespace tinko::http
