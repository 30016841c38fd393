#include "api/student_json.hpp"

namespace nemis::api {
namespace {

// Fields that only a roster load uses to register schools: not part of a student.
bool IsSchoolRegistrationField(registry::StudentField f) {
  using F = registry::StudentField;
  return f == F::kSchoolName || f == F::kSchoolType || f == F::kSchoolDivision;
}

// Fields a client reads but never sets: accepted and ignored, so that a record read
// can be sent back with changes.
bool IsReadOnlyField(const std::string& key) {
  return key == "numberKind" || key == "status" || key == "version" || key == "createdAt" ||
         key == "updatedAt";
}

}  // namespace

void WriteStudent(JsonWriter& w, const registry::Student& s,
                  const std::function<void(JsonWriter&)>& more) {
  const auto& e = s.enrolment;
  w.BeginObject()
      .Field("studentNumber", s.student_number)
      .Field("numberKind", std::string_view(&s.number_kind, 1))
      .Field("name", s.name)
      .Field("gender", s.gender)
      .Field("birthDate", s.birth_date)
      .Field("ethnicity", s.ethnicity)
      .Field("nationality", s.nationality)
      .Field("idType", s.id_type)
      .Field("idNumber", s.id_number)
      .Field("overseas", s.overseas)
      .Field("hukouType", s.hukou_type)
      .Field("schoolCode", e.school_code)
      .Field("stage", e.stage)
      .Field("grade", e.grade)
      .Field("classNo", e.class_no)
      .Field("entryDate", e.entry_date)
      .Field("status", e.status)
      .Field("category", s.category)
      .Field("boarding", s.boarding)
      .Field("entryMethod", s.entry_method)
      .Field("leftBehind", s.left_behind)
      .Field("migrantChild", s.migrant_child)
      .Field("orphan", s.orphan)
      .Field("martyrChild", s.martyr_child)
      .Field("disabilityType", s.disability_type)
      .Field("inRegularClass", s.in_regular_class)
      .Field("address", s.address)
      .Field("phone", s.phone)
      .Field("guardian1Name", s.guardian1.name)
      .Field("guardian1Relation", s.guardian1.relation)
      .Field("guardian1IdNumber", s.guardian1.id_number)
      .Field("guardian1Phone", s.guardian1.phone)
      .Field("guardian2Name", s.guardian2.name)
      .Field("guardian2Relation", s.guardian2.relation)
      .Field("guardian2IdNumber", s.guardian2.id_number)
      .Field("guardian2Phone", s.guardian2.phone)
      .Field("version", s.version)
      .Field("createdAt", s.created_at)
      .Field("updatedAt", s.updated_at);
  if (more) more(w);
  w.EndObject();
}

Status StudentInputFromJson(const Json& body, std::vector<std::string>& storage,
                            registry::StudentInput& input) {
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

void WarnIfUnaudited(http::Response& r, std::span<const registry::Student> shown) {
  for (const auto& s : shown) {
    if (s.personal_view == registry::PersonalView::kMaskedUnaudited) {
      r.SetHeader("Warning", "199 - \"audit log unavailable: personal data masked\"");
      return;
    }
  }
}

}  // namespace nemis::api
