// /v1/webhook-endpoints and /v1/webhook-deliveries on a running host: endpoints are created (the
// secret shown once, stored only sealed), read, changed, deleted and rotated (the previous secret
// kept 24 h); deliveries (fanned out by dispatch_merchant_events from events inserted here) are
// listed with their attempts and retried; bad input is refused naming the field and changes
// nothing; another org's ids answer like unknown ones; ops read an org's endpoints and deliveries.
#include "TestSupport.h"

#include "security/SecretBox.h"
#include "store/PgConnection.h"

#include <Poco/JSON/Array.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

namespace {
const std::string kSecretKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kUnknownId = "987654321";
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

class WebhookEndpointsApiTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookEndpointsApiTest);
    CPPUNIT_TEST(anEndpointIsCreatedAndItsSecretShownOnlyOnceAndStoredSealed);
    CPPUNIT_TEST(badInputIsRefusedNamingTheFieldAndStoresNothing);
    CPPUNIT_TEST(anOrgHasAtMostSixteenEndpoints);
    CPPUNIT_TEST(patchChangesWhatIsGivenAndReEnablingClearsTheReason);
    CPPUNIT_TEST(deleteRemovesTheEndpoint);
    CPPUNIT_TEST(rotationKeepsThePreviousSecretForTwentyFourHours);
    CPPUNIT_TEST(deliveriesAreListedNewestFirstWithTheirAttempts);
    CPPUNIT_TEST(retryMakesADeliveryDueNow);
    CPPUNIT_TEST(anotherOrgsIdsAnswerLikeUnknownIds);
    CPPUNIT_TEST(opsReadAnOrgsEndpointsAndDeliveries);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_SCHEDULER_WORKERS", "0"}, {"TINKO_SECRET_KEY", kSecretKey}});
        return shared;
    }
    static HttpResult call(const std::string& key, const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host().port(), method, path, body, jsonBearer(key));
    }
    static tinko::store::PgConnection db() { return tinko::store::PgConnection(host().databaseUrl); }
    static std::string sql(const std::string& query, const std::vector<std::string>& params = {}) {
        auto rows = db().query(query, params);
        return rows.empty() || !rows[0][0] ? "" : *rows[0][0];
    }
    static std::string orgId(const std::string& slug) { return sql("SELECT id::text FROM orgs WHERE slug = $1", {slug}); }
    static std::string endpointRow(const std::string& id) {
        return sql("SELECT row_to_json(w)::text FROM webhook_endpoints w WHERE id = $1::bigint", {id});
    }
    static Poco::JSON::Object::Ptr created(const std::string& key, const std::string& body) {
        auto r = call(key, "POST", "/v1/webhook-endpoints", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        return r.json();
    }
    static std::string createdId(const std::string& key, const std::string& url = "https://hooks.example.com/tinko") {
        return created(key, R"({"url":")" + url + R"(","events":["*"]})")->get("id").toString();
    }
    static std::string path(const std::string& id, const std::string& rest = "") { return "/v1/webhook-endpoints/" + id + rest; }
    // An event of the org, sequenced and fanned out to its endpoints as the dispatcher does.
    static std::string eventFor(const std::string& slug, const std::string& type) {
        const std::string id = sql("INSERT INTO merchant_events (org_id, type, data) VALUES ($1::bigint, $2, '{}'::jsonb)"
                                   " RETURNING id::text", {orgId(slug), type});
        CPPUNIT_ASSERT(waitUntil([&] {
            sql("SELECT dispatch_merchant_events(100)");
            return !sql("SELECT seq::text FROM merchant_events WHERE id = $1::bigint", {id}).empty();
        }, 10s));
        return id;
    }
    static std::string deliveryOf(const std::string& eventId, const std::string& endpointId) {
        return sql("SELECT id::text FROM webhook_deliveries WHERE event_id = $1::bigint AND endpoint_id = $2::bigint",
                   {eventId, endpointId});
    }
    static void assertProblem(const HttpResult& r, int status, const std::string& field) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
        CPPUNIT_ASSERT_MESSAGE(field + " not named in " + r.body, contains(r.body, "\"" + field + "\""));
    }

    void anEndpointIsCreatedAndItsSecretShownOnlyOnceAndStoredSealed() {
        const std::string key = host().createOrgWithKey("wh-create");
        auto e = created(key, R"({"url":"https://hooks.example.com/tinko","events":["recovery.recovered","message.failed"],)"
                              R"("description":"ERP sync"})");
        const std::string id = e->get("id").toString();
        CPPUNIT_ASSERT_EQUAL(std::string("https://hooks.example.com/tinko"), e->getValue<std::string>("url"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), e->getArray("events")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("message.failed"), e->getArray("events")->getElement<std::string>(1));
        CPPUNIT_ASSERT_EQUAL(std::string("ERP sync"), e->getValue<std::string>("description"));
        CPPUNIT_ASSERT_EQUAL(false, e->getValue<bool>("disabled"));
        CPPUNIT_ASSERT(e->isNull("disabled_reason"));
        CPPUNIT_ASSERT(!e->getValue<std::string>("created_at").empty());
        const std::string secret = e->getValue<std::string>("secret");
        CPPUNIT_ASSERT_EQUAL(std::string("whsec_"), secret.substr(0, 6));
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), secret.size());

        // Never again: not on reading it, not in the list.
        auto one = call(key, "GET", path(id));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(one.body, 200, one.status);
        CPPUNIT_ASSERT(!one.json()->has("secret"));
        CPPUNIT_ASSERT(!contains(one.body, secret.substr(6)));
        CPPUNIT_ASSERT_EQUAL(std::string("ERP sync"), one.json()->getValue<std::string>("description"));
        auto list = call(key, "GET", "/v1/webhook-endpoints");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, 200, list.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), list.json()->getArray("data")->size());
        CPPUNIT_ASSERT(list.json()->isNull("next_cursor"));
        CPPUNIT_ASSERT(!contains(list.body, secret.substr(6)));

        // Stored sealed for this org: not in the table in clear, and it opens to what was shown.
        const std::string row = endpointRow(id);
        CPPUNIT_ASSERT_MESSAGE(row, !contains(row, secret.substr(6)));
        const std::string sealed = sql("SELECT sealed_secret FROM webhook_endpoints WHERE id = $1::bigint", {id});
        const auto box = tinko::security::SecretBox::fromText(kSecretKey);
        CPPUNIT_ASSERT_EQUAL(secret, box.open(sealed, "webhook-endpoint-secret:" + orgId("wh-create")));
        CPPUNIT_ASSERT_THROW(box.open(sealed, "webhook-endpoint-secret:0"), tinko::security::SecretBoxError);
        // The answer that shows it may not be cached (the host says so on every answer); the audit log says what happened, without it.
        auto again = call(key, "POST", "/v1/webhook-endpoints", R"({"url":"https://hooks.example.com/two","events":["*"]})");
        CPPUNIT_ASSERT_EQUAL(std::string("no-store"), again.header("cache-control"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), sql("SELECT count(*)::text FROM audit_log WHERE org_id = $1::bigint"
                                                   " AND action = 'webhook_endpoint.created'", {orgId("wh-create")}));
        CPPUNIT_ASSERT(!contains(sql("SELECT string_agg(details::text || subject, ' ') FROM audit_log WHERE org_id = $1::bigint",
                                     {orgId("wh-create")}), secret.substr(6)));
        // Nor in any log line.
        CPPUNIT_ASSERT(!contains(host().process.stdoutText() + host().process.stderrText(), secret.substr(6)));
    }

    void badInputIsRefusedNamingTheFieldAndStoresNothing() {
        const std::string key = host().createOrgWithKey("wh-bad");
        auto post = [&](const std::string& body) { return call(key, "POST", "/v1/webhook-endpoints", body); };
        assertProblem(post(R"({"url":"http://hooks.example.com/","events":["*"]})"), 422, "url");
        CPPUNIT_ASSERT(contains(post(R"({"url":"http://hooks.example.com/","events":["*"]})").body, "must be https"));
        auto loopback = post(R"({"url":"https://127.0.0.2/","events":["*"]})");
        assertProblem(loopback, 422, "url");
        CPPUNIT_ASSERT_MESSAGE(loopback.body, contains(loopback.body, "loopback"));
        assertProblem(post(R"({"url":"https://10.1.2.3/","events":["*"]})"), 422, "url");
        assertProblem(post(R"({"url":"https://u:p@hooks.example.com/","events":["*"]})"), 422, "url");
        assertProblem(post(R"({"url":"https://hooks.example.com/#x","events":["*"]})"), 422, "url");
        auto unknown = post(R"({"url":"https://hooks.example.com/","events":["recovery.started","payment.exploded"]})");
        assertProblem(unknown, 422, "events[1]");
        CPPUNIT_ASSERT_MESSAGE(unknown.body, contains(unknown.body, "payment.exploded"));
        assertProblem(post(R"({"url":"https://hooks.example.com/","events":[]})"), 422, "events");
        assertProblem(post(R"({"url":"https://hooks.example.com/","events":["*","link.opened"]})"), 422, "events[0]");
        assertProblem(post(R"({"url":"https://hooks.example.com/","events":"*"})"), 422, "events");
        assertProblem(post(R"({"url":"https://hooks.example.com/","events":["*"],"description":")" + std::string(501, 'd') + "\"}"),
                      422, "description");
        assertProblem(post(R"({"url":"https://hooks.example.com/","events":["*"],"secret":"whsec_mine"})"), 422, "secret");
        CPPUNIT_ASSERT_EQUAL(400, post("{not json").status);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), sql("SELECT count(*)::text FROM webhook_endpoints WHERE org_id = $1::bigint",
                                                   {orgId("wh-bad")}));

        // A bad change changes nothing, not even the fields given correctly beside it.
        const std::string id = createdId(key);
        const std::string before = endpointRow(id);
        assertProblem(call(key, "PATCH", path(id), R"({"description":"ok","url":"http://hooks.example.com/"})"), 422, "url");
        assertProblem(call(key, "PATCH", path(id), R"({"description":"ok","events":["nope"]})"), 422, "events[0]");
        assertProblem(call(key, "PATCH", path(id), R"({"description":"ok","disabled":"yes"})"), 422, "disabled");
        assertProblem(call(key, "PATCH", path(id), R"({"description":"ok","id":5})"), 422, "id");
        CPPUNIT_ASSERT_EQUAL(before, endpointRow(id));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), sql("SELECT count(*)::text FROM audit_log WHERE org_id = $1::bigint"
                                                   " AND action LIKE 'webhook_endpoint.%'", {orgId("wh-bad")}));
        // Paging parameters are checked like every list's.
        assertProblem(call(key, "GET", "/v1/webhook-endpoints?limit=0"), 400, "limit");
        assertProblem(call(key, "GET", path(id, "/deliveries?cursor=nonsense")), 400, "cursor");
    }

    void anOrgHasAtMostSixteenEndpoints() {
        const std::string key = host().createOrgWithKey("wh-cap");
        for (int i = 0; i < 16; ++i) createdId(key, "https://hooks.example.com/" + std::to_string(i));
        auto refused = call(key, "POST", "/v1/webhook-endpoints", R"({"url":"https://hooks.example.com/17","events":["*"]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, 409, refused.status);
        CPPUNIT_ASSERT_EQUAL(std::string("urn:tinko:problem:webhook-endpoint-limit"), refused.json()->getValue<std::string>("type"));
        CPPUNIT_ASSERT(contains(refused.json()->getValue<std::string>("detail"), "16"));
        CPPUNIT_ASSERT_EQUAL(std::string("16"), sql("SELECT count(*)::text FROM webhook_endpoints WHERE org_id = $1::bigint",
                                                    {orgId("wh-cap")}));
        // Pages of the list, by id.
        auto first = call(key, "GET", "/v1/webhook-endpoints?limit=10").json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(10), first->getArray("data")->size());
        auto rest = call(key, "GET", "/v1/webhook-endpoints?limit=10&cursor=" + first->getValue<std::string>("next_cursor")).json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), rest->getArray("data")->size());
        CPPUNIT_ASSERT(rest->isNull("next_cursor"));
    }

    void patchChangesWhatIsGivenAndReEnablingClearsTheReason() {
        const std::string key = host().createOrgWithKey("wh-patch");
        const std::string id =
            created(key, R"({"url":"https://hooks.example.com/a","events":["link.opened"],"description":"first"})")->get("id").toString();
        // Ops allow 127.0.0.1 in the tests (TINKO_EGRESS_ALLOW): plain http to it is fine.
        auto changed = call(key, "PATCH", path(id), R"({"url":"http://127.0.0.1:9/hooks","events":["*"],"description":null})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(changed.body, 200, changed.status);
        auto e = changed.json();
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:9/hooks"), e->getValue<std::string>("url"));
        CPPUNIT_ASSERT_EQUAL(std::string("*"), e->getArray("events")->getElement<std::string>(0));
        CPPUNIT_ASSERT(e->isNull("description"));
        CPPUNIT_ASSERT_EQUAL(false, e->getValue<bool>("disabled"));

        auto off = call(key, "PATCH", path(id), R"({"disabled":true})").json();
        CPPUNIT_ASSERT_EQUAL(true, off->getValue<bool>("disabled"));
        CPPUNIT_ASSERT(off->isNull("disabled_reason"));   // a person did it
        CPPUNIT_ASSERT(!off->isNull("disabled_at"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:9/hooks"), off->getValue<std::string>("url"));

        // As Tinko disables it (a 410): the reason shows, and enabling clears it.
        sql("UPDATE webhook_endpoints SET disabled_reason = 'the endpoint answered 410 Gone' WHERE id = $1::bigint RETURNING id", {id});
        CPPUNIT_ASSERT_EQUAL(std::string("the endpoint answered 410 Gone"),
                             call(key, "GET", path(id)).json()->getValue<std::string>("disabled_reason"));
        auto on = call(key, "PATCH", path(id), R"({"disabled":false})").json();
        CPPUNIT_ASSERT_EQUAL(false, on->getValue<bool>("disabled"));
        CPPUNIT_ASSERT(on->isNull("disabled_reason"));
        CPPUNIT_ASSERT(on->isNull("disabled_at"));
        CPPUNIT_ASSERT_EQUAL(std::string("false|true|true"),
                             sql("SELECT disabled::text || '|' || (disabled_reason IS NULL)::text || '|' || (disabled_at IS NULL)::text"
                                 " FROM webhook_endpoints WHERE id = $1::bigint", {id}));
    }

    void deleteRemovesTheEndpoint() {
        const std::string key = host().createOrgWithKey("wh-delete");
        const std::string id = createdId(key);
        const std::string event = eventFor("wh-delete", "recovery.started");
        CPPUNIT_ASSERT(!deliveryOf(event, id).empty());
        auto gone = call(key, "DELETE", path(id));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(gone.body, 204, gone.status);
        CPPUNIT_ASSERT_EQUAL(404, call(key, "GET", path(id)).status);
        CPPUNIT_ASSERT_EQUAL(404, call(key, "DELETE", path(id)).status);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), sql("SELECT count(*)::text FROM webhook_deliveries WHERE endpoint_id = $1::bigint", {id}));
    }

    void rotationKeepsThePreviousSecretForTwentyFourHours() {
        const std::string key = host().createOrgWithKey("wh-rotate");
        auto e = created(key, R"({"url":"https://hooks.example.com/r","events":["*"]})");
        const std::string id = e->get("id").toString(), first = e->getValue<std::string>("secret");
        const std::string firstSealed = sql("SELECT sealed_secret FROM webhook_endpoints WHERE id = $1::bigint", {id});

        auto rotated = call(key, "POST", path(id, "/rotate-secret"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(rotated.body, 200, rotated.status);
        const std::string second = rotated.json()->getValue<std::string>("secret");
        CPPUNIT_ASSERT(second != first);
        CPPUNIT_ASSERT_EQUAL(std::string("whsec_"), second.substr(0, 6));
        CPPUNIT_ASSERT_EQUAL(std::string("no-store"), rotated.header("cache-control"));
        CPPUNIT_ASSERT(!rotated.json()->getValue<std::string>("previous_secret_expires_at").empty());

        // The row: the old sealed secret moved aside, expiring in 24 h; the new one sealed for the org.
        CPPUNIT_ASSERT_EQUAL(firstSealed, sql("SELECT sealed_previous_secret FROM webhook_endpoints WHERE id = $1::bigint", {id}));
        CPPUNIT_ASSERT_EQUAL(std::string("true"),
                             sql("SELECT (previous_secret_expires_at BETWEEN now() + interval '23 hours 59 minutes'"
                                 " AND now() + interval '24 hours 1 minute')::text FROM webhook_endpoints WHERE id = $1::bigint", {id}));
        const auto box = tinko::security::SecretBox::fromText(kSecretKey);
        const std::string ad = "webhook-endpoint-secret:" + orgId("wh-rotate");
        CPPUNIT_ASSERT_EQUAL(second, box.open(sql("SELECT sealed_secret FROM webhook_endpoints WHERE id = $1::bigint", {id}), ad));
        CPPUNIT_ASSERT_EQUAL(first, box.open(sql("SELECT sealed_previous_secret FROM webhook_endpoints WHERE id = $1::bigint", {id}), ad));
        CPPUNIT_ASSERT(!contains(endpointRow(id), second.substr(6)));
        // The endpoint says a rotation is under way, never with a secret.
        auto one = call(key, "GET", path(id));
        CPPUNIT_ASSERT(!one.json()->isNull("previous_secret_expires_at"));
        CPPUNIT_ASSERT(!contains(one.body, second.substr(6)) && !contains(one.body, first.substr(6)));
        CPPUNIT_ASSERT_EQUAL(404, call(key, "POST", path(kUnknownId, "/rotate-secret")).status);
    }

    void deliveriesAreListedNewestFirstWithTheirAttempts() {
        const std::string key = host().createOrgWithKey("wh-deliveries");
        const std::string id = createdId(key), other = created(key, R"({"url":"https://hooks.example.com/o","events":["link.opened"]})")
                                                           ->get("id").toString();
        const std::string e1 = eventFor("wh-deliveries", "recovery.started"), e2 = eventFor("wh-deliveries", "link.opened"),
                          e3 = eventFor("wh-deliveries", "recovery.recovered");
        CPPUNIT_ASSERT(deliveryOf(e1, other).empty());   // not subscribed
        const std::string d1 = deliveryOf(e1, id), d3 = deliveryOf(e3, id);
        sql("INSERT INTO webhook_delivery_attempts (delivery_id, status_code, error, duration_ms)"
            " VALUES ($1::bigint, 503, 'the endpoint answered 503', 41) RETURNING id", {d1});
        sql("UPDATE webhook_deliveries SET state = 'delivered', delivered_at = now(), attempts = 1, last_status = 200"
            " WHERE id = $1::bigint RETURNING id", {d3});

        auto r = call(key, "GET", path(id, "/deliveries"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto data = r.json()->getArray("data");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), data->size());
        CPPUNIT_ASSERT(r.json()->isNull("next_cursor"));
        auto newest = data->getObject(0), oldest = data->getObject(2);
        CPPUNIT_ASSERT_EQUAL("evt_" + e3, newest->getValue<std::string>("event_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("recovery.recovered"), newest->getValue<std::string>("event_type"));
        CPPUNIT_ASSERT_EQUAL(std::string("delivered"), newest->getValue<std::string>("state"));
        CPPUNIT_ASSERT(newest->isNull("next_attempt_at"));
        CPPUNIT_ASSERT(!newest->isNull("delivered_at"));
        CPPUNIT_ASSERT_EQUAL(std::string("link.opened"), data->getObject(1)->getValue<std::string>("event_type"));
        CPPUNIT_ASSERT_EQUAL(d1, oldest->get("id").toString());
        CPPUNIT_ASSERT_EQUAL("evt_" + e1, oldest->getValue<std::string>("event_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), oldest->getValue<std::string>("state"));
        CPPUNIT_ASSERT(!oldest->isNull("next_attempt_at"));
        CPPUNIT_ASSERT(oldest->isNull("delivered_at"));
        auto attempts = oldest->getArray("attempts");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), attempts->size());
        auto attempt = attempts->getObject(0);
        CPPUNIT_ASSERT_EQUAL(503, attempt->getValue<int>("status_code"));
        CPPUNIT_ASSERT_EQUAL(std::string("the endpoint answered 503"), attempt->getValue<std::string>("error"));
        CPPUNIT_ASSERT_EQUAL(41, attempt->getValue<int>("duration_ms"));
        CPPUNIT_ASSERT(!attempt->getValue<std::string>("attempted_at").empty());

        // Pages, newest first.
        auto page1 = call(key, "GET", path(id, "/deliveries?limit=2")).json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), page1->getArray("data")->size());
        auto page2 = call(key, "GET", path(id, "/deliveries?limit=2&cursor=" + page1->getValue<std::string>("next_cursor"))).json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), page2->getArray("data")->size());
        CPPUNIT_ASSERT_EQUAL(d1, page2->getArray("data")->getObject(0)->get("id").toString());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), call(key, "GET", path(other, "/deliveries")).json()->getArray("data")->size());
        CPPUNIT_ASSERT_EQUAL(404, call(key, "GET", path(kUnknownId, "/deliveries")).status);
    }

    void retryMakesADeliveryDueNow() {
        const std::string key = host().createOrgWithKey("wh-retry");
        const std::string id = createdId(key);
        const std::string delivery = deliveryOf(eventFor("wh-retry", "recovery.exhausted"), id);
        // As when the schedule ran out.
        sql("UPDATE webhook_deliveries SET state = 'failed', attempts = 8, last_status = 500,"
            " next_attempt_at = now() + interval '1 day' WHERE id = $1::bigint RETURNING id", {delivery});

        auto r = call(key, "POST", "/v1/webhook-deliveries/" + delivery + "/retry");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 202, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), r.json()->getValue<std::string>("state"));
        CPPUNIT_ASSERT(!r.json()->isNull("next_attempt_at"));
        // Due now (or already taken by a worker, which counts the attempt).
        CPPUNIT_ASSERT_EQUAL(std::string("true"),
                             sql("SELECT (state <> 'failed' AND (next_attempt_at <= now() OR attempts > 8))::text"
                                 " FROM webhook_deliveries WHERE id = $1::bigint", {delivery}));

        CPPUNIT_ASSERT_EQUAL(404, call(key, "POST", "/v1/webhook-deliveries/" + kUnknownId + "/retry").status);
        CPPUNIT_ASSERT_EQUAL(404, call(key, "POST", "/v1/webhook-deliveries/abc/retry").status);
        // A disabled endpoint sends nothing: enable it first.
        CPPUNIT_ASSERT_EQUAL(200, call(key, "PATCH", path(id), R"({"disabled":true})").status);
        auto disabled = call(key, "POST", "/v1/webhook-deliveries/" + delivery + "/retry");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(disabled.body, 409, disabled.status);
        CPPUNIT_ASSERT(contains(disabled.body, "disabled"));
    }

    void anotherOrgsIdsAnswerLikeUnknownIds() {
        const std::string owner = host().createOrgWithKey("wh-owner"), stranger = host().createOrgWithKey("wh-stranger");
        const std::string id = createdId(owner);
        const std::string delivery = deliveryOf(eventFor("wh-owner", "message.sent"), id);
        const std::string before = endpointRow(id);
        const std::string deliveryBefore = sql("SELECT row_to_json(d)::text FROM webhook_deliveries d WHERE id = $1::bigint", {delivery});

        // The same status and problem, the detail naming only the id asked for.
        auto same = [&](const std::string& method, const std::string& ownId, const std::string& ownPath,
                        const std::string& unknownPath, const std::string& body) {
            auto theirs = call(stranger, method, ownPath, body), none = call(stranger, method, unknownPath, body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + ownPath + ": " + theirs.body, 404, theirs.status);
            CPPUNIT_ASSERT_EQUAL(none.status, theirs.status);
            CPPUNIT_ASSERT_EQUAL(none.json()->getValue<std::string>("type"), theirs.json()->getValue<std::string>("type"));
            CPPUNIT_ASSERT_EQUAL(none.json()->getValue<std::string>("title"), theirs.json()->getValue<std::string>("title"));
            std::string detail = none.json()->getValue<std::string>("detail");
            detail.replace(detail.find(kUnknownId), kUnknownId.size(), ownId);
            CPPUNIT_ASSERT_EQUAL(detail, theirs.json()->getValue<std::string>("detail"));
        };
        same("GET", id, path(id), path(kUnknownId), "");
        same("PATCH", id, path(id), path(kUnknownId), R"({"disabled":true})");
        same("DELETE", id, path(id), path(kUnknownId), "");
        same("POST", id, path(id, "/rotate-secret"), path(kUnknownId, "/rotate-secret"), "");
        same("GET", id, path(id, "/deliveries"), path(kUnknownId, "/deliveries"), "");
        same("POST", delivery, "/v1/webhook-deliveries/" + delivery + "/retry", "/v1/webhook-deliveries/" + kUnknownId + "/retry", "");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), call(stranger, "GET", "/v1/webhook-endpoints").json()->getArray("data")->size());
        // Nothing of the owner's changed.
        CPPUNIT_ASSERT_EQUAL(before, endpointRow(id));
        CPPUNIT_ASSERT_EQUAL(deliveryBefore, sql("SELECT row_to_json(d)::text FROM webhook_deliveries d WHERE id = $1::bigint", {delivery}));
    }

    void opsReadAnOrgsEndpointsAndDeliveries() {
        const std::string key = host().createOrgWithKey("wh-ops");
        auto e = created(key, R"({"url":"https://hooks.example.com/ops","events":["*"]})");
        const std::string id = e->get("id").toString(), secret = e->getValue<std::string>("secret");
        const std::string event = eventFor("wh-ops", "charge.retry_declined");

        auto endpoints = host().ops("GET", "/v1/admin/orgs/wh-ops/webhook-endpoints");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(endpoints.body, 200, endpoints.status);
        CPPUNIT_ASSERT_EQUAL(std::string("https://hooks.example.com/ops"),
                             endpoints.json()->getArray("data")->getObject(0)->getValue<std::string>("url"));
        CPPUNIT_ASSERT(!contains(endpoints.body, secret.substr(6)));
        auto deliveries = host().ops("GET", "/v1/admin/orgs/wh-ops/webhook-deliveries");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(deliveries.body, 200, deliveries.status);
        auto d = deliveries.json()->getArray("data")->getObject(0);
        CPPUNIT_ASSERT_EQUAL("evt_" + event, d->getValue<std::string>("event_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://hooks.example.com/ops"), d->getValue<std::string>("endpoint_url"));
        CPPUNIT_ASSERT_EQUAL(404, host().ops("GET", "/v1/admin/orgs/no-such-org/webhook-endpoints").status);
        // An org key is not an ops token.
        auto refused = call(key, "GET", "/v1/admin/orgs/wh-ops/webhook-deliveries");
        CPPUNIT_ASSERT_MESSAGE(refused.body, refused.status == 401 || refused.status == 403);
        // And the ops token is not an org's key.
        CPPUNIT_ASSERT(host().ops("GET", "/v1/webhook-endpoints").status >= 400);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookEndpointsApiTest);
