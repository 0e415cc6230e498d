// http/Authenticator: reading the Bearer credential, telling the ops token from an org key, and
// the access decision for every (route access, presented token) pair.
#include "http/Authenticator.h"

#include "security/SecretTokens.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using namespace tinko::http;
using tinko::security::sha256Hex;

namespace {
using Kind = PresentedToken::Kind;

const std::string kOpsToken = "ops_0123456789abcdefghij";
const std::string kOrgKey = "tk_live_orgkey0123456789";

// An authenticator whose key finder knows one org key (by digest) and records what it was asked.
struct Fixture {
    std::vector<std::string> lookedUp;
    Authenticator auth{sha256Hex(kOpsToken), [this](const std::string& digest) -> std::optional<Caller> {
                           lookedUp.push_back(digest);
                           if (digest != sha256Hex(kOrgKey)) return std::nullopt;
                           Caller c;
                           c.kind = Caller::Kind::Org;
                           c.orgId = 7;
                           c.orgSlug = "acme";
                           return c;
                       }};
};

PresentedToken token(Kind kind) {
    PresentedToken t;
    t.kind = kind;
    if (kind == Kind::Ops) t.caller.kind = Caller::Kind::Ops;
    if (kind == Kind::Org) {
        t.caller.kind = Caller::Kind::Org;
        t.caller.orgId = 7;
        t.caller.orgSlug = "acme";
    }
    return t;
}

Problem problemOf(const std::variant<Caller, Problem>& decision) {
    CPPUNIT_ASSERT_MESSAGE("expected a problem, got a caller", std::holds_alternative<Problem>(decision));
    return std::get<Problem>(decision);
}

Caller callerOf(const std::variant<Caller, Problem>& decision) {
    if (auto* p = std::get_if<Problem>(&decision)) CPPUNIT_FAIL("expected a caller, got: " + p->detail);
    return std::get<Caller>(decision);
}
}  // namespace

class AuthenticatorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AuthenticatorTest);
    CPPUNIT_TEST(bearerTokenPlain);
    CPPUNIT_TEST(bearerSchemeIsCaseInsensitive);
    CPPUNIT_TEST(bearerExtraSpacesAreTrimmed);
    CPPUNIT_TEST(bearerRejectsOtherSchemes);
    CPPUNIT_TEST(bearerRejectsEmptyToken);
    CPPUNIT_TEST(bearerRejectsTokenWithInnerSpace);
    CPPUNIT_TEST(identifyMissingHeader);
    CPPUNIT_TEST(identifyMalformedHeader);
    CPPUNIT_TEST(identifyOpsToken);
    CPPUNIT_TEST(identifyOrgKey);
    CPPUNIT_TEST(identifyUnknownToken);
    CPPUNIT_TEST(identifyComparesDigestsNotTokens);
    CPPUNIT_TEST(publicRoutesAlwaysAllowed);
    CPPUNIT_TEST(missingTokenIs401);
    CPPUNIT_TEST(malformedTokenIs401);
    CPPUNIT_TEST(unknownTokenIs401);
    CPPUNIT_TEST(opsTokenOpensOpsRoutes);
    CPPUNIT_TEST(opsTokenOnOrgRouteIs403);
    CPPUNIT_TEST(orgKeyOpensOrgRoutes);
    CPPUNIT_TEST(orgKeyOnOpsRouteIs403);
    CPPUNIT_TEST_SUITE_END();

