#include "api/student_json.hpp"

namespace nemis::api {
namespace {

Json Opt(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

// Fields that only a roster load uses to register schools: not part of a student.
bool IsSchoolRegistrationField(registry::StudentField f) {
  using F = registry::StudentField;
  return f == F::kSchoolName || f == F::kSchoolType || f == F::kSchoolDivision;
}

// Fields a client reads but never sets: accepted and ignored, so that a record read
// can be sent back with changes.
bool IsReadOnlyField(const std::string& key) {
  return key == "numberKind" || key == "status" || key == "version" || key == "createdAt" || key == "updatedAt";
}

}  // namespace

Json StudentJson(const registry::Student& s) {
  const auto& e = s.enrolment;
  return {{"studentNumber", s.student_number},
          {"numberKind", std::string(1, s.number_kind)},
          {"name", s.name},
          {"gender", s.gender},
          {"birthDate", s.birth_date},
          {"ethnicity", s.ethnicity},
          {"nationality", s.nationality},
          {"idType", Opt(s.id_type)},
          {"idNumber", Opt(s.id_number)},
          {"overseas", Opt(s.overseas)},
          {"hukouType", Opt(s.hukou_type)},
          {"schoolCode", e.school_code},
          {"stage", e.stage},
          {"grade", e.grade},
          {"classNo", e.class_no},
          {"entryDate", e.entry_date},
          {"status", e.status},
          {"category", Opt(s.category)},
          {"boarding", s.boarding ? Json(*s.boarding) : Json(nullptr)},
          {"entryMethod", Opt(s.entry_method)},
          {"leftBehind", s.left_behind},
          {"migrantChild", s.migrant_child},
          {"orphan", s.orphan},
          {"martyrChild", s.martyr_child},
          {"disabilityType", Opt(s.disability_type)},
          {"inRegularClass", s.in_regular_class},
          {"address", Opt(s.address)},
          {"phone", Opt(s.phone)},
          {"guardian1Name", Opt(s.guardian1.name)},
          {"guardian1Relation", Opt(s.guardian1.relation)},
          {"guardian1IdNumber", Opt(s.guardian1.id_number)},
          {"guardian1Phone", Opt(s.guardian1.phone)},
          {"guardian2Name", Opt(s.guardian2.name)},
          {"guardian2Relation", Opt(s.guardian2.relation)},
          {"guardian2IdNumber", Opt(s.guardian2.id_number)},
          {"guardian2Phone", Opt(s.guardian2.phone)},
          {"version", s.version},
          {"createdAt", s.created_at},
          {"updatedAt", s.updated_at}};
}

Status StudentInputFromJson(const Json& body, std::vector<std::string>& storage, registry::StudentInput& input) {
  std::vector<FieldError> errors;
  storage.clear();
  storage.reserve(body.size());
  for (const auto& [key, value] : body.items()) {
    if (IsReadOnlyField(key)) continue;
    const registry::StudentFieldSpec* spec = nullptr;
    for (const auto& s : registry::kStudentFields)
      if (s.english == key && !IsSchoolRegistrationField(s.field)) spec = &s;
    if (!spec) {
      errors.push_back({key, "unknown_field", "未知字段 " + key});
      continue;
    }
    if (value.is_object() || value.is_array()) {
      errors.push_back({key, "bad_type", key + " 应为字符串或数字"});
      continue;
    }
    storage.push_back(JsonText(value).value_or(""));
    input.Set(spec->field, storage.back());
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return {};
}

}  // namespace nemis::api
