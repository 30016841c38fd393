// Where the annual submissions of a subtree stand (the progress dashboard): each reporting
// unit's state as DHIS2 shows it — waiting for the units below, ready to submit,
// submitted (pending the level above), approved, returned — whether a level above has
// frozen it, whether it is late (not submitted after the deadline, 20 September), and per
// level how many units are in each state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"

namespace nemis::stats {

/// The deadline of `year`'s submissions (STANDARDS.md: 20 September).
Date SubmissionDeadline(int year);

struct UnitProgress {
  std::string org_code, name, parent_code;
  org::OrgLevel level = org::OrgLevel::kSchool;
  std::string state;     // waiting, ready, submitted, approved, returned
  bool locked = false;   // a level above has submitted: nothing here may change
  bool overdue = false;  // not submitted (nor approved) after the deadline
  int64_t units_below = 0, units_below_approved = 0;
  int64_t version = 0;  // of the submission (0: none)
  std::string submitted_by, submitted_at, decided_by, decided_at, return_reason;
};

struct LevelProgress {
  org::OrgLevel level = org::OrgLevel::kSchool;
  int64_t units = 0, waiting = 0, ready = 0, submitted = 0, approved = 0, returned = 0, overdue = 0;
};

struct SubmissionProgress {
  Date point, deadline;
  UnitProgress unit;                  // the root
  std::vector<UnitProgress> units;    // the units reporting to the root
  std::vector<LevelProgress> levels;  // over the whole subtree, the root's level included
};

Result<SubmissionProgress> ProgressOf(db::Database& db, int year, const org::Institution& root,
                                      Date today);

}  // namespace nemis::stats
