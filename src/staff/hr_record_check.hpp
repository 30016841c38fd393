// Whether a record of HR's feed (hr_feed.hpp) can be kept as it stands, and the facts its
// resident ID carries. The codes of the reasons are what the sync counts and reports.
#pragma once

#include <optional>
#include <string>

#include "base/date.hpp"
#include "staff/hr_feed.hpp"

namespace nemis::staff {

/// A record found sound, with what its ID says and its time in the store's form.
struct CheckedRecord {
  int gender = 0;          // 1 male, 2 female
  std::string birth_date;  // YYYY-MM-DD
  std::string changed_at;  // 2026-12-01T08:00:00.000Z
};

/// Why `record` cannot be kept: "bad_id" (not a valid resident ID), "bad_name", "bad_post",
/// "bad_title", "bad_status", "bad_changed_at"; nullopt when it can (and `out` is filled).
std::optional<std::string> RecordProblem(const HrStaffRecord& record, const Date& today,
                                         CheckedRecord& out);

}  // namespace nemis::staff
