// How many staff a scope has, by status and post: what `nemis staff status` prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"

namespace nemis::staff {

struct StaffTally {
  std::string status, post;
  int64_t staff = 0;
};

/// By status, then post.
Result<std::vector<StaffTally>> TallyStaff(db::Database& db, const org::Scope& scope);

}  // namespace nemis::staff
