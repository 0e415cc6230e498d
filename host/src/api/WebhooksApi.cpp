#include "api/WebhooksApi.h"

#include "http/Json.h"
#include "http/Problem.h"

namespace tinko::api {

using namespace tinko::http;
using Kind = recovery::WebhookOutcome::Kind;

HttpResponse webhookAnswer(const recovery::WebhookOutcome& outcome) {
    switch (outcome.kind) {
        case Kind::Taken: return jsonResponse(200, outcome.answer);
        case Kind::NotAccepted: return problemResponse(problems::unauthorized(outcome.detail));
        case Kind::BadRequest: return problemResponse(problems::badRequest(outcome.detail));
        case Kind::DeliverAgain: break;
    }
    return problemResponse(problems::unavailable(outcome.detail))
        .withHeader("Retry-After", std::to_string(outcome.retryAfterSeconds));
}

void registerWebhookRoutes(Router& router, recovery::WebhookIntake& intake, const std::string& publicUrl) {
    router.add("POST", "/v1/webhooks/{plugin}/{org_slug}", Access::Public, [&intake, publicUrl](const HttpRequest& req) {
        return webhookAnswer(intake.take({req.param("plugin"), req.param("org_slug"), publicUrl + req.path, req.headers, req.body}));
    });
}

}  // namespace tinko::api
