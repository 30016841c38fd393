// The annual promotion (升级) and graduation (毕业) of a node or a subtree, as the registry
// rules have it at 24:00 on 10 August: every student in school (在读, 复学) not in a final
// grade moves up one grade; a student in the final grade of its stage graduates (status 07,
// with its history row) unless it has an open case or an open problem record (问题学籍), which
// holds it back for a later run. Moving up is an event of the school, not a write of each
// student: each school reached counts one more promotion and the year (current_grade.hpp), so
// a node of ten million students is promoted by writing its schools. The graduates (normally
// graduated by their schools in July already, registry/graduation.hpp) are written one by one,
// in id ranges, before any school is promoted. Idempotent and resumable: a school promoted in
// the year is not promoted again and its students are not graduated by the run; every
// transaction is whole, so a run killed anywhere and run again finishes the job and changes
// nobody twice. A dry run counts what would change. Every change is in the change log (the
// students graduated; the schools promoted).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/registry_calendar.hpp"

namespace nemis::registry {

/// Which final grades graduate: every stage's (the promotion), or, for a school's own
/// graduation (registry/graduation.hpp), 高中 alone (the city approves it) or all but 高中.
enum class GraduatingStages { kAll, kSeniorOnly, kAllButSenior };

struct PromotionOptions {
  int year = 0;      // the school year that ends (2026: promoted on 10 August 2026)
  org::Scope where;  // the node (Everything) or a subtree
  GraduatingStages stages = GraduatingStages::kAll;
  bool dry_run = false;
  int64_t batch_ids = 50000;                                 // id range per transaction
  RegistryCalendar calendar = RegistryCalendar::National();  // not before its promotion day
  const std::atomic<bool>* stop = nullptr;  // set: stop after the current batch (resumable)
};

struct PromotionTally {
  int64_t promoted = 0;
  int64_t graduated = 0;
  int64_t held = 0;  // final grade with an open case or problem record: not graduated
};

struct PromotionReport {
  std::map<std::string, PromotionTally> schools;  // by school code
  PromotionTally total;
  bool dry_run = false;
  // Wall-clock seconds of a run's two phases: the graduates written, then the schools
  // promoted (for the operator and the benchmark; not part of the API's answer).
  double graduation_seconds = 0, promotion_seconds = 0;
};

/// The checks a run makes before it starts: the year (validation_failed) and, unless dry,
/// the promotion day (422 promotion_too_early).
Status CheckPromotion(const Clock& clock, const PromotionOptions& options);

/// Runs (or, dry, counts) the promotion; `progress` is told after each batch (done, of: the
/// student ids gone through for the graduates, then the schools promoted).
/// 422 promotion_too_early before 24:00 of the year's promotion day (Asia/Shanghai); a dry
/// run may be made at any time.
Result<PromotionReport> Promote(db::Database& db, const Clock& clock,
                                const PromotionOptions& options,
                                const std::function<void(int64_t, int64_t)>& progress = {});

/// The graduation alone, inside the caller's transaction `c`: the final grades of
/// `options.stages` within `options.where` that nothing holds back graduate (history row
/// with `approval_ref`, status 07, the year, change log); dry, only counted. The tally is
/// by school (promoted stays 0); no calendar check: the caller decides when.
Result<PromotionReport> GraduateIn(db::Connection& c, const Clock& clock,
                                   const PromotionOptions& options, std::string_view approval_ref);

}  // namespace nemis::registry
