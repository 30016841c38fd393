// 小升初, 初升高 (and 幼升小): a school of the next stage enrols graduates of the stage below
// in bulk, from the list of student numbers and names the families give. A student keeps
// its number for life (one person, one number): the record moves to the new school, stage,
// grade and class, in school again (在读), with a history row (异动 99 其他, 升学) and the
// change log. A graduate is found only by its exact number together with its name, as in
// a transfer lookup, so that the list cannot be used to browse other schools. The whole
// list is enrolled in one transaction or not at all: every refused row is named.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "workflow/approval_case.hpp"

namespace nemis::registry {

/// Rows one request may hold: a large school's new intake.
inline constexpr size_t kMaxNextStageRows = 2000;

struct NextStageEntry {
  std::string student_number;
  std::string name;      // as the family gives it; must match exactly
  std::string class_no;  // the class in the new school
};

/// What the receiving school gives (POST /api/v1/next-stage-enrolments).
struct NextStageRequest {
  std::string to_school;
  std::string grade;  // the first grade of the next stage ("7", "七年级", "初一", "高一")
  std::vector<NextStageEntry> students;
};

struct NextStageOutcome {
  int64_t enrolled = 0;
};

/// Enrols every row or none. Errors: 403 without student.create at the school;
/// validation_failed naming toSchool, grade or students[i].studentNumber / .name / .class
/// (codes: required, unknown_school, school_closed, too_many, bad_grade, stage_not_offered,
/// not_found — no such number with that name —, not_graduated, not_next_stage, duplicate).
Result<NextStageOutcome> EnrolNextStage(db::Database& db, const crypto::FieldCipher& cipher,
                                        const Clock& clock, const workflow::Actor& actor,
                                        const NextStageRequest& request);

}  // namespace nemis::registry
