#pragma once
// An org's webhook endpoints (issue 15), org API key:
//   POST   /v1/webhook-endpoints                      {url, events, description?} -> 201, with the secret (only here)
//   GET    /v1/webhook-endpoints                      list
//   GET    /v1/webhook-endpoints/{id}                 one (never the secret)
//   PATCH  /v1/webhook-endpoints/{id}                 url, events, description, disabled
//   DELETE /v1/webhook-endpoints/{id}                 204
//   POST   /v1/webhook-endpoints/{id}/rotate-secret   {secret, previous_secret_expires_at}
//   GET    /v1/webhook-endpoints/{id}/deliveries      newest first, with attempts
//   POST   /v1/webhook-deliveries/{id}/retry          202: due now
// And for ops (the console): GET /v1/admin/orgs/{slug}/webhook-endpoints and
// GET /v1/admin/orgs/{slug}/webhook-deliveries (the org's recent deliveries, newest first).
// Validation lives in api/WebhookEndpointInput (pure); secrets are sealed before they are stored.
#include "http/Router.h"
#include "plugins/EgressPolicy.h"
#include "security/SecretBox.h"
#include "store/OrgStore.h"
#include "store/WebhookEndpointStore.h"

namespace tinko::api {

void registerWebhookEndpointRoutes(http::Router& router, store::WebhookEndpointStore& endpoints,
                                   const security::SecretBox& secretBox, const plugins::EgressPolicy& egress,
                                   store::OrgStore& orgs);

}  // namespace tinko::api
