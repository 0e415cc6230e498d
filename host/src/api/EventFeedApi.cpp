#include "api/EventFeedApi.h"

#include "events/EventFeedQuery.h"
#include "http/Json.h"

namespace tinko::api {

using namespace tinko::http;

void registerEventFeedRoutes(Router& router, store::MerchantEventStore& store) {
    router.add("GET", "/v1/events", Access::Org, [&store](const HttpRequest& req) {
        auto parsed = events::parseFeedRequest(req.query);
        if (auto* p = std::get_if<Problem>(&parsed)) return problemResponse(*p);
        const auto& request = std::get<events::FeedRequest>(parsed);
        auto page = store.feed(req.caller.orgId, request);
        if (!page) {
            const std::string parameter = req.query.count("after") ? "after" : "cursor";
            return problemResponse(events::unknownFeedCursor(parameter, req.query.at(parameter)));
        }
        return jsonTextResponse(200, events::feedPageBody(*page, request.limit));
    });

    router.add("GET", "/v1/events/{id}", Access::Org, [&store](const HttpRequest& req) {
        const std::string& given = req.param("id");
        auto id = events::parseEventId(given);
        auto event = id ? store.find(req.caller.orgId, *id) : std::nullopt;
        // Malformed, unknown and another org's ids get the same answer.
        if (!event) return problemResponse(problems::notFound("no event '" + given + "'"));
        return jsonTextResponse(200, events::eventEnvelope(*event));
    });
}

}  // namespace tinko::api
