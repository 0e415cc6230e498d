#pragma once
// What the fuzz suite sends: a seeded generator of hostile HTTP requests for one route, the
// fixture of real objects they aim at (two orgs, their keys, ids, a recovery link), and a raw
// socket client that sends any bytes, even those an HTTP library would refuse to write.
#include "TestSupport.h"

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace tinko::test::fuzz {

struct RouteInfo {
    std::string method;
    std::string path;     // the template, e.g. /v1/rules/{id}
    std::string access;   // public, org or ops
};

// GET /v1/admin/routes
std::vector<RouteInfo> listRoutes(TestHost& host);

// Real objects for requests to aim at, so that generated requests reach past "not found".
struct Fixture {
    std::string opsToken;
    std::string stripeApiBase, stripeSecretKey;   // the fake Stripe both orgs pay through
    std::string slugA = "fuzz-a", slugB = "fuzz-b";
    std::string keyA, keyB;
    std::vector<std::string> ids;          // ids of objects of both orgs (recoveries, rules, ...)
    std::vector<std::string> refs;         // transaction refs with recoveries
    std::vector<std::string> linkTokens;   // recovery link tokens
    std::vector<std::string> pluginPaths;  // plugin files on this machine
};

// Creates two orgs with Stripe at `stripeApiBase` as their PSP, and for each a policy, a rule, a
// template, failed payments and a recovery link; returns what requests can refer to.
Fixture seedFixture(TestHost& host, const std::string& stripeApiBase, const std::string& stripeSecretKey);
// Gives both orgs a fresh API key and the fake Stripe as their PSP again: a fuzzed request may
// have revoked the keys, or pointed the PSP at a provider this machine cannot reach.
void restoreFixture(TestHost& host, Fixture& fixture);

struct RawRequest {
    std::string method;
    std::string target;   // path and query, already encoded (or deliberately not)
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string bytes() const;   // the whole request as sent, with Host, Content-Length, Connection: close
};

struct RawAnswer {
    int status = 0;   // 0 when no HTTP answer came
    std::string body;
};

RawAnswer send(int port, const RawRequest& request);

// A method the host does not implement at all; it answers those 501 Not Implemented (RFC 9110).
bool isUnknownMethod(const std::string& method);

// The request with bytes outside printable ASCII escaped, and long runs shortened, for messages.
std::string printable(const std::string& bytes);

class Generator {
public:
    explicit Generator(unsigned long long seed) : rng_(seed) {}
    RawRequest next(const RouteInfo& route, const Fixture& fixture);

private:
    bool chance(int percent) { return pick(100) < percent; }
    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
    template <class T>
    const T& oneOf(const std::vector<T>& items) { return items[pick(items.size())]; }

    std::string method(const RouteInfo& route);
    std::string target(const RouteInfo& route, const Fixture& fixture);
    std::string pathValue(const std::string& name, const Fixture& fixture);
    std::string query();
    std::string body(const RouteInfo& route, const Fixture& fixture);
    std::string hostileJsonValue();
    std::string hostileText();
    std::vector<std::pair<std::string, std::string>> headers(const RouteInfo& route, const Fixture& fixture,
                                                             bool hasBody);

    std::mt19937_64 rng_;
};

}  // namespace tinko::test::fuzz
