// POST /api/v1/class-assignments: 新学年分班, the classes of a list of students set at once
// by whoever may update them (registry/class_assignment.hpp), with a dry run; audited with
// the counts, never the numbers.
#pragma once

#include "api/api_context.hpp"

namespace nemis::api {

void AddClassAssignmentRoutes(http::Router& router, ApiContext& ctx);

}  // namespace nemis::api
