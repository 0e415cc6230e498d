#pragma once
// Orgs and their API keys: /v1/admin/orgs* for ops, and /v1/org for an org to see who it is.
#include "http/Router.h"
#include "store/OrgStore.h"

namespace tinko::api {

void registerOrgRoutes(http::Router& router, store::OrgStore& orgs);

// The 404 for a slug no org has (also for the ops views of an org, OpsViewsApi).
http::HttpResponse orgNotFound(const std::string& slug);

// Pure: why `slug` is not a valid org slug, or empty when it is.
std::string slugProblem(const std::string& slug);

}  // namespace tinko::api
