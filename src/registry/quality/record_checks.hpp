// The problem-record rules about one student, decided from its clear columns (and the
// id_check the store computed when it sealed the record):
// - id_mismatch: the ID number fails its check, or its birth date or gender is not the
//   record's;
// - population_check: the population department answered for the record's resident ID
//   查无此人 (unknown) or 姓名不符 (name_mismatch) (population_verdicts.hpp);
// - temp_number_overdue: a J or L number held more than `temp_number_max_days` days since
//   the record was created (exactly that many is not yet overdue);
// - no_guardian: a school-age record (学前 to 高中, 中职) without any guardian;
//   guardian_id_missing: a student without a document of its own and without a
//   guardian's ID number (the registry requires one);
// - age_off_grade: in school (在读, 复学) in 学前 to 高中, and the age on 31 August of the
//   current school year more than `age_tolerance_years` from the grade's norm (the
//   compulsory entry age: 6 on 31 August in grade 1, so the norm is grade + 5; 小班 3).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "registry/quality/finding.hpp"

namespace nemis::registry::quality {

struct CheckRules {
  Date today;  // in China
  int temp_number_max_days = 365;
  int age_tolerance_years = 2;
};

/// One student's columns, as the scan reads them.
struct RecordFacts {
  int64_t id = 0, school_id = 0;
  char number_kind = 'G';
  std::string_view created_at;  // UTC instant, ISO 8601
  std::optional<int> id_check;  // student.id_check; absent until backfilled
  bool has_id = false, has_guardian = false, has_guardian_id = false;
  std::string_view stage, status;
  int grade = 0;
  int32_t birth = 0;                                         // YYYYMMDD
  std::string_view population_check, population_checked_on;  // empty until a verdict
};

/// Appends the findings about the student to `out`.
void CheckRecord(const RecordFacts& f, const CheckRules& rules, std::vector<Finding>& out);

/// The age on 31 August of the school year `today` lies in (it starts on 1 September).
int AgeOnSchoolYearCutoff(int32_t birth, const Date& today);

}  // namespace nemis::registry::quality
