// Validation of the person elements of a student record: name, gender, dates,
// ethnicity, nationality, identity document and student number.
#include "base/text.hpp"
#include "codes/id_number.hpp"
#include "registry/field_parsing.hpp"
#include "registry/student_validation.hpp"

namespace nemis::registry::internal {
namespace {

using F = StudentField;
constexpr size_t kMaxNameChars = 36;  // JY/T 1002
constexpr size_t kMaxDocumentChars = 32;
constexpr size_t kMaxAddressChars = 200;
constexpr std::string_view kMiddleDot = "\xC2\xB7";  // U+00B7, minority names: 阿卜杜拉·买买提

std::string_view Trimmed(const StudentInput& in, F f) { return TrimSpaces(in.Get(f)); }

// Letters of any script, spaces between Latin names, the middle dot, '.' and '-'.
bool IsPlausibleName(std::string_view name) {
  if (!IsCleanText(name) || name.starts_with(kMiddleDot) || name.ends_with(kMiddleDot))
    return false;
  for (unsigned char c : name) {
    if (c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' || c == '.' ||
        c == '-')
      continue;
    return false;
  }
  return true;
}

// Passports, 回乡证 and the like: letters, digits, parentheses and hyphens only.
bool IsDocumentNumber(std::string_view number) {
  for (char c : number) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '(' || c == ')' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void CheckName(const StudentInput& in, Student& s, Fields& errors) {
  std::string_view name = Trimmed(in, F::kName);
  if (name.empty()) return AddError(errors, F::kName, "required", "姓名不能为空");
  if (!IsPlausibleName(name))
    return AddError(errors, F::kName, "bad_name", "姓名含有数字、符号或控制字符");
  if (Utf8Length(name) > kMaxNameChars)
    return AddError(errors, F::kName, "too_long", "姓名不能超过 36 个字");
  s.name = std::string(name);
}

void CheckGender(const StudentInput& in, Student& s, Fields& errors) {
  std::string_view v = Trimmed(in, F::kGender);
  if (v.empty()) return AddError(errors, F::kGender, "required", "性别不能为空");
  auto code = ParseCoded(v, codes::GenderCodes());
  if (!code || (*code != "1" && *code != "2"))
    return AddError(errors, F::kGender, "unknown_code", "性别须为 1（男）或 2（女）");
  s.gender = (*code)[0] - '0';
}

std::optional<Date> CheckBirthDate(const StudentInput& in, const ValidationContext& ctx, Student& s,
                                   Fields& errors) {
  std::string_view v = Trimmed(in, F::kBirthDate);
  if (v.empty())
    return AddError(errors, F::kBirthDate, "required", "出生日期不能为空"), std::nullopt;
  auto d = ParseDateText(v);
  if (!d)
    return AddError(errors, F::kBirthDate, "bad_date",
                    "出生日期“" + std::string(v) + "”不是有效日期（应为 YYYY-MM-DD）"),
           std::nullopt;
  if (*d > ctx.today)
    return AddError(errors, F::kBirthDate, "future_date", "出生日期不能晚于今天"), std::nullopt;
  if (d->year < 1900)
    return AddError(errors, F::kBirthDate, "too_early", "出生日期早于 1900 年"), std::nullopt;
  s.birth_date = d->ToIso();
  return d;
}

void CheckCoded(const StudentInput& in, F field, const codes::CodeTable& table,
                std::optional<std::string>& out, Fields& errors) {
  std::string_view v = Trimmed(in, field);
  if (v.empty()) return;
  auto code = ParseCoded(v, table);
  if (!code)
    return AddError(errors, field, "unknown_code",
                    "“" + std::string(v) + "”不是" + std::string(table.name()) + "中的代码或名称");
  out = std::string(*code);
}

void CheckCitizenId(std::string_view raw, const ValidationContext& ctx, Student& s,
                    const std::optional<Date>& birth, Fields& errors) {
  std::string id = codes::NormalizeIdNumber(raw);
  codes::IdFacts facts;
  auto problem = codes::CheckIdNumber(id, ctx.today, s.gender, &facts);
  if (problem != codes::IdProblem::kNone)
    return AddError(errors, F::kIdNumber, codes::IdProblemCode(problem),
                    std::string(codes::IdProblemMessage(problem)));
  if (birth && facts.birth_date != *birth)
    AddError(errors, F::kBirthDate, "id_mismatch", "出生日期与身份证件号中的出生日期不一致");
  s.id_number = std::move(id);
}

void CheckIdentity(const StudentInput& in, const ValidationContext& ctx, Student& s,
                   const std::optional<Date>& birth, Fields& errors) {
  std::string_view number = Trimmed(in, F::kIdNumber);
  if (Trimmed(in, F::kIdType).empty()) {
    if (number.empty()) return;  // no document: the student gets a J number
    s.id_type = "1";             // a number without a type is a 居民身份证号
  } else {
    CheckCoded(in, F::kIdType, codes::IdTypeCodes(), s.id_type, errors);
    if (!s.id_type) return;  // already reported
  }
  if (number.empty())
    return AddError(errors, F::kIdNumber, "required", "填写了身份证件类型时须填写身份证件号");
  if (*s.id_type == "1") return CheckCitizenId(number, ctx, s, birth, errors);
  if (number.size() > kMaxDocumentChars || !IsDocumentNumber(number))
    return AddError(errors, F::kIdNumber, "bad_document_number",
                    "证件号码须为不超过 32 个字符的字母、数字、括号或连字符");
  std::string upper(number);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  s.id_number = std::move(upper);
}

// A number supplied by the client (records migrated from an older system) must
// agree with the document: G + citizen ID; J and L follow the ID coding rules.
void CheckStudentNumber(const StudentInput& in, const ValidationContext& ctx, Student& s,
                        Fields& errors) {
  std::string_view v = Trimmed(in, F::kStudentNumber);
  if (v.empty()) {
    s.number_kind = s.id_type == "1" && s.id_number ? 'G' : 'J';
    return;
  }
  char kind = v[0];
  if (kind == 'G') {
    if (!(s.id_type == "1" && s.id_number && v.substr(1) == *s.id_number))
      return AddError(errors, F::kStudentNumber, "number_mismatch",
                      "G 字头学籍号须为 G 加学生本人的居民身份证号");
  } else if (kind == 'J' || kind == 'L') {
    // The region of a J/L number NEMIS issues is the school's county, else its city or
    // province (student_number.cpp): not always a citizen ID's county-level address code.
    auto problem = codes::CheckIdNumber(v.substr(1), ctx.today, s.gender);
    if (problem != codes::IdProblem::kNone && problem != codes::IdProblem::kRegionNotCounty)
      return AddError(errors, F::kStudentNumber, "bad_number",
                      "J/L 字头学籍号的后 18 位须符合身份证号编码规则");
  } else {
    return AddError(errors, F::kStudentNumber, "bad_number", "学籍号须以 G、J 或 L 开头");
  }
  s.number_kind = kind;
  s.student_number = std::string(v);
}

void CheckContact(const StudentInput& in, Student& s, Fields& errors) {
  std::string_view address = Trimmed(in, F::kAddress);
  if (!address.empty()) {
    if (!IsCleanText(address) || Utf8Length(address) > kMaxAddressChars)
      AddError(errors, F::kAddress, "bad_address", "家庭住址须为不超过 200 个字符的文本");
    else
      s.address = std::string(address);
  }
  std::string_view phone = Trimmed(in, F::kPhone);
  if (!phone.empty()) {
    if (!IsPhoneNumber(phone))
      AddError(errors, F::kPhone, "bad_phone", "联系电话须为 11 位手机号或带区号的固定电话");
    else
      s.phone = std::string(phone);
  }
}

}  // namespace

void ValidatePerson(const StudentInput& in, const ValidationContext& ctx, Student& s,
                    Fields& errors) {
  CheckName(in, s, errors);
  CheckGender(in, s, errors);
  auto birth = CheckBirthDate(in, ctx, s, errors);
  std::optional<std::string> ethnicity, nationality;
  if (Trimmed(in, F::kEthnicity).empty())
    AddError(errors, F::kEthnicity, "required", "民族不能为空");
  CheckCoded(in, F::kEthnicity, codes::EthnicityCodes(), ethnicity, errors);
  s.ethnicity = ethnicity.value_or("");
  CheckCoded(in, F::kNationality, codes::NationalityCodes(), nationality, errors);
  s.nationality = nationality.value_or("156");
  CheckCoded(in, F::kOverseas, codes::OverseasCodes(), s.overseas, errors);
  CheckCoded(in, F::kHukouType, codes::HukouTypeCodes(), s.hukou_type, errors);
  CheckIdentity(in, ctx, s, birth, errors);
  CheckStudentNumber(in, ctx, s, errors);
  CheckContact(in, s, errors);
}

}  // namespace nemis::registry::internal
