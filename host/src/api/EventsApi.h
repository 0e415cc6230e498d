#pragma once
// Failed payments coming in: POST /v1/events/payment_failed (stored, classified and turned into a
// recovery before the 201), GET /v1/events/by_ref/{ref}, and POST /v1/classify.
#include "http/Metrics.h"
#include "http/Router.h"
#include "recovery/DeclineClassifier.h"
#include "recovery/FailureIntake.h"
#include "store/RecoveryStore.h"

namespace tinko::api {

void registerEventRoutes(http::Router& router, recovery::FailureIntake& intake, recovery::DeclineClassifier& classifier,
                         store::RecoveryStore& recoveries, http::Metrics& metrics);

}  // namespace tinko::api
