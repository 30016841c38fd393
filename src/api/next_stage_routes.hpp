// POST /api/v1/next-stage-enrolments: a school enrols graduates of the stage below in bulk
// (小升初, 初升高; registry/next_stage_enrolment.hpp). The list names students of other
// schools by number and name as a transfer lookup does, so it takes a token of the same
// per-account bucket and every request is audited with what it matched, never the numbers.
#pragma once

#include <memory>

#include "api/api_context.hpp"
#include "api/public_throttle.hpp"

namespace nemis::api {

void AddNextStageRoutes(http::Router& router, ApiContext& ctx,
                        const std::shared_ptr<PublicThrottle>& lookups);

}  // namespace nemis::api
