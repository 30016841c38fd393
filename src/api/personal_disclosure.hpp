// Personal data in student responses (citizen and guardian ID numbers, G numbers,
// phones, addresses): shown whole only to callers holding student.view_sensitive where
// the student is enrolled, masked for everyone else (registry/personal_mask.hpp). Every
// response that shows any of it whole is audited first, as "student.view_sensitive" with
// the students' masked numbers (J and L numbers masked too there: they follow the ID's
// coding rules); if that audit cannot be written, the response is masked
// throughout: nothing personal leaves unaudited.
#pragma once

#include <span>

#include "api/api_context.hpp"
#include "api/caller.hpp"
#include "registry/student.hpp"

namespace nemis::api {

inline constexpr std::string_view kSensitiveReadAction = "student.view_sensitive";

/// Masks what `caller` may not see of `students` and audits the rest (see above).
/// Returns false when the audit failed and everything was masked.
bool DiscloseTo(ApiContext& ctx, const http::Request& request, const Caller& caller,
                std::span<registry::Student> students);

}  // namespace nemis::api
