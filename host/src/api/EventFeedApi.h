#pragma once
// The merchant event feed: GET /v1/events?type=&after=&limit= (the org's events in feed order,
// each as the envelope its webhooks carry) and GET /v1/events/{id} (one of them).
#include "http/Router.h"
#include "store/MerchantEventStore.h"

namespace tinko::api {

void registerEventFeedRoutes(http::Router& router, store::MerchantEventStore& store);

}  // namespace tinko::api
