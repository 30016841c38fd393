// What has become of the awards in a scope: awards and amounts by programme, school year and
// status (listed, sent, paid, refused), for `nemis aid status` and the bureau's overview.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"

namespace nemis::aid {

struct AwardTally {
  std::string programme;
  int school_year = 0;
  std::string status;
  int64_t awards = 0, amount_fen = 0;
};

/// By programme, then school year, then status; only `school_year`'s when given.
Result<std::vector<AwardTally>> TallyAwards(db::Database& db, const org::Scope& scope,
                                            std::optional<int> school_year);

}  // namespace nemis::aid