public:
    void bearerTokenPlain() {
        CPPUNIT_ASSERT(bearerToken("Bearer abc") == std::optional<std::string>("abc"));
        CPPUNIT_ASSERT(bearerToken("Bearer " + kOrgKey) == std::optional<std::string>(kOrgKey));
    }

    void bearerSchemeIsCaseInsensitive() {
        // RFC 9110 11.1: the auth scheme is case-insensitive; the token itself is not altered.
        CPPUNIT_ASSERT(bearerToken("bearer AbC") == std::optional<std::string>("AbC"));
        CPPUNIT_ASSERT(bearerToken("BEARER AbC") == std::optional<std::string>("AbC"));
        CPPUNIT_ASSERT(bearerToken("bEaReR AbC") == std::optional<std::string>("AbC"));
    }

    void bearerExtraSpacesAreTrimmed() {
        CPPUNIT_ASSERT(bearerToken("Bearer    abc") == std::optional<std::string>("abc"));
        CPPUNIT_ASSERT(bearerToken("Bearer abc   ") == std::optional<std::string>("abc"));
    }

    void bearerRejectsOtherSchemes() {
        CPPUNIT_ASSERT(!bearerToken("Basic dXNlcjpwYXNz"));
        CPPUNIT_ASSERT(!bearerToken("Token abc"));
        CPPUNIT_ASSERT(!bearerToken("Bearerabc"));
        CPPUNIT_ASSERT(!bearerToken("abc"));
    }

    void bearerRejectsEmptyToken() {
        CPPUNIT_ASSERT(!bearerToken(""));
        CPPUNIT_ASSERT(!bearerToken("Bearer"));
        CPPUNIT_ASSERT(!bearerToken("Bearer "));
        CPPUNIT_ASSERT(!bearerToken("Bearer     "));
    }

    void bearerRejectsTokenWithInnerSpace() {
        CPPUNIT_ASSERT(!bearerToken("Bearer abc def"));
        CPPUNIT_ASSERT(!bearerToken("Bearer  abc  def "));
    }

    void identifyMissingHeader() {
        Fixture f;
        PresentedToken t = f.auth.identify(std::nullopt);
        CPPUNIT_ASSERT(t.kind == Kind::Missing);
        CPPUNIT_ASSERT(t.caller.kind == Caller::Kind::Anonymous);
        CPPUNIT_ASSERT(f.lookedUp.empty());
    }

    void identifyMalformedHeader() {
        Fixture f;
        for (const char* header : {"", "Basic abc", "Bearer", "Bearer a b", kOpsToken.c_str()}) {
            PresentedToken t = f.auth.identify(std::string(header));
            CPPUNIT_ASSERT_MESSAGE(header, t.kind == Kind::Malformed);
        }
        // A header that is not even a Bearer credential never reaches the key store.
        CPPUNIT_ASSERT(f.lookedUp.empty());
    }

    void identifyOpsToken() {
        Fixture f;
        PresentedToken t = f.auth.identify("Bearer " + kOpsToken);
        CPPUNIT_ASSERT(t.kind == Kind::Ops);
        CPPUNIT_ASSERT(t.caller.kind == Caller::Kind::Ops);
        // The ops token is recognised without a key-store lookup.
        CPPUNIT_ASSERT(f.lookedUp.empty());
    }

    void identifyOrgKey() {
        Fixture f;
        PresentedToken t = f.auth.identify("bearer  " + kOrgKey + " ");
        CPPUNIT_ASSERT(t.kind == Kind::Org);
        CPPUNIT_ASSERT(t.caller.kind == Caller::Kind::Org);
        CPPUNIT_ASSERT_EQUAL(7LL, t.caller.orgId);
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), t.caller.orgSlug);
    }

    void identifyUnknownToken() {
        Fixture f;
        PresentedToken t = f.auth.identify(std::string("Bearer tk_live_revoked"));
        CPPUNIT_ASSERT(t.kind == Kind::Unknown);
        CPPUNIT_ASSERT(t.caller.kind == Caller::Kind::Anonymous);
        // A near miss of the ops token is unknown too.
        CPPUNIT_ASSERT(f.auth.identify("Bearer " + kOpsToken + "x").kind == Kind::Unknown);
    }

    void identifyComparesDigestsNotTokens() {
        // Only SHA-256 digests are stored, so the finder is asked for the digest, never the token.
        Fixture f;
        f.auth.identify("Bearer " + kOrgKey);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.lookedUp.size());
        CPPUNIT_ASSERT_EQUAL(sha256Hex(kOrgKey), f.lookedUp.front());
        // Presenting the stored digest itself as a token must not work.
        CPPUNIT_ASSERT(f.auth.identify("Bearer " + sha256Hex(kOpsToken)).kind == Kind::Unknown);
        CPPUNIT_ASSERT(f.auth.identify("Bearer " + sha256Hex(kOrgKey)).kind == Kind::Unknown);
    }

    void publicRoutesAlwaysAllowed() {
        // A public route runs for everyone; a valid token still tells the handler who called.
        for (Kind k : {Kind::Missing, Kind::Malformed, Kind::Unknown})
            CPPUNIT_ASSERT(callerOf(decideAccess(Access::Public, token(k))).kind == Caller::Kind::Anonymous);
        CPPUNIT_ASSERT(callerOf(decideAccess(Access::Public, token(Kind::Ops))).kind == Caller::Kind::Ops);
        Caller org = callerOf(decideAccess(Access::Public, token(Kind::Org)));
        CPPUNIT_ASSERT(org.kind == Caller::Kind::Org);
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), org.orgSlug);
    }

    void missingTokenIs401() {
        Problem ops = problemOf(decideAccess(Access::Ops, token(Kind::Missing)));
        CPPUNIT_ASSERT_EQUAL(401, ops.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unauthorized"), ops.type);
        CPPUNIT_ASSERT_EQUAL(std::string("send 'Authorization: Bearer <token>' with the ops token"), ops.detail);
        Problem org = problemOf(decideAccess(Access::Org, token(Kind::Missing)));
        CPPUNIT_ASSERT_EQUAL(401, org.status);
        CPPUNIT_ASSERT_EQUAL(std::string("send 'Authorization: Bearer <token>' with an org API key"), org.detail);
    }

    void malformedTokenIs401() {
        for (Access a : {Access::Ops, Access::Org}) {
            Problem p = problemOf(decideAccess(a, token(Kind::Malformed)));
            CPPUNIT_ASSERT_EQUAL(401, p.status);
            CPPUNIT_ASSERT_EQUAL(std::string("the Authorization header must be 'Bearer <token>'"), p.detail);
        }
    }

    void unknownTokenIs401() {
        for (Access a : {Access::Ops, Access::Org}) {
            Problem p = problemOf(decideAccess(a, token(Kind::Unknown)));
            CPPUNIT_ASSERT_EQUAL(401, p.status);
            CPPUNIT_ASSERT_EQUAL(std::string("the token is not valid (unknown, mistyped or revoked)"), p.detail);
        }
    }

    void opsTokenOpensOpsRoutes() {
        CPPUNIT_ASSERT(callerOf(decideAccess(Access::Ops, token(Kind::Ops))).kind == Caller::Kind::Ops);
    }

    void opsTokenOnOrgRouteIs403() {
        Problem p = problemOf(decideAccess(Access::Org, token(Kind::Ops)));
        CPPUNIT_ASSERT_EQUAL(403, p.status);
        CPPUNIT_ASSERT_EQUAL(std::string("forbidden"), p.type);
        CPPUNIT_ASSERT_EQUAL(std::string("the ops token cannot act as an org; use one of the org's API keys"), p.detail);
    }

    void orgKeyOpensOrgRoutes() {
        Caller c = callerOf(decideAccess(Access::Org, token(Kind::Org)));
        CPPUNIT_ASSERT(c.kind == Caller::Kind::Org);
        CPPUNIT_ASSERT_EQUAL(7LL, c.orgId);
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), c.orgSlug);
    }

    void orgKeyOnOpsRouteIs403() {
        Problem p = problemOf(decideAccess(Access::Ops, token(Kind::Org)));
        CPPUNIT_ASSERT_EQUAL(403, p.status);
        CPPUNIT_ASSERT_EQUAL(std::string("this path needs the ops token; an org API key is not allowed here"),
                             p.detail);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthenticatorTest);
