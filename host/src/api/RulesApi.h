#pragma once
// /v1/rules: an org's recovery rules (recovery/Rules.h). The first rule that matches a failed
// payment, in priority order, picks its policy and channels or skips its recovery.
#include "http/Router.h"
#include "store/PolicyStore.h"
#include "store/TemplateStore.h"
#include "store/RuleStore.h"

namespace tinko::api {

void registerRuleRoutes(http::Router& router, store::RuleStore& rules, store::PolicyStore& policies,
                        store::TemplateStore& templates);

}  // namespace tinko::api
