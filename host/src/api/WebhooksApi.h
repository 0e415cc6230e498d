#pragma once
// POST /v1/webhooks/{plugin}/{org_slug}: provider webhooks and channel delivery reports. The
// request goes to recovery::WebhookIntake (what is verified, recorded and applied, and which
// outcome follows); this handler only turns its outcome into the HTTP answer:
//   taken 200 (JSON), not accepted 401, bad request 400, deliver again 503 with Retry-After
//   (all refusals application/problem+json).
#include "http/Router.h"
#include "recovery/WebhookIntake.h"

#include <string>

namespace tinko::api {

// The answer to an intake's outcome. Pure.
http::HttpResponse webhookAnswer(const recovery::WebhookOutcome& outcome);

// `publicUrl`: TINKO_PUBLIC_URL, the base of the URL a delivery's signature may cover.
void registerWebhookRoutes(http::Router& router, recovery::WebhookIntake& intake, const std::string& publicUrl);

}  // namespace tinko::api
