// The access-token cache, with a scripted PayPal and a clock the test moves: one token request
// for many calls, a new one only near expiry, one refresh (and one resend) on a 401, separate
// tokens per app and per secret, and one fetch when many threads ask at once.
#include "AccessTokens.h"
#include "PayPalTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using tinko::json::Value;
using tinko::sdk::HttpRequest;
using tinko::sdk::HttpResponse;
using namespace tinko::paypal;
using namespace tinko::paypal::test;

namespace {

// PayPal as the test scripts it: tokens "T1", "T2", ... valid for `lifetime` s; API calls answer
// 401 while `rejectApiCalls` > 0, else 201.
struct ScriptedPayPal {
    std::atomic<int> tokenRequests{0};
    std::atomic<int> apiRequests{0};
    std::atomic<int> rejectApiCalls{0};
    std::int64_t lifetime = 32400;
    std::vector<std::string> bearers;   // the Authorization of each API call
    std::mutex mutex;

    HttpResponse operator()(const HttpRequest& r) {
        HttpResponse out;
        if (r.url.find("/v1/oauth2/token") != std::string::npos) {
            const int n = ++tokenRequests;
            out.status = 200;
            out.body = Value::object({{"access_token", "T" + std::to_string(n)}, {"token_type", "Bearer"}, {"expires_in", lifetime}}).dump();
            return out;
        }
        ++apiRequests;
        {
            std::lock_guard<std::mutex> lock(mutex);
            for (const auto& h : r.headers)
                if (h.name == "Authorization") bearers.push_back(h.value);
        }
        if (rejectApiCalls > 0) {
            --rejectApiCalls;
            out.status = 401;
            out.body = payloadText("error_401");
        } else {
            out.status = 201;
            out.body = "{}";
        }
        return out;
    }
};

HttpRequest apiCall(const std::string& token) {
    HttpRequest r;
    r.method = "POST";
    r.url = "https://api-m.paypal.com/v2/checkout/orders";
    r.headers = {{"Authorization", "Bearer " + token}};
    return r;
}

}  // namespace

class AccessTokensTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AccessTokensTest);
    CPPUNIT_TEST(oneTokenServesManyCalls);
    CPPUNIT_TEST(aTokenIsRenewedBeforeItExpires);
    CPPUNIT_TEST(aShortLivedTokenIsUsedForHalfItsLife);
    CPPUNIT_TEST(a401RefreshesTheTokenOnceAndResends);
    CPPUNIT_TEST(aSecond401IsTheCallersToReport);
    CPPUNIT_TEST(appsAndSecretsHaveTheirOwnTokens);
    CPPUNIT_TEST(aRefusedTokenRequestIsAnAuthErrorAndNothingIsCached);
    CPPUNIT_TEST(concurrentCallersShareOneFetch);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        nowMs_ = 1767225600000;
        config_ = readConfig(config());
    }

    HttpResponse call(AccessTokens& tokens, ScriptedPayPal& paypal, const PayPalConfig& c) {
        return sendWithToken(tokens, c, clock(), std::ref(paypal), apiCall);
    }
    Clock clock() {
        return [this] { return nowMs_.load(); };
    }

    void oneTokenServesManyCalls() {
        AccessTokens tokens;
        ScriptedPayPal paypal;
        for (int i = 0; i < 5; ++i) CPPUNIT_ASSERT_EQUAL(201, call(tokens, paypal, config_).status);
        CPPUNIT_ASSERT_EQUAL(1, paypal.tokenRequests.load());
        CPPUNIT_ASSERT_EQUAL(5, paypal.apiRequests.load());
        CPPUNIT_ASSERT_EQUAL(std::string("Bearer T1"), paypal.bearers.back());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tokens.size());
    }

    void aTokenIsRenewedBeforeItExpires() {
        AccessTokens tokens;
        ScriptedPayPal paypal;
        call(tokens, paypal, config_);
        nowMs_ += (32400 - kTokenRefreshMarginSeconds - 1) * 1000LL;   // still fresh
        call(tokens, paypal, config_);
        CPPUNIT_ASSERT_EQUAL(1, paypal.tokenRequests.load());
        nowMs_ += 1000;                                                  // within the margin: renewed
        call(tokens, paypal, config_);
        CPPUNIT_ASSERT_EQUAL(2, paypal.tokenRequests.load());
        CPPUNIT_ASSERT_EQUAL(std::string("Bearer T2"), paypal.bearers.back());
    }

    void aShortLivedTokenIsUsedForHalfItsLife() {
        AccessTokens tokens;
        ScriptedPayPal paypal;
        paypal.lifetime = 120;   // shorter than the margin
        call(tokens, paypal, config_);
        nowMs_ += 59 * 1000;
        call(tokens, paypal, config_);
        CPPUNIT_ASSERT_EQUAL(1, paypal.tokenRequests.load());
        nowMs_ += 1000;
        call(tokens, paypal, config_);
        CPPUNIT_ASSERT_EQUAL(2, paypal.tokenRequests.load());
    }

    void a401RefreshesTheTokenOnceAndResends() {
        AccessTokens tokens;
        ScriptedPayPal paypal;
        call(tokens, paypal, config_);
        paypal.rejectApiCalls = 1;   // PayPal revoked T1
        CPPUNIT_ASSERT_EQUAL(201, call(tokens, paypal, config_).status);
        CPPUNIT_ASSERT_EQUAL(2, paypal.tokenRequests.load());
        CPPUNIT_ASSERT((paypal.bearers == std::vector<std::string>{"Bearer T1", "Bearer T1", "Bearer T2"}));
        call(tokens, paypal, config_);   // and T2 stays cached
        CPPUNIT_ASSERT_EQUAL(2, paypal.tokenRequests.load());
    }

    void aSecond401IsTheCallersToReport() {
        AccessTokens tokens;
        ScriptedPayPal paypal;
        paypal.rejectApiCalls = 5;
        CPPUNIT_ASSERT_EQUAL(401, call(tokens, paypal, config_).status);
        CPPUNIT_ASSERT_EQUAL(2, paypal.tokenRequests.load());   // refreshed once, not in a loop
        CPPUNIT_ASSERT_EQUAL(2, paypal.apiRequests.load());
    }

    void appsAndSecretsHaveTheirOwnTokens() {
        AccessTokens tokens;
        ScriptedPayPal paypal;
        call(tokens, paypal, config_);
        call(tokens, paypal, readConfig(config("https://api-m.paypal.com", "another-app")));
        call(tokens, paypal, readConfig(config("https://api-m.sandbox.paypal.com")));
        // The same client_id with another secret never gets the cached token of the first.
        call(tokens, paypal, readConfig(config("https://api-m.paypal.com", kClientId, "a-guessed-secret")));
        CPPUNIT_ASSERT_EQUAL(4, paypal.tokenRequests.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), tokens.size());
        call(tokens, paypal, config_);
        CPPUNIT_ASSERT_EQUAL(4, paypal.tokenRequests.load());
        CPPUNIT_ASSERT_EQUAL(std::string("Bearer T1"), paypal.bearers.back());
    }

    void aRefusedTokenRequestIsAnAuthErrorAndNothingIsCached() {
        AccessTokens tokens;
        auto refusing = [](const HttpRequest&) {
            HttpResponse r;
            r.status = 401;
            r.body = payloadText("oauth_error_401");
            return r;
        };
        const std::string refusal = errorOf([&] { tokens.get(config_, clock(), refusing); });
        CPPUNIT_ASSERT_EQUAL(std::string("3 final [invalid_client]: getting an access token: PayPal answered 401 invalid_client: "
                                         "Client Authentication failed"),
                             refusal);
        CPPUNIT_ASSERT(refusal.find(kClientSecret) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), tokens.size());
    }

    void concurrentCallersShareOneFetch() {
        AccessTokens tokens;
        ScriptedPayPal paypal;
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i)
            threads.emplace_back([&] {
                for (int k = 0; k < 20; ++k) call(tokens, paypal, config_);
            });
        for (std::thread& t : threads) t.join();
        CPPUNIT_ASSERT_EQUAL(1, paypal.tokenRequests.load());
        CPPUNIT_ASSERT_EQUAL(160, paypal.apiRequests.load());
    }

private:
    std::atomic<std::int64_t> nowMs_{0};
    PayPalConfig config_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AccessTokensTest);
