#pragma once
// /v1/templates: an org's message templates per channel and locale (notify/MessageTemplate.h),
// checked when saved, and POST /v1/templates/{id}/preview rendering one with sample or given data.
#include "http/Router.h"
#include "store/TemplateStore.h"

namespace tinko::api {

void registerTemplateRoutes(http::Router& router, store::TemplateStore& templates);

}  // namespace tinko::api
