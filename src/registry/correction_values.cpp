#include "registry/correction_values.hpp"

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "registry/personal_mask.hpp"
#include "registry/student_input.hpp"
#include "registry/transfer_lookup.hpp"

namespace nemis::registry {
namespace {

using Json = nlohmann::json;
using F = StudentField;

Json OptionalJson(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }

std::optional<std::string> OptionalText(const Json& v) {
  if (!v.is_string()) return std::nullopt;
  return v.get<std::string>();
}

std::optional<F> CorrectableByName(std::string_view name) {
  for (F f : kCorrectableFields)
    if (FieldName(f) == name) return f;
  return std::nullopt;
}

Error BadValues() {
  return Error{ErrorKind::kInternal, "bad_correction_record", "学籍更正记录的密文格式不正确", {}};
}

}  // namespace

std::optional<std::string> CorrectableValue(const Student& s, StudentField field) {
  switch (field) {
    case F::kName:
      return s.name;
    case F::kGender:
      return std::to_string(s.gender);
    case F::kBirthDate:
      return s.birth_date;
    case F::kIdType:
      return s.id_type;
    case F::kIdNumber:
      return s.id_number;
    default:
      return std::nullopt;
  }
}

void SetCorrectableValue(Student& s, StudentField field, const std::optional<std::string>& value) {
  switch (field) {
    case F::kName:
      s.name = value.value_or("");
      break;
    case F::kGender:
      s.gender = value && value->size() == 1 ? (*value)[0] - '0' : 0;
      break;
    case F::kBirthDate:
      s.birth_date = value.value_or("");
      break;
    case F::kIdType:
      s.id_type = value;
      break;
    case F::kIdNumber:
      s.id_number = value;
      break;
    default:
      break;
  }
}

CorrectedValues DiffCorrectable(const Student& before, const Student& after) {
  CorrectedValues out;
  for (F f : kCorrectableFields) {
    auto was = CorrectableValue(before, f), is = CorrectableValue(after, f);
    if (was != is) out.push_back({f, std::move(was), std::move(is)});
  }
  return out;
}

void ApplyCorrected(Student& s, const CorrectedValues& values) {
  for (const CorrectedValue& v : values) SetCorrectableValue(s, v.field, v.after);
}

std::string SealCorrected(const crypto::FieldCipher& cipher, const CorrectedValues& values) {
  Json items = Json::array();
  for (const CorrectedValue& v : values)
    items.push_back({{"field", FieldName(v.field)},
                     {"before", OptionalJson(v.before)},
                     {"after", OptionalJson(v.after)}});
  return crypto::Base64UrlEncode(cipher.Seal(items.dump()));
}

Result<CorrectedValues> OpenCorrected(const crypto::FieldCipher& cipher, std::string_view stored) {
  NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::Base64UrlDecode(stored));
  NEMIS_ASSIGN_OR_RETURN(std::string plain, cipher.Open(sealed));
  const Json items = Json::parse(plain, nullptr, false);
  if (!items.is_array()) return BadValues();
  CorrectedValues out;
  for (const Json& item : items) {
    if (!item.is_object() || !item.contains("field") || !item["field"].is_string())
      return BadValues();
    auto field = CorrectableByName(item["field"].get<std::string>());
    if (!field) return BadValues();
    out.push_back({*field, OptionalText(item.value("before", Json())),
                   OptionalText(item.value("after", Json()))});
  }
  return out;
}

CorrectedValues MaskCorrected(CorrectedValues values) {
  for (CorrectedValue& v : values) {
    for (std::optional<std::string>* value : {&v.before, &v.after}) {
      if (!*value) continue;
      if (v.field == F::kName) *value = MaskName(**value);
      if (v.field == F::kIdNumber) *value = MaskDocumentNumber(**value);
    }
  }
  return values;
}

std::string CorrectedFieldList(const CorrectedValues& values) {
  std::string out;
  for (const CorrectedValue& v : values) {
    if (!out.empty()) out += ",";
    out += FieldName(v.field);
  }
  return out;
}

}  // namespace nemis::registry
