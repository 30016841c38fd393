#include "registry/student_texts.hpp"

namespace nemis::registry::internal {
namespace {

std::string Opt(const std::optional<std::string>& v) { return v.value_or(""); }

}  // namespace

StudentTexts TextsOf(const Student& s) {
  using F = StudentField;
  StudentTexts t;
  auto set = [&](F f, std::string v) { t[static_cast<size_t>(f)] = std::move(v); };
  set(F::kStudentNumber, s.student_number);
  set(F::kName, s.name);
  set(F::kGender, std::to_string(s.gender));
  set(F::kBirthDate, s.birth_date);
  set(F::kEthnicity, s.ethnicity);
  set(F::kNationality, s.nationality);
  set(F::kIdType, Opt(s.id_type));
  set(F::kIdNumber, Opt(s.id_number));
  set(F::kOverseas, Opt(s.overseas));
  set(F::kHukouType, Opt(s.hukou_type));
  set(F::kSchoolCode, s.enrolment.school_code);
  set(F::kStage, s.enrolment.stage);
  set(F::kGrade, std::to_string(s.enrolment.grade));
  set(F::kClassNo, s.enrolment.class_no);
  set(F::kEntryDate, s.enrolment.entry_date);
  set(F::kCategory, Opt(s.category));
  set(F::kBoarding, s.boarding ? std::to_string(*s.boarding) : "");
  set(F::kEntryMethod, Opt(s.entry_method));
  set(F::kLeftBehind, std::to_string(s.left_behind));
  set(F::kMigrantChild, std::to_string(s.migrant_child));
  set(F::kOrphan, std::to_string(s.orphan));
  set(F::kMartyrChild, std::to_string(s.martyr_child));
  set(F::kDisabilityType, Opt(s.disability_type));
  set(F::kInRegularClass, std::to_string(s.in_regular_class));
  set(F::kAddress, Opt(s.address));
  set(F::kPhone, Opt(s.phone));
  set(F::kGuardian1Name, Opt(s.guardian1.name));
  set(F::kGuardian1Relation, Opt(s.guardian1.relation));
  set(F::kGuardian1IdNumber, Opt(s.guardian1.id_number));
  set(F::kGuardian1Phone, Opt(s.guardian1.phone));
  set(F::kGuardian2Name, Opt(s.guardian2.name));
  set(F::kGuardian2Relation, Opt(s.guardian2.relation));
  set(F::kGuardian2IdNumber, Opt(s.guardian2.id_number));
  set(F::kGuardian2Phone, Opt(s.guardian2.phone));
  return t;
}

StudentInput InputOf(const StudentTexts& texts) {
  StudentInput in;
  for (size_t i = 0; i < kStudentFieldCount; ++i) {
    in.values[i] = texts[i];
    in.present[i] = true;
  }
  return in;
}

}  // namespace nemis::registry::internal
