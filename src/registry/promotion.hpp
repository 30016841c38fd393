// The annual promotion (升级) and graduation (毕业) of a node or a subtree, as the registry
// rules have it at 24:00 on 10 August: every student in school (在读, 复学) not in a final
// grade moves up one grade; a student in the final grade of its stage graduates (status 07,
// with its history row) unless it has an open case, which holds it back for a later run.
// Idempotent and resumable: each student records the year it was last promoted in, and the
// run goes through the store in id ranges, one transaction each, so that a run killed
// half-way and run again finishes the job and changes nobody twice. A dry run counts what
// would change. Every change is in the change log.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"

namespace nemis::registry {

struct PromotionOptions {
  int year = 0;      // the school year that ends (2026: promoted on 10 August 2026)
  org::Scope where;  // the node (Everything) or a subtree
  bool dry_run = false;
  int64_t batch_ids = 50000;  // id range per transaction
};

struct PromotionTally {
  int64_t promoted = 0;
  int64_t graduated = 0;
  int64_t held = 0;  // final grade with an open case: not graduated this run
};

struct PromotionReport {
  std::map<std::string, PromotionTally> schools;  // by school code
  PromotionTally total;
  bool dry_run = false;
};

/// Runs (or, dry, counts) the promotion; `progress` is told after each batch (ids done, of).
Result<PromotionReport> Promote(db::Database& db, const Clock& clock,
                                const PromotionOptions& options,
                                const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace nemis::registry
