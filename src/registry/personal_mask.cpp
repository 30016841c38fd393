#include "registry/personal_mask.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kHidden = "****";

// Keeps `head` and `tail` characters (ASCII) and stars the rest, one star each.
std::string KeepEnds(std::string_view text, size_t head, size_t tail) {
  if (text.size() <= head + tail) return std::string(text.size(), '*');
  return std::string(text.substr(0, head)) + std::string(text.size() - head - tail, '*') +
         std::string(text.substr(text.size() - tail));
}

// Byte length of the first `n` UTF-8 characters of `text`.
size_t Utf8Prefix(std::string_view text, size_t n) {
  size_t i = 0;
  for (size_t chars = 0; i < text.size() && chars < n; ++chars) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

void MaskOptional(std::optional<std::string>& field, std::string (*mask)(std::string_view)) {
  if (field) field = mask(*field);
}

}  // namespace

std::string MaskDocumentNumber(std::string_view number) {
  if (number.size() >= 12) return KeepEnds(number, 4, 4);
  if (number.size() >= 6) return KeepEnds(number, 2, 2);
  return std::string(number.size(), '*');
}

std::string MaskStudentNumber(std::string_view number) {
  if (number.empty() || number[0] != 'G') return std::string(number);
  return MaskStudentNumberForRecords(number);
}

std::string MaskStudentNumberForRecords(std::string_view number) {
  if (number.empty()) return std::string(number);
  std::string out(1, number.front());  // (appending, not `char + string`: GCC 12 warns on that)
  return out.append(MaskDocumentNumber(number.substr(1)));
}

std::string MaskPhone(std::string_view phone) { return KeepEnds(phone, 3, 4); }

std::string MaskAddress(std::string_view address) {
  return std::string(address.substr(0, Utf8Prefix(address, 6))) + std::string(kHidden);
}

void MaskPersonal(Student& s) {
  s.student_number = MaskStudentNumber(s.student_number);
  MaskOptional(s.id_number, MaskDocumentNumber);
  MaskOptional(s.address, MaskAddress);
  MaskOptional(s.phone, MaskPhone);
  for (Guardian* g : {&s.guardian1, &s.guardian2}) {
    MaskOptional(g->id_number, MaskDocumentNumber);
    MaskOptional(g->phone, MaskPhone);
  }
}

}  // namespace nemis::registry
