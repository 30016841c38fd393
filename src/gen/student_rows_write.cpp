#include "gen/pools.hpp"
#include "gen/student_rows.hpp"

namespace nemis::gen {

Status RowMaker::WriteSchool(const SchoolProfile& school) {
  for (const GradeSlot& slot : school.grades)
    for (uint64_t i = 0; i < slot.students; ++i) NEMIS_TRY(WriteRow(school, slot, i));
  return {};
}

Status RowMaker::WriteRow(const SchoolProfile& school, const GradeSlot& slot,
                          uint64_t index_in_grade) {
  Student s;
  NEMIS_TRY(DrawStudent(school, slot, s));
  CsvBuffer& o = out_;
  o.Comma();  // 学籍号: issued at import
  WriteName(s.surname, s.given1, s.given2, s.dotted);
  o.Comma();
  o.Char(static_cast<char>('0' + s.gender));
  o.Comma();
  o.Append({ids_.Day(s.birth).iso, 10});
  o.Comma();
  o.Append(s.ethnicity);
  o.Comma();
  o.Append(s.nationality);
  o.Comma();
  if (s.id_length > 0) o.Char(s.id_type);  // no document: neither type nor number
  o.Comma();
  o.Append({s.id, s.id_length});
  o.Comma();
  o.Append(s.overseas);
  o.Comma();
  o.Append(s.hukou);
  o.Comma();
  o.Append(school.school->code);
  o.Comma();
  o.Append(slot.stage_name);
  o.Comma();
  if (slot.grade < 0) o.Char('-');
  o.Number(static_cast<uint64_t>(slot.grade < 0 ? -slot.grade : slot.grade));
  o.Comma();
  uint64_t class_no = index_in_grade / slot.class_size + 1;
  class_no < 100 ? o.Digits(class_no, 2) : o.Number(class_no);
  o.Comma();
  o.Append(slot.entry);
  o.Comma();
  for (std::string_view field : {s.category, s.boarding, s.entry_method, s.left_behind}) {
    o.Append(field);
    o.Comma();
  }
  for (bool flag : {s.migrant_child, s.orphan, s.martyr}) {
    o.Char(flag ? '1' : '0');
    o.Comma();
  }
  o.Append(s.disability);
  o.Comma();
  o.Append(s.in_regular_class);
  o.Comma();
  WriteAddress(s.address_place, school.locality);
  o.Comma();
  WritePhone(s.g1);
  o.Comma();
  WriteGuardian(s.g1);
  o.Comma();
  WriteGuardian(s.g2);
  o.Append(school.tail);
  return o.EndRow();
}

void RowMaker::WriteName(std::string_view surname, std::string_view given1, std::string_view given2,
                         bool dotted) {
  out_.Append(surname);
  out_.Append(given1);
  if (dotted) out_.Append("·");
  out_.Append(given2);
}

void RowMaker::WriteGuardian(const Guardian& g) {
  if (g.dotted_father.empty()) {
    WriteName(g.surname, g.given1, g.given2, false);
  } else {
    WriteName({}, g.given1, g.dotted_father, true);
  }
  out_.Comma();
  out_.Append(g.relation);
  out_.Comma();
  out_.Append({g.id, 18});
  out_.Comma();
  WritePhone(g);
}

void RowMaker::WritePhone(const Guardian& g) {
  out_.Append({g.phone_prefix, 3});
  out_.Digits(g.phone, 8);
}

void RowMaker::WriteAddress(uint32_t place, Locality locality) {
  out_.Append(address_prefixes_[place]);
  if (locality == Locality::kRural) {
    out_.Append(VillageNames()[rng_.Below(static_cast<uint32_t>(VillageNames().size()))]);
    out_.Append("村");
  } else {
    out_.Append(StreetNames()[rng_.Below(static_cast<uint32_t>(StreetNames().size()))]);
  }
  out_.Number(rng_.Between(1, 999));
  out_.Append("号");
}

}  // namespace nemis::gen
