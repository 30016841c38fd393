#include "registry/student_number.hpp"

#include "codes/id_number.hpp"
#include "registry/personal_record.hpp"

namespace nemis::registry {
namespace {

// Each (kind, region, birth date, sex) prefix has 500 sequence numbers: odd for
// boys, even for girls, as in citizen IDs.
constexpr std::string_view kNextSeq =
    "INSERT INTO number_seq (prefix, next_seq) VALUES ($1, 1) "
    "ON CONFLICT (prefix) DO UPDATE SET next_seq = number_seq.next_seq + 1 RETURNING next_seq";
constexpr std::string_view kNumberTaken = "SELECT 1 FROM student WHERE number_index = $1";
constexpr std::string_view kFormerNumber =
    "SELECT 1 FROM student_former_number WHERE number_index = $1";
constexpr int kSlotsPerPrefix = 500;

// The region part of a J/L number: the school's county, else its city or province.
std::string RegionOf(const Enrolment& e) {
  if (e.county_code) return *e.county_code;
  if (e.city_code) return *e.city_code;
  return e.province_code;
}

std::string Compose(char kind, const std::string& region, const std::string& birth_iso, int seq) {
  // The 17 digits an ID's check character covers: region, YYYYMMDD, a 3-digit sequence.
  const char sequence[] = {static_cast<char>('0' + seq / 100 % 10),
                           static_cast<char>('0' + seq / 10 % 10),
                           static_cast<char>('0' + seq % 10)};
  std::string first17 = region + birth_iso.substr(0, 4) + birth_iso.substr(5, 2) +
                        birth_iso.substr(8, 2) + std::string(sequence, 3);
  first17.resize(17);
  return std::string(1, kind) + first17 + codes::IdCheckCharacter(first17);
}

// A number given with the record (migrated from an older system) that this node replaced by
// another (an L number converted to G: student_former_number) is another student's for life.
// Only L numbers are ever replaced, so only they are looked up.
Status CheckNotRetired(db::Connection& c, const crypto::FieldCipher& cipher,
                       std::string_view number) {
  if (!number.starts_with('L')) return {};
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kFormerNumber, {NumberIndex(cipher, number)}));
  if (rs.rows.empty()) return {};
  return Error::Conflict("number_retired",
                         "该临时学籍号已由本节点转为另一学生的 G 字头学籍号，不能再用于登记");
}

}  // namespace

bool AssignGNumber(Student& s) {
  if (!s.student_number.empty() || s.number_kind != 'G' || !s.id_number) return false;
  s.student_number = "G" + *s.id_number;
  s.number_issued = true;
  return true;
}

Status IssueStudentNumber(db::Connection& c, const crypto::FieldCipher& cipher, Student& s,
                          bool temporary, const NumberTaken& taken) {
  auto in_store = [&](db::Connection& conn, std::string_view number) -> Result<bool> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, conn.Query(kNumberTaken, {NumberIndex(cipher, number)}));
    return !rs.empty();
  };
  const NumberTaken& is_taken = taken ? taken : NumberTaken(in_store);
  if (!s.student_number.empty()) return CheckNotRetired(c, cipher, s.student_number);
  if (!temporary && AssignGNumber(s)) return {};
  char kind = temporary ? 'L' : 'J';
  std::string region = RegionOf(s.enrolment);
  std::string prefix = std::string(1, kind) + region + s.birth_date + (s.gender == 1 ? "M" : "F");
  // A number may already exist if it was migrated from an older system: skip it.
  for (int attempt = 0; attempt < kSlotsPerPrefix; ++attempt) {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kNextSeq, {prefix}));
    int slot = static_cast<int>(rs.rows.at(0).Int(0)) - 1;
    if (slot >= kSlotsPerPrefix)
      return Error::Conflict("number_space_exhausted",
                             "该地区该出生日期的临时/J 字头学籍号已用尽，请联系省级管理员");
    std::string number =
        Compose(kind, region, s.birth_date, s.gender == 1 ? 2 * slot + 1 : 2 * slot);
    NEMIS_ASSIGN_OR_RETURN(bool held, is_taken(c, number));
    if (held) continue;
    s.student_number = std::move(number);
    s.number_kind = kind;
    s.number_issued = true;
    return {};
  }
  return Error::Conflict("number_space_exhausted", "无法分配学籍号");
}

}  // namespace nemis::registry
