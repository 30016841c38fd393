// The statistics projection of the registry as it stood at the end of a past day (Asia/
// Shanghai), from the registry's history (migration 19: every state of a student from the
// moment it was written, every promotion count of a school): a count for last year's
// 1 September is the same after this year's changes. The organisation tree is the one of
// that day too (migration 21: every state of an institution), its names today's.
#pragma once

#include <memory>
#include <string>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "stats/projection.hpp"

namespace nemis::stats {

/// The first instant after `day` in China Standard Time, as UTC text ("2026-09-01T16:00:00.000Z"
/// for 1 September 2026): states written before it are the day's.
std::string EndOfDayInChinaUtc(Date day);

/// The projection as of the end of `day`, read `batch` students at a time on `threads`.
Result<std::unique_ptr<Projection>> LoadAsOf(db::Database& db, Date day, int64_t batch,
                                             int threads);

}  // namespace nemis::stats
