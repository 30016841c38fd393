#include "codes/id_number.hpp"

#include "codes/division.hpp"

namespace nemis::codes {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckCharacters[] = "10X98765432";
// Nobody alive was born earlier; older "dates" are typing errors.
constexpr int kEarliestBirthYear = 1800;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (!IsDigit(c)) return false;
  return true;
}

int Digits(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// Appends the ASCII form of one full-width character (U+FF10-FF19, Ｘ, ｘ) or returns false.
bool AppendFullWidth(std::string_view text, size_t i, std::string& out) {
  if (i + 2 >= text.size() || static_cast<unsigned char>(text[i]) != 0xEF) return false;
  auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
  if (b1 == 0xBC && b2 >= 0x90 && b2 <= 0x99) {
    out.push_back(static_cast<char>('0' + (b2 - 0x90)));
    return true;
  }
  if ((b1 == 0xBC && b2 == 0xB8) || (b1 == 0xBD && b2 == 0x98)) {
    out.push_back('X');
    return true;
  }
  return false;
}

// Length of the space at the start (or end) of `text`: one ASCII blank or U+3000.
size_t LeadingSpace(std::string_view t) {
  if (!t.empty() && (t[0] == ' ' || t[0] == '\t' || t[0] == '\r' || t[0] == '\n')) return 1;
  return t.substr(0, 3) == "\xE3\x80\x80" ? 3 : 0;
}
size_t TrailingSpace(std::string_view t) {
  if (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r' || t.back() == '\n'))
    return 1;
  return t.size() >= 3 && t.substr(t.size() - 3) == "\xE3\x80\x80" ? 3 : 0;
}

}  // namespace

char IdCheckCharacter(std::string_view first17) {
  if (first17.size() != 17 || !AllDigits(first17)) return '\0';
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckCharacters[sum % 11];
}

std::string_view IdProblemCode(IdProblem problem) {
  switch (problem) {
    case IdProblem::kNone:
      return "";
    case IdProblem::kLength:
      return "bad_length";
    case IdProblem::kCharacters:
      return "bad_characters";
    case IdProblem::kCheckDigit:
      return "bad_check_digit";
    case IdProblem::kBirthDate:
      return "bad_birth_date";
    case IdProblem::kFutureBirthDate:
      return "future_birth_date";
    case IdProblem::kUnknownRegion:
      return "unknown_region";
    case IdProblem::kGenderMismatch:
      return "gender_mismatch";
    case IdProblem::kRegionNotCounty:
      return "region_not_county";
  }
  return "";
}

std::string_view IdProblemMessage(IdProblem problem) {
  switch (problem) {
    case IdProblem::kNone:
      return "";
    case IdProblem::kLength:
      return "身份证号码应为18位";
    case IdProblem::kCharacters:
      return "身份证号码应由17位数字和1位数字或大写字母X组成";
    case IdProblem::kCheckDigit:
      return "身份证号码校验码错误，请核对是否有输错的数字";
    case IdProblem::kBirthDate:
      return "身份证号码中的出生日期不是有效日期";
    case IdProblem::kFutureBirthDate:
      return "身份证号码中的出生日期晚于今天";
    case IdProblem::kUnknownRegion:
      return "身份证号码前6位不是有效的行政区划代码";
    case IdProblem::kGenderMismatch:
      return "身份证号码第17位与性别不符（奇数为男，偶数为女）";
    case IdProblem::kRegionNotCounty:
      return "身份证号码前6位是省级或地级行政区划代码，应为户口所在县（市、旗、区）的代码";
  }
  return "";
}

IdProblem CheckIdNumber(std::string_view id, const Date& today, int declared_gender,
                        IdFacts* facts) {
  if (id.size() != 18) return IdProblem::kLength;
  if (!AllDigits(id.substr(0, 17)) || !(IsDigit(id[17]) || id[17] == 'X'))
    return IdProblem::kCharacters;
  if (IdCheckCharacter(id.substr(0, 17)) != id[17]) return IdProblem::kCheckDigit;
  Date birth{Digits(id.substr(6, 4)), Digits(id.substr(10, 2)), Digits(id.substr(12, 2))};
  if (birth.year < kEarliestBirthYear || !birth.IsValid()) return IdProblem::kBirthDate;
  if (birth > today) return IdProblem::kFutureBirthDate;
  if (!IsKnownDivision(id.substr(0, 6))) return IdProblem::kUnknownRegion;
  int gender = (id[16] - '0') % 2 == 1 ? 1 : 2;
  if (declared_gender != 0 && declared_gender != gender) return IdProblem::kGenderMismatch;
  if (!IsAddressCode(id.substr(0, 6))) return IdProblem::kRegionNotCounty;
  if (facts != nullptr) *facts = IdFacts{id.substr(0, 6), birth, gender};
  return IdProblem::kNone;
}

std::string NormalizeIdNumber(std::string_view text) {
  while (size_t n = LeadingSpace(text)) text.remove_prefix(n);
  while (size_t n = TrailingSpace(text)) text.remove_suffix(n);
  std::string out;
  out.reserve(18);
  for (size_t i = 0; i < text.size(); ++i) {
    if (AppendFullWidth(text, i, out)) {
      i += 2;
    } else {
      out.push_back(text[i] == 'x' ? 'X' : text[i]);
    }
  }
  return out;
}

uint64_t PackIdNumber(std::string_view id18) {
  if (id18.size() != 18 || !AllDigits(id18.substr(0, 17))) return kNotIdShaped;
  uint64_t body = 0;
  for (int i = 0; i < 17; ++i) body = body * 10 + static_cast<uint64_t>(id18[i] - '0');
  uint64_t check;
  if (IsDigit(id18[17])) {
    check = static_cast<uint64_t>(id18[17] - '0');
  } else if (id18[17] == 'X') {
    check = 10;
  } else {
    return kNotIdShaped;
  }
  // body < 10^17, so body * 11 + check < 1.1e18: exact in 64 bits and below kNotIdShaped.
  return body * 11 + check;
}

}  // namespace nemis::codes
