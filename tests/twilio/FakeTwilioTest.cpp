// The fake Twilio API itself, over real HTTP: it refuses what Twilio (or Tinko's contract) would
// refuse, with Twilio's error shape and code, and records it as a violation; it accepts a
// well-formed message with a realistic resource, follows its scripts, and signs status callbacks
// the way Twilio does.
#include "FakeTwilio.h"
#include "TestSupport.h"
#include "TwilioTestSupport.h"
#include "tinko/helpers/form.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>

using tinko::fakes::FakeTwilio;
using tinko::json::Value;
using tinko::test::HttpResult;
using namespace tinko::twilio::test;

namespace {

using Headers = std::map<std::string, std::string>;

const std::string kAccount = "AC0123456789abcdef0123456789abcdef";
const std::string kToken = "f00dfeedcafe0123456789abcdef0123";
const std::string kPath = "/2010-04-01/Accounts/" + kAccount + "/Messages.json";

Headers goodHeaders() {
    return {{"Authorization", basicAuth(kAccount, kToken)}, {"Content-Type", "application/x-www-form-urlencoded"}};
}

const std::string kGoodForm = "To=%2B14155550123&From=%2B14155552345&Body=Hi%20Jenny&StatusCallback=https%3A%2F%2Ftinko.example%2Fcb";

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace

class FakeTwilioTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FakeTwilioTest);
    CPPUNIT_TEST(acceptsAWellFormedMessage);
    CPPUNIT_TEST(acceptsAMessagingServiceInsteadOfFrom);
    CPPUNIT_TEST(refusesMissingOrMalformedCredentials);
    CPPUNIT_TEST(aWrongTokenIsUnauthorizedButNoViolation);
    CPPUNIT_TEST(refusesOtherPathsMethodsAndAccounts);
    CPPUNIT_TEST(refusesOtherEncodings);
    CPPUNIT_TEST(refusesMissingParametersWithTwiliosCodes);
    CPPUNIT_TEST(refusesMalformedValuesWithTwiliosCodes);
    CPPUNIT_TEST(refusesUnknownAndRepeatedParameters);
    CPPUNIT_TEST(countsBodyCharactersNotBytes);
    CPPUNIT_TEST(followsItsScripts);
    CPPUNIT_TEST(signsStatusCallbacksAsTwilioDoes);
    CPPUNIT_TEST(deliversStatusCallbacksOverHttp);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        twilio_ = std::make_unique<FakeTwilio>();
        twilio_->start();
    }
    void tearDown() override { twilio_.reset(); }

    HttpResult post(const std::string& form, const Headers& headers = goodHeaders(), const std::string& path = kPath) {
        return tinko::test::httpCall(twilio_->port(), "POST", path, form, headers);
    }
    // Twilio's error code in `r`, and that it was recorded as exactly one more violation.
    int refusedCode(const HttpResult& r, std::size_t violationsBefore) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, violationsBefore + 1, twilio_->violations().size());
        const Value error = tinko::json::parse(r.body);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(r.status), error.at("status").asInt());
        CPPUNIT_ASSERT(startsWith(error.at("more_info").asString(), "https://www.twilio.com/docs/errors/"));
        CPPUNIT_ASSERT(!error.at("message").asString().empty());
        return static_cast<int>(error.at("code").asInt());
    }
    int refused(const std::string& form) {
        const std::size_t before = twilio_->violations().size();
        const HttpResult r = post(form);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(form, 400, r.status);
        return refusedCode(r, before);
    }

    void acceptsAWellFormedMessage() {
        const HttpResult r = post(kGoodForm);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        CPPUNIT_ASSERT(twilio_->violations().empty());
        const Value message = tinko::json::parse(r.body);
        const std::string sid = message.at("sid").asString();
        CPPUNIT_ASSERT_MESSAGE(sid, std::regex_match(sid, std::regex("SM[0-9a-f]{32}")));
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), message.at("status").asString());
        CPPUNIT_ASSERT_EQUAL(kAccount, message.at("account_sid").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550123"), message.at("to").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("+14155552345"), message.at("from").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("Hi Jenny"), message.at("body").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("outbound-api"), message.at("direction").asString());
        CPPUNIT_ASSERT(message.at("error_code").isNull());
        CPPUNIT_ASSERT_EQUAL("/2010-04-01/Accounts/" + kAccount + "/Messages/" + sid + ".json", message.at("uri").asString());
        // Every field of the spec's example resource is there.
        for (const char* field : {"api_version", "date_created", "date_sent", "date_updated", "error_message", "messaging_service_sid",
                                  "num_media", "num_segments", "price", "price_unit", "subresource_uris"})
            CPPUNIT_ASSERT_MESSAGE(field, message.contains(field));
        CPPUNIT_ASSERT_MESSAGE(r.header("twilio-request-id"), startsWith(r.header("twilio-request-id"), "RQ"));

        const auto recorded = twilio_->message(sid);
        CPPUNIT_ASSERT(recorded);
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550123"), recorded->to);
        CPPUNIT_ASSERT_EQUAL(std::string("+14155552345"), recorded->from);
        CPPUNIT_ASSERT_EQUAL(std::string("Hi Jenny"), recorded->body);
        CPPUNIT_ASSERT_EQUAL(std::string("https://tinko.example/cb"), recorded->statusCallback);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), twilio_->messages().size());
        CPPUNIT_ASSERT_EQUAL(201, twilio_->requests().back().status);

        CPPUNIT_ASSERT_EQUAL(201, post(kGoodForm).status);   // no idempotency: a second message
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), twilio_->messages().size());
    }

    void acceptsAMessagingServiceInsteadOfFrom() {
        const HttpResult r = post("To=%2B14155550123&MessagingServiceSid=MG9f8e7d6c5b4a39281706f5e4d3c2b1a0&Body=Hi");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        const Value message = tinko::json::parse(r.body);
        CPPUNIT_ASSERT(message.at("from").isNull());
        CPPUNIT_ASSERT_EQUAL(std::string("MG9f8e7d6c5b4a39281706f5e4d3c2b1a0"), message.at("messaging_service_sid").asString());
        CPPUNIT_ASSERT(twilio_->violations().empty());
    }

    void refusesMissingOrMalformedCredentials() {
        const Headers formOnly{{"Content-Type", "application/x-www-form-urlencoded"}};
        HttpResult r = post(kGoodForm, formOnly);
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(20003, refusedCode(r, 0));
        for (const std::string& malformed : {"Bearer " + kToken, std::string("Basic !!!notbase64"), basicAuth(kAccount, "") ,
                                             std::string("Basic Zm9vYmFy")}) {
            Headers headers = formOnly;
            headers["Authorization"] = malformed;
            const std::size_t before = twilio_->violations().size();
            r = post(kGoodForm, headers);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(malformed, 401, r.status);
            CPPUNIT_ASSERT_EQUAL(20003, refusedCode(r, before));
        }
        CPPUNIT_ASSERT(twilio_->messages().empty());
    }

    void aWrongTokenIsUnauthorizedButNoViolation() {
        Headers headers = goodHeaders();
        headers["Authorization"] = basicAuth(kAccount, "0123456789abcdef0123456789abcdef");
        const HttpResult r = post(kGoodForm, headers);
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(20003), tinko::json::parse(r.body).at("code").asInt());
        CPPUNIT_ASSERT(twilio_->violations().empty());
        CPPUNIT_ASSERT(twilio_->messages().empty());
    }

    void refusesOtherPathsMethodsAndAccounts() {
        HttpResult r = post(kGoodForm, goodHeaders(), "/2010-04-01/Accounts/" + kAccount + "/Calls.json");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT_EQUAL(20404, refusedCode(r, 0));
        r = tinko::test::httpCall(twilio_->port(), "GET", kPath, "", goodHeaders());
        CPPUNIT_ASSERT_EQUAL(405, r.status);
        CPPUNIT_ASSERT_EQUAL(20004, refusedCode(r, 1));
        r = post(kGoodForm, goodHeaders(), "/2010-04-01/Accounts/ACffffffffffffffffffffffffffffffff/Messages.json");
        CPPUNIT_ASSERT_EQUAL(404, r.status);   // another account than the credentials'
        CPPUNIT_ASSERT_EQUAL(20404, refusedCode(r, 2));
        r = post(kGoodForm, goodHeaders(), "/2010-04-01/Accounts/AC123/Messages.json");
        CPPUNIT_ASSERT_EQUAL(404, r.status);   // not an Account SID
        CPPUNIT_ASSERT_EQUAL(20404, refusedCode(r, 3));
    }

    void refusesOtherEncodings() {
        Headers json = goodHeaders();
        json["Content-Type"] = "application/json";
        const HttpResult r = post(R"({"To":"+14155550123","From":"+14155552345","Body":"Hi"})", json);
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        refusedCode(r, 0);
        CPPUNIT_ASSERT_EQUAL(400, post("To=%zz", goodHeaders()).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), twilio_->violations().size());
    }

    void refusesMissingParametersWithTwiliosCodes() {
        CPPUNIT_ASSERT_EQUAL(21604, refused("From=%2B14155552345&Body=Hi"));
        CPPUNIT_ASSERT_EQUAL(21603, refused("To=%2B14155550123&Body=Hi"));
        CPPUNIT_ASSERT_EQUAL(21602, refused("To=%2B14155550123&From=%2B14155552345"));
        CPPUNIT_ASSERT(twilio_->messages().empty());
    }

    void refusesMalformedValuesWithTwiliosCodes() {
        CPPUNIT_ASSERT_EQUAL(21211, refused("To=4155550123&From=%2B14155552345&Body=Hi"));
        CPPUNIT_ASSERT_EQUAL(21212, refused("To=%2B14155550123&From=Acme&Body=Hi"));
        CPPUNIT_ASSERT_EQUAL(21701, refused("To=%2B14155550123&MessagingServiceSid=MG123&Body=Hi"));
        CPPUNIT_ASSERT_EQUAL(21609, refused("To=%2B14155550123&From=%2B14155552345&Body=Hi&StatusCallback=%2Fcb"));
        CPPUNIT_ASSERT_EQUAL(20001, refused("To=%2B14155550123&From=%2B14155552345&Body=Hi&ValidityPeriod=soon"));
        CPPUNIT_ASSERT_EQUAL(20001, refused("To=%2B14155550123&From=%2B14155552345&Body=Hi&RiskCheck=maybe"));
        const std::string last = twilio_->violations().back();
        CPPUNIT_ASSERT_MESSAGE(last, startsWith(last, "POST " + kPath + ": "));
    }

    void refusesUnknownAndRepeatedParameters() {
        CPPUNIT_ASSERT_EQUAL(20001, refused(kGoodForm + "&Statuscallback=https%3A%2F%2Fx.example"));
        CPPUNIT_ASSERT_EQUAL(20001, refused(kGoodForm + "&To=%2B14155550124"));
        // A list parameter may repeat.
        CPPUNIT_ASSERT_EQUAL(201, post(kGoodForm + "&MediaUrl=https%3A%2F%2Fa.example%2F1.png&MediaUrl=https%3A%2F%2Fa.example%2F2.png").status);
    }

    void countsBodyCharactersNotBytes() {
        const std::string emoji = "%F0%9F%91%8D";   // 👍: one character, four bytes
        CPPUNIT_ASSERT_EQUAL(201, post("To=%2B14155550123&From=%2B14155552345&Body=" + repeat(emoji, 1600)).status);
        CPPUNIT_ASSERT_EQUAL(21617, refused("To=%2B14155550123&From=%2B14155552345&Body=" + repeat(emoji, 1601)));
        CPPUNIT_ASSERT_EQUAL(21617, refused("To=%2B14155550123&From=%2B14155552345&Body=" + std::string(1601, 'a')));
    }

    void followsItsScripts() {
        const std::pair<int, int> codes[] = {{21610, 400}, {21211, 400}, {21614, 400}, {20429, 429}, {30003, 400}};
        for (const auto& [code, status] : codes) {
            twilio_->failNextSend(code);
            const HttpResult r = post(kGoodForm);
            CPPUNIT_ASSERT_EQUAL(status, r.status);
            CPPUNIT_ASSERT_EQUAL(std::int64_t(code), tinko::json::parse(r.body).at("code").asInt());
        }
        twilio_->failNextSend(21610, 403);
        CPPUNIT_ASSERT_EQUAL(403, post(kGoodForm).status);
        CPPUNIT_ASSERT(twilio_->messages().empty());
        CPPUNIT_ASSERT(twilio_->violations().empty());   // the requests were fine

        twilio_->failNextSend(21610);
        CPPUNIT_ASSERT_EQUAL(21604, refused("From=%2B14155552345&Body=Hi"));   // a bad request does not use the script
        CPPUNIT_ASSERT_EQUAL(400, post(kGoodForm).status);
        CPPUNIT_ASSERT_EQUAL(201, post(kGoodForm).status);

        twilio_->failNextRequest(503);
        HttpResult r = tinko::test::httpCall(twilio_->port(), "POST", kPath, "", {});   // not even authenticated
        CPPUNIT_ASSERT_EQUAL(503, r.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(20500), tinko::json::parse(r.body).at("code").asInt());
        CPPUNIT_ASSERT_EQUAL(201, post(kGoodForm).status);
    }

    void signsStatusCallbacksAsTwilioDoes() {
        const Value vector = payload("signature_vector");
        std::vector<std::pair<std::string, std::string>> params;
        for (const auto& [name, value] : vector.at("params").asObject()) params.emplace_back(name, value.asString());
        CPPUNIT_ASSERT_EQUAL(std::string("RSOYDt4T1cUTdK1PDd93/VVr8B8="),
                             FakeTwilio::signature(vector.at("url").asString(), params, vector.at("auth_token").asString()));

        const std::string sid = tinko::json::parse(post(kGoodForm).body).at("sid").asString();
        const auto callback = twilio_->statusCallback(sid, "undelivered", "30003");
        CPPUNIT_ASSERT_EQUAL(std::string("https://tinko.example/cb"), callback.url);
        CPPUNIT_ASSERT_EQUAL("ApiVersion=2010-04-01&AccountSid=" + kAccount +
                                 "&ErrorCode=30003&From=%2B14155552345&MessageSid=" + sid +
                                 "&MessageStatus=undelivered&SmsSid=" + sid + "&SmsStatus=undelivered&To=%2B14155550123",
                             callback.body);
        const std::vector<std::pair<std::string, std::string>> sent{
            {"ApiVersion", "2010-04-01"}, {"AccountSid", kAccount}, {"ErrorCode", "30003"}, {"From", "+14155552345"},
            {"MessageSid", sid}, {"MessageStatus", "undelivered"}, {"SmsSid", sid}, {"SmsStatus", "undelivered"},
            {"To", "+14155550123"}};
        CPPUNIT_ASSERT_EQUAL(FakeTwilio::signature("https://tinko.example/cb", sent, kToken), callback.signature);
        CPPUNIT_ASSERT_EQUAL(std::string("undelivered"), twilio_->message(sid)->status);
        CPPUNIT_ASSERT_EQUAL(std::string("30003"), twilio_->message(sid)->errorCode);

        const auto elsewhere = twilio_->statusCallback(sid, "delivered", "", "https://other.example/cb", "othertoken");
        CPPUNIT_ASSERT_EQUAL(std::string("https://other.example/cb"), elsewhere.url);
        CPPUNIT_ASSERT(elsewhere.body.find("ErrorCode") == std::string::npos);
        CPPUNIT_ASSERT_THROW(twilio_->statusCallback("SMunknown", "delivered"), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(twilio_->statusCallback(sid, "lost"), std::invalid_argument);
    }

    void deliversStatusCallbacksOverHttp() {
        CallbackReceiver receiver;
        const std::string callbackUrl = receiver.url("/v1/webhooks/notify-twilio/acme");
        const HttpResult created = post("To=%2B14155550123&From=%2B14155552345&Body=Hi&StatusCallback=" +
                                        tinko::sdk::helpers::percentEncode(callbackUrl));
        const std::string sid = tinko::json::parse(created.body).at("sid").asString();
        CPPUNIT_ASSERT_EQUAL(204, twilio_->deliverStatus(sid, "delivered"));
        const auto received = receiver.received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), received.size());
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), received[0].method);
        CPPUNIT_ASSERT_EQUAL(std::string("/v1/webhooks/notify-twilio/acme"), received[0].pathAndQuery);
        CPPUNIT_ASSERT_EQUAL(std::string("application/x-www-form-urlencoded"), received[0].headers.at("content-type"));
        const auto expected = twilio_->statusCallback(sid, "delivered");
        CPPUNIT_ASSERT_EQUAL(expected.signature, received[0].headers.at("x-twilio-signature"));
        CPPUNIT_ASSERT_EQUAL(expected.body, received[0].body);

        const std::string withoutCallback = tinko::json::parse(post("To=%2B14155550123&From=%2B14155552345&Body=Hi").body).at("sid").asString();
        CPPUNIT_ASSERT_THROW(twilio_->deliverStatus(withoutCallback, "delivered"), std::invalid_argument);
    }

private:
    std::unique_ptr<FakeTwilio> twilio_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FakeTwilioTest);
