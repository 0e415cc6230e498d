#pragma once
// The card networks' retry limits (migrations/0027, store/CardRetryStore.h), for ops:
//   GET /v1/admin/card-retry-limits                    every limit with its default and source
//   PUT /v1/admin/card-retry-limits/{network}/{rule}   {max_attempts?, window_seconds?}: tighten one
// A limit can only be tightened: max_attempts at most its default, window_seconds at least its
// default (a looser value is a 422 naming the field). Each change is audited.
#include "http/Router.h"
#include "store/CardRetryStore.h"

#include <optional>
#include <string>

namespace tinko::api {

// Why a requested change of `current` is not a tightening, per field (pure; empty when it is).
std::vector<std::pair<std::string, std::string>> limitChangeProblems(const store::CardRetryLimit& current,
                                                                     std::optional<long long> maxAttempts,
                                                                     std::optional<long long> windowSeconds);

void registerCardRetryLimitRoutes(http::Router& router, store::CardRetryStore& cardRetries);

}  // namespace tinko::api
