#include "org/org_validation.hpp"

#include "base/text.hpp"
#include "codes/code_tables.hpp"
#include "codes/division.hpp"
#include "codes/school_code.hpp"
#include "codes/stage.hpp"

namespace nemis::org {
namespace {

using Fields = std::vector<FieldError>;

constexpr size_t kMaxNameChars = 100;
constexpr size_t kMaxAddressChars = 200;

void CheckOptionalCode(const std::optional<std::string>& value, const codes::CodeTable& table,
                       const char* field, Fields& errors) {
  if (value && !value->empty() && !table.Find(*value))
    errors.push_back(
        {field, "unknown_code", "“" + *value + "”不是" + std::string(table.name()) + "中的代码"});
}

void CheckName(const std::optional<std::string>& name, bool required, Fields& errors) {
  if (!name) {
    if (required) errors.push_back({"name", "required", "名称不能为空"});
    return;
  }
  if (name->empty()) return errors.push_back({"name", "required", "名称不能为空"});
  if (!IsCleanText(*name) || Utf8Length(*name) > kMaxNameChars)
    errors.push_back({"name", "bad_name", "名称须为不超过 100 个字符的文本，且不含控制字符"});
}

void CheckCoordinates(const InstitutionInput& in, Fields& errors) {
  if (in.longitude.has_value() != in.latitude.has_value()) {
    errors.push_back({in.longitude ? "latitude" : "longitude", "required", "经度和纬度须同时提供"});
    return;
  }
  if (in.longitude && (*in.longitude < 73.0 || *in.longitude > 136.0))
    errors.push_back({"longitude", "out_of_range", "经度须在中国境内（东经 73° 至 136°）"});
  if (in.latitude && (*in.latitude < 3.0 || *in.latitude > 54.0))
    errors.push_back({"latitude", "out_of_range", "纬度须在中国境内（北纬 3° 至 54°）"});
}

void CheckSchoolAttributes(const InstitutionInput& in, const std::string& category,
                           Fields& errors) {
  if (in.category && *in.category != category)
    errors.push_back(
        {"category", "category_mismatch", "学校类别须与学校标识码前两位（" + category + "）一致"});
  if (!in.school_type || in.school_type->empty()) {
    errors.push_back({"schoolType", "required", "学校须填写办学类型"});
  } else if (!codes::SchoolTypeCodes().Find(*in.school_type)) {
    errors.push_back({"schoolType", "unknown_code", "“" + *in.school_type + "”不是办学类型代码"});
  } else if (!codes::SchoolTypeMatchesCategory(*in.school_type, category)) {
    errors.push_back({"schoolType", "type_mismatch", "办学类型与学校类别（" + category + "）不符"});
  }
}

// Which parents a school may hang under: a county; a city without counties
// (东莞, 中山); the province itself for higher education.
bool SchoolParentAllowed(const Institution& parent, const std::string& category) {
  bool higher = category == "41" || category == "42";
  if (higher || parent.level == OrgLevel::kProvince)
    return higher && parent.level == OrgLevel::kProvince;
  if (parent.level == OrgLevel::kCounty) return true;
  return parent.level == OrgLevel::kCity && codes::ChildDivisions(parent.code).empty();
}

void CheckSchoolCode(const std::string& code, const Institution& parent, Fields& errors) {
  auto problem = codes::CheckSchoolCode(code);
  if (problem != codes::SchoolCodeProblem::kNone) {
    errors.push_back({"code", std::string(codes::SchoolCodeProblemCode(problem)),
                      std::string(codes::SchoolCodeProblemMessage(problem))});
    return;
  }
  if (parent.province_code && codes::SchoolCodeProvince(code) != *parent.province_code)
    errors.push_back({"code", "province_mismatch", "学校标识码第 3-4 位须为所属省份代码"});
  if (!SchoolParentAllowed(parent, std::string(codes::SchoolCodeCategory(code))))
    errors.push_back({"parentCode", "bad_parent",
                      "学校须隶属于区县（无区县的地级市可直属该市，高等学校直属省级）"});
}

bool DivisionParentAllowed(const std::string& code, const Institution& parent, OrgLevel level) {
  if (level == OrgLevel::kProvince) return parent.level == OrgLevel::kNational;
  if (codes::ProvinceOf(code) != parent.province_code.value_or("")) return false;
  if (level == OrgLevel::kCity) return parent.level == OrgLevel::kProvince;
  // A county sits under its city, or directly under the province (429004 仙桃市).
  if (parent.level == OrgLevel::kCity) return codes::PrefectureOf(code) == parent.code;
  return parent.level == OrgLevel::kProvince;
}

void CheckDivisionCode(const std::string& code, const Institution& parent, OrgLevel level,
                       Fields& errors) {
  if (!codes::IsKnownDivision(code)) {
    errors.push_back({"code", "unknown_division", "“" + code + "”不是 GB/T 2260 行政区划代码"});
    return;
  }
  if (!DivisionParentAllowed(code, parent, level))
    errors.push_back({"parentCode", "bad_parent", "上级机构与行政区划代码的层级不符"});
}

// Ancestor codes of a new institution: the parent's, plus its own at its level.
void SetAncestors(Institution& inst, const Institution& parent) {
  inst.province_code = parent.province_code;
  inst.city_code = parent.city_code;
  inst.county_code = parent.county_code;
  if (inst.level == OrgLevel::kProvince) inst.province_code = inst.code;
  if (inst.level == OrgLevel::kCity) inst.city_code = inst.code;
  if (inst.level == OrgLevel::kCounty) inst.county_code = inst.code;
}

// Category and 办学类型 describe schools; a division has neither.
void CheckNoSchoolAttributes(const InstitutionInput& in, Fields& errors) {
  if (in.category) errors.push_back({"category", "not_applicable", "行政区划机构没有学校类别"});
  if (in.school_type)
    errors.push_back({"schoolType", "not_applicable", "行政区划机构没有办学类型"});
}

void CopyChangeable(const InstitutionInput& in, Institution& inst) {
  if (in.name) inst.name = *in.name;
  if (in.school_type) inst.school_type = *in.school_type;
  if (in.sponsor) inst.sponsor = *in.sponsor;
  if (in.urban_rural) inst.urban_rural = *in.urban_rural;
  if (in.address) inst.address = *in.address;
  if (in.longitude) inst.longitude = in.longitude;
  if (in.latitude) inst.latitude = in.latitude;
  if (in.open) inst.open = *in.open;
}

void CheckCommon(const InstitutionInput& in, bool creating, Fields& errors) {
  CheckName(in.name, creating, errors);
  CheckOptionalCode(in.sponsor, codes::SponsorCodes(), "sponsor", errors);
  CheckOptionalCode(in.urban_rural, codes::UrbanRuralCodes(), "urbanRural", errors);
  if (in.address && (!IsCleanText(*in.address) || Utf8Length(*in.address) > kMaxAddressChars))
    errors.push_back({"address", "bad_address", "地址须为不超过 200 个字符的文本"});
  CheckCoordinates(in, errors);
}

}  // namespace

std::optional<OrgLevel> LevelOfCode(std::string_view code) {
  if (code.size() == 10) return OrgLevel::kSchool;
  if (code == kNationalCode) return OrgLevel::kNational;
  auto level = codes::DivisionLevelOf(code);
  if (!level) return std::nullopt;
  if (*level == codes::DivisionLevel::kProvince) return OrgLevel::kProvince;
  if (*level == codes::DivisionLevel::kPrefecture) return OrgLevel::kCity;
  return OrgLevel::kCounty;
}

Result<Institution> ValidateNewInstitution(const InstitutionInput& in,
                                           const std::optional<Institution>& parent) {
  Fields errors;
  CheckCommon(in, true, errors);
  if (!in.code || in.code->empty()) errors.push_back({"code", "required", "机构代码不能为空"});
  if (!in.parent_code || in.parent_code->empty())
    errors.push_back({"parentCode", "required", "上级机构代码不能为空"});
  else if (!parent)
    errors.push_back({"parentCode", "not_found", "上级机构 " + *in.parent_code + " 不存在"});
  else if (!parent->open)
    errors.push_back({"parentCode", "closed", "上级机构已撤销，不能新增下级"});
  if (!errors.empty() || !in.code || !parent) return Error::Invalid(std::move(errors));

  Institution inst;
  inst.code = *in.code;
  inst.parent_code = parent->code;
  auto level = LevelOfCode(inst.code);
  if (!level || *level == OrgLevel::kNational)
    return Error::Invalid(
        {{"code", "bad_code", "机构代码须为 6 位行政区划代码或 10 位学校标识码"}});
  inst.level = *level;
  if (inst.level == OrgLevel::kSchool) {
    CheckSchoolCode(inst.code, *parent, errors);
    if (errors.empty()) {
      inst.category = std::string(codes::SchoolCodeCategory(inst.code));
      CheckSchoolAttributes(in, *inst.category, errors);
    }
  } else {
    CheckDivisionCode(inst.code, *parent, inst.level, errors);
    CheckNoSchoolAttributes(in, errors);
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  CopyChangeable(in, inst);
  SetAncestors(inst, *parent);
  return inst;
}

Result<Institution> ValidateInstitutionChange(const InstitutionInput& in, Institution current) {
  Fields errors;
  if (in.code && *in.code != current.code)
    errors.push_back({"code", "immutable", "机构代码不可修改（学校类别变更须使用新的标识码）"});
  if (in.parent_code && *in.parent_code != current.parent_code)
    errors.push_back({"parentCode", "immutable", "上级机构不可在此修改"});
  CheckCommon(in, false, errors);
  if (current.level != OrgLevel::kSchool)
    CheckNoSchoolAttributes(in, errors);
  else if (in.school_type || in.category) {
    InstitutionInput type_only;
    type_only.category = in.category;
    type_only.school_type = in.school_type ? in.school_type : current.school_type;
    CheckSchoolAttributes(type_only, current.category.value_or(""), errors);
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  CopyChangeable(in, current);
  return current;
}

}  // namespace nemis::org
