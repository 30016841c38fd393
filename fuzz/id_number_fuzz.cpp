// Citizen ID numbers (src/codes/id_number.hpp, GB 11643) and national student numbers (G/J/L
// + 18 characters, checked by registry validation). The input is an ID as typed or pasted
// from a spreadsheet, optionally followed by a newline and a student number. Checks:
// - NormalizeIdNumber is idempotent;
// - a valid ID has 18 characters, its check character, a known region, a birth date not
//   after today, the gender of its 17th digit, and packs to a 64-bit key;
// - PackIdNumber refuses exactly the strings that are not 17 digits and a digit or X;
// - a student record with this ID and number is accepted only with G + its own ID, or J/L
//   + 18 characters that pass the ID checks.
#include <string>

#include "codes/division.hpp"
#include "codes/id_number.hpp"
#include "fuzz_check.hpp"
#include "student_fixture.hpp"

namespace nemis::fuzz {
namespace {

using codes::IdProblem;
using F = registry::StudentField;

bool IdShaped(std::string_view id) {
  if (id.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i)
    if (id[i] < '0' || id[i] > '9') return false;
  return (id[17] >= '0' && id[17] <= '9') || id[17] == 'X';
}

void CheckId(std::string_view raw) {
  std::string id = codes::NormalizeIdNumber(raw);
  FUZZ_CHECK(codes::NormalizeIdNumber(id) == id, "NormalizeIdNumber is not idempotent");
  FUZZ_CHECK((codes::PackIdNumber(id) != codes::kNotIdShaped) == IdShaped(id),
             "PackIdNumber shape");
  for (int gender : {0, 1, 2}) {
    codes::IdFacts facts;
    IdProblem problem = codes::CheckIdNumber(id, kToday, gender, &facts);
    (void)codes::CheckIdNumber(raw, kToday, gender);
    if (problem != IdProblem::kNone) {
      FUZZ_CHECK(!codes::IdProblemCode(problem).empty(), "a problem without a code");
      FUZZ_CHECK(!codes::IdProblemMessage(problem).empty(), "a problem without a message");
      continue;
    }
    FUZZ_CHECK(id.size() == 18 && codes::IdCheckCharacter(id.substr(0, 17)) == id[17],
               "valid ID without its check character");
    FUZZ_CHECK(facts.region == std::string_view(id).substr(0, 6), "region is not digits 1-6");
    FUZZ_CHECK(codes::IsKnownDivision(facts.region), "valid ID in an unknown region");
    FUZZ_CHECK(facts.birth_date.IsValid() && facts.birth_date <= kToday, "valid ID born later");
    FUZZ_CHECK(facts.gender == ((id[16] - '0') % 2 == 1 ? 1 : 2), "gender is not digit 17's");
    FUZZ_CHECK(gender == 0 || gender == facts.gender, "gender mismatch accepted");
    FUZZ_CHECK(codes::PackIdNumber(id) != codes::kNotIdShaped, "valid ID does not pack");
  }
}

// A registration carrying the ID and the student number.
void CheckStudentNumber(std::string_view id_text, std::string_view number) {
  std::string id = codes::NormalizeIdNumber(id_text);
  codes::IdFacts facts;
  bool valid_id = codes::CheckIdNumber(id, kToday, 0, &facts) == IdProblem::kNone;
  std::string birth = valid_id ? facts.birth_date.ToIso() : "2019-03-15";
  std::string gender = valid_id ? std::to_string(facts.gender) : "2";
  registry::StudentInput in;
  in.Set(F::kName, "李晓雨");
  in.Set(F::kGender, gender);
  in.Set(F::kBirthDate, birth);
  in.Set(F::kEthnicity, "01");
  in.Set(F::kIdNumber, id_text);
  in.Set(F::kStudentNumber, number);
  in.Set(F::kSchoolCode, "2144000001");
  in.Set(F::kGrade, "1");
  in.Set(F::kClassNo, "03");
  in.Set(F::kEntryDate, "2025-09");
  in.Set(F::kGuardian1Name, "李明");
  in.Set(F::kGuardian1Relation, "1");
  auto student = ValidateForFuzz(in);
  if (!student.ok()) return;
  const registry::Student& s = *student;
  if (s.student_number.empty()) {
    FUZZ_CHECK(s.number_kind == (s.id_number && s.id_type == "1" ? 'G' : 'J'), "kind of no number");
    return;
  }
  FUZZ_CHECK(s.number_kind == s.student_number[0], "number kind is not its first letter");
  if (s.number_kind == 'G') {
    FUZZ_CHECK(s.id_type == "1" && s.id_number && s.student_number == "G" + *s.id_number,
               "a G number that is not G + the student's ID");
  } else {
    FUZZ_CHECK(s.number_kind == 'J' || s.number_kind == 'L', "number of an unknown kind");
    FUZZ_CHECK(codes::CheckIdNumber(std::string_view(s.student_number).substr(1), kToday, 0) ==
                   IdProblem::kNone,
               "a J/L number whose 18 characters fail the ID checks");
  }
}

}  // namespace
}  // namespace nemis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = nemis::fuzz::AsText(data, size);
  size_t newline = text.find('\n');
  std::string_view id = text.substr(0, newline);
  std::string_view number = newline == std::string_view::npos ? "" : text.substr(newline + 1);
  nemis::fuzz::CheckId(id);
  nemis::fuzz::CheckStudentNumber(id, number);
  return 0;
}
