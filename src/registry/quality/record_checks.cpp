#include "registry/quality/record_checks.hpp"

#include <cstdlib>
#include <string>

#include "codes/stage.hpp"
#include "registry/personal_record.hpp"

namespace nemis::registry::quality {
namespace {

using codes::Stage;

Finding Single(ProblemKind kind, const RecordFacts& f, std::string details = "{}") {
  Finding out;
  out.kind = kind;
  out.student_id = f.id;
  out.school_id = f.school_id;
  out.details = std::move(details);
  return out;
}

// Stages whose students are minors in the registry's sense (guardians required).
bool SchoolAge(std::optional<Stage> s) { return s && *s != Stage::kHigher; }
// Stages with an age norm per grade on the global scale.
bool GradeHasAgeNorm(std::optional<Stage> s) {
  return s && (*s == Stage::kPreschool || *s == Stage::kPrimary || *s == Stage::kJunior ||
               *s == Stage::kSenior);
}
bool InSchool(std::string_view status) { return status == "01" || status == "05"; }

std::string Flag(std::string_view name, bool on) {
  return "\"" + std::string(name) + "\":" + (on ? "true" : "false");
}

void CheckId(const RecordFacts& f, std::vector<Finding>& out) {
  if (!f.id_check || *f.id_check == 0) return;
  int c = *f.id_check;
  out.push_back(Single(ProblemKind::kIdMismatch, f,
                       "{" + Flag("invalid", c & kIdInvalid) + "," +
                           Flag("birthDiffers", c & kIdBirthDiffers) + "," +
                           Flag("genderDiffers", c & kIdGenderDiffers) + "}"));
}

void CheckPopulation(const RecordFacts& f, std::vector<Finding>& out) {
  if (!f.has_id || (f.population_check != "unknown" && f.population_check != "name_mismatch"))
    return;
  out.push_back(Single(ProblemKind::kPopulationCheck, f,
                       R"({"verdict":")" + std::string(f.population_check) + R"(","checkedOn":")" +
                           std::string(f.population_checked_on) + "\"}"));
}

void CheckTempNumber(const RecordFacts& f, const CheckRules& rules, std::vector<Finding>& out) {
  if (f.number_kind != 'J' && f.number_kind != 'L') return;
  auto created = ParseIsoDate(f.created_at.substr(0, 10));
  if (!created) return;
  int64_t days = rules.today.DaysSinceEpoch() - created->DaysSinceEpoch();
  if (days <= rules.temp_number_max_days) return;
  out.push_back(Single(ProblemKind::kTempNumberOverdue, f,
                       std::string(R"({"numberKind":")") + f.number_kind + R"(","days":)" +
                           std::to_string(days) + "}"));
}

void CheckGuardians(const RecordFacts& f, std::optional<Stage> stage, std::vector<Finding>& out) {
  if (!SchoolAge(stage)) return;
  if (!f.has_guardian)
    out.push_back(Single(ProblemKind::kNoGuardian, f));
  else if (!f.has_id && !f.has_guardian_id)
    out.push_back(Single(ProblemKind::kGuardianIdMissing, f));
}

void CheckAge(const RecordFacts& f, std::optional<Stage> stage, const CheckRules& rules,
              std::vector<Finding>& out) {
  if (!GradeHasAgeNorm(stage) || !InSchool(f.status) || f.birth == 0) return;
  int age = AgeOnSchoolYearCutoff(f.birth, rules.today);
  int norm = f.grade + 5;
  if (std::abs(age - norm) <= rules.age_tolerance_years) return;
  out.push_back(Single(ProblemKind::kAgeOffGrade, f,
                       R"({"grade":)" + std::to_string(f.grade) + R"(,"age":)" +
                           std::to_string(age) + R"(,"norm":)" + std::to_string(norm) + "}"));
}

}  // namespace

int AgeOnSchoolYearCutoff(int32_t birth, const Date& today) {
  int year = today.month >= 9 ? today.year : today.year - 1;
  int by = birth / 10000, bm = birth / 100 % 100;
  // Born after August: not yet had the birthday on 31 August.
  return year - by - (bm >= 9 ? 1 : 0);
}

void CheckRecord(const RecordFacts& f, const CheckRules& rules, std::vector<Finding>& out) {
  std::optional<Stage> stage = codes::ParseStage(f.stage);
  CheckId(f, out);
  CheckPopulation(f, out);
  CheckTempNumber(f, rules, out);
  CheckGuardians(f, stage, out);
  CheckAge(f, stage, rules, out);
}

}  // namespace nemis::registry::quality
