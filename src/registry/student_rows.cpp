#include "registry/student_rows.hpp"

#include "registry/personal_record.hpp"

namespace nemis::registry::internal {
namespace {

std::string JoinColumns(std::string_view prefix) {
  std::string out;
  for (auto c : kStudentColumnNames) {
    if (!out.empty()) out += ", ";
    out += std::string(prefix) + std::string(c);
  }
  return out;
}

std::optional<int> OptSmall(const db::Row& r, size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return static_cast<int>(r.Int(i));
}

}  // namespace

const std::string& StudentSelectList() {
  static const std::string list = JoinColumns("s.");
  return list;
}

const std::string& StudentInsertSql() {
  static const std::string sql = [] {
    std::string values;
    for (size_t i = 1; i <= kStudentColumnCount; ++i) values += (i > 1 ? ", $" : "$") + std::to_string(i);
    return "INSERT INTO student (" + JoinColumns("") + ") VALUES (" + values + ")";
  }();
  return sql;
}

void StudentParams(const Student& s, int64_t import_id, StudentParamStorage& storage,
                   std::array<db::Param, kStudentColumnCount>& out) {
  storage.kind.assign(1, s.number_kind);
  const Enrolment& e = s.enrolment;
  const Guardian& g1 = s.guardian1;
  const Guardian& g2 = s.guardian2;
  out = {s.id, s.sealed.number_index, storage.kind, s.id_type, s.sealed.id_index, s.name, s.gender,
         s.birth_date, s.ethnicity, s.nationality, s.overseas, s.hukou_type, s.category, s.boarding,
         s.entry_method, s.left_behind, s.migrant_child, s.orphan, s.martyr_child, s.disability_type,
         s.in_regular_class, g1.name, g1.relation, g2.name, g2.relation, e.school_id, e.province_code,
         e.city_code, e.county_code, e.school_code, e.stage, e.grade, e.class_no, e.entry_date, e.status,
         import_id > 0 ? db::Param(import_id) : db::Param(), s.version, s.created_at, s.updated_at,
         s.sealed.record};
}

Result<Student> StudentFromRow(const db::Row& r, const crypto::FieldCipher& cipher) {
  Student s;
  s.id = r.Int(0);
  s.number_kind = r.Text(2).empty() ? 'G' : r.Text(2)[0];
  s.id_type = r.OptText(3);
  s.name = r.Text(5);
  s.gender = static_cast<int>(r.Int(6));
  s.birth_date = r.Text(7);
  s.ethnicity = r.Text(8);
  s.nationality = r.Text(9);
  s.overseas = r.OptText(10);
  s.hukou_type = r.OptText(11);
  s.category = r.OptText(12);
  s.boarding = OptSmall(r, 13);
  s.entry_method = r.OptText(14);
  s.left_behind = static_cast<int>(r.Int(15));
  s.migrant_child = static_cast<int>(r.Int(16));
  s.orphan = static_cast<int>(r.Int(17));
  s.martyr_child = static_cast<int>(r.Int(18));
  s.disability_type = r.OptText(19);
  s.in_regular_class = static_cast<int>(r.Int(20));
  s.guardian1.name = r.OptText(21);
  s.guardian1.relation = r.OptText(22);
  s.guardian2.name = r.OptText(23);
  s.guardian2.relation = r.OptText(24);
  Enrolment& e = s.enrolment;
  e.school_id = r.Int(25);
  e.province_code = r.Text(26);
  e.city_code = r.OptText(27);
  e.county_code = r.OptText(28);
  e.school_code = r.Text(29);
  e.stage = r.Text(30);
  e.grade = static_cast<int>(r.Int(31));
  e.class_no = r.Text(32);
  e.entry_date = r.Text(33);
  e.status = r.Text(34);
  s.version = r.Int(36);
  s.created_at = r.Text(37);
  s.updated_at = r.Text(38);
  NEMIS_TRY(OpenPersonal(cipher, r.Text(39), s));
  return s;
}

}  // namespace nemis::registry::internal
