#include "registry/personal_record.hpp"

#include <array>

#include "codes/id_number.hpp"
#include "crypto/encoding.hpp"

namespace nemis::registry {
namespace {

// Record layout: a format byte, the student number, then each field of PersonalFields,
// each as a LEB128 varint (0: absent, n + 1: n bytes follow) and its bytes.
constexpr char kRecordFormat = 1;

// The personal fields of a student besides its number, in record order.
std::array<std::optional<std::string>*, 7> PersonalFields(Student& s) {
  return {&s.id_number,           &s.address,         &s.phone,
          &s.guardian1.id_number, &s.guardian1.phone, &s.guardian2.id_number,
          &s.guardian2.phone};
}

void AppendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool ReadVarint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

void AppendField(std::string& out, const std::optional<std::string>& field) {
  if (!field) return AppendVarint(out, 0);
  AppendVarint(out, field->size() + 1);
  out += *field;
}

bool ReadField(std::string_view& in, std::optional<std::string>& field) {
  uint64_t n = 0;
  if (!ReadVarint(in, n)) return false;
  if (n == 0) {
    field.reset();
    return true;
  }
  if (n - 1 > in.size()) return false;
  field = std::string(in.substr(0, n - 1));
  in.remove_prefix(n - 1);
  return true;
}

Error BadRecord() {
  return Error{ErrorKind::kInternal, "bad_personal_record", "学生个人信息密文格式不正确", {}};
}

}  // namespace

void SealPersonal(const crypto::FieldCipher& cipher, Student& s) {
  std::string plain(1, kRecordFormat);
  AppendField(plain, s.student_number);
  for (auto* field : PersonalFields(s)) AppendField(plain, *field);
  s.sealed.record = crypto::Base64UrlEncode(cipher.Seal(plain));
  s.sealed.number_index = NumberIndex(cipher, s.student_number);
  s.sealed.id_index.reset();
  if (s.id_number) s.sealed.id_index = DocumentIndex(cipher, *s.id_number);
  s.sealed.g1_index = GuardianIndex(cipher, s.guardian1);
  s.sealed.g2_index = GuardianIndex(cipher, s.guardian2);
  s.sealed.id_check = IdCheckFlags(s);
}

int IdCheckFlags(const Student& s) {
  if (!s.id_type || *s.id_type != "1" || !s.id_number) return 0;
  // The far-future "today": a birth date after today is the registration's concern; this
  // records only what the number says against the record.
  codes::IdFacts facts;
  codes::IdProblem problem = codes::CheckIdNumber(*s.id_number, Date{9999, 12, 31}, 0, &facts);
  if (problem != codes::IdProblem::kNone && problem != codes::IdProblem::kRegionNotCounty)
    return kIdInvalid;
  int flags = 0;
  if (facts.birth_date.ToIso() != s.birth_date) flags |= kIdBirthDiffers;
  if ((s.gender == 1 || s.gender == 2) && facts.gender != s.gender) flags |= kIdGenderDiffers;
  return flags;
}

Status OpenPersonal(const crypto::FieldCipher& cipher, std::string_view stored, Student& s) {
  NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::Base64UrlDecode(stored));
  NEMIS_ASSIGN_OR_RETURN(std::string plain, cipher.Open(sealed));
  std::string_view in(plain);
  if (in.empty() || in.front() != kRecordFormat) return BadRecord();
  in.remove_prefix(1);
  std::optional<std::string> number;
  if (!ReadField(in, number) || !number) return BadRecord();
  s.student_number = std::move(*number);
  for (auto* field : PersonalFields(s))
    if (!ReadField(in, *field)) return BadRecord();
  if (!in.empty()) return BadRecord();
  return {};
}

std::string NumberIndex(const crypto::FieldCipher& cipher, std::string_view student_number) {
  return cipher.BlindIndex(std::string("student_number:").append(student_number))
      .substr(0, kBlindIndexChars);
}

// A guardian's ID number is indexed like the student's own (same key, same prefix), so
// that a parent who is also registered as a student matches too.
std::optional<std::string> GuardianIndex(const crypto::FieldCipher& cipher, const Guardian& g) {
  if (!g.id_number || g.id_number->empty()) return std::nullopt;
  return DocumentIndex(cipher, *g.id_number);
}

std::string DocumentIndex(const crypto::FieldCipher& cipher, std::string_view id_number) {
  return cipher.BlindIndex(std::string("id_number:").append(id_number)).substr(0, kBlindIndexChars);
}

}  // namespace nemis::registry
