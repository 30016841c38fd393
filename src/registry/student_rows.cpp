#include "registry/student_rows.hpp"

#include <string>
#include <vector>

#include "db/column_index.hpp"
#include "registry/current_grade.hpp"
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
  static const std::string list = JoinColumns("s.") + ", " + std::string(SchoolPromotionsSql());
  return list;
}

const std::string& StudentInsertSql() {
  static const std::string sql = [] {
    std::string values;
    for (size_t i = 1; i <= kStudentColumnCount; ++i)
      values += (i > 1 ? ", $" : "$") + std::to_string(i);
    return "INSERT INTO student (" + JoinColumns("") + ") VALUES (" + values + ")";
  }();
  return sql;
}

const std::string& StudentStoredColumns() {
  static const std::string list = JoinColumns("");
  return list;
}

const std::string& StudentReplaceSql() {
  static const std::string sql = [] {
    std::string sets;
    for (size_t i = 1; i < kStudentColumnCount; ++i) {
      if (i > 1) sets += ", ";
      sets += std::string(kStudentColumnNames[i]) + " = $" + std::to_string(i + 1);
    }
    return "UPDATE student SET " + sets + " WHERE id = $1";
  }();
  return sql;
}

void StudentParams(const Student& s, int64_t import_id, StudentParamStorage& storage,
                   std::array<db::Param, kStudentColumnCount>& out) {
  storage.kind.assign(1, s.number_kind);
  const Enrolment& e = s.enrolment;
  const Guardian& g1 = s.guardian1;
  const Guardian& g2 = s.guardian2;
  out = {s.id,
         s.sealed.number_index,
         storage.kind,
         s.id_type,
         s.sealed.id_index,
         s.name,
         s.gender,
         s.birth_date,
         s.ethnicity,
         s.nationality,
         s.overseas,
         s.hukou_type,
         s.category,
         s.boarding,
         s.entry_method,
         s.left_behind,
         s.migrant_child,
         s.orphan,
         s.martyr_child,
         s.disability_type,
         s.in_regular_class,
         g1.name,
         g1.relation,
         g2.name,
         g2.relation,
         e.school_id,
         e.province_code,
         e.city_code,
         e.county_code,
         e.school_code,
         e.stage,
         e.grade,
         e.class_no,
         e.entry_date,
         e.status,
         import_id > 0 ? db::Param(import_id) : db::Param(),
         s.version,
         s.created_at,
         s.updated_at,
         s.sealed.record,
         s.sealed.g1_index,
         s.sealed.g2_index,
         s.sealed.id_check,
         e.grade_mark};
}

Result<Student> StudentFromRow(const db::Row& r, const crypto::FieldCipher& cipher) {
  constexpr auto col = [](std::string_view name) consteval {
    return db::ColumnIndex(kStudentColumnNames, name);
  };
  auto small = [&r](size_t i) { return static_cast<int>(r.Int(i)); };
  Student s;
  s.id = r.Int(col("id"));
  s.number_kind = r.Text(col("number_kind")).empty() ? 'G' : r.Text(col("number_kind"))[0];
  s.id_type = r.OptText(col("id_type"));
  s.name = r.Text(col("name"));
  s.gender = small(col("gender"));
  s.birth_date = r.Text(col("birth_date"));
  s.ethnicity = r.Text(col("ethnicity"));
  s.nationality = r.Text(col("nationality"));
  s.overseas = r.OptText(col("overseas"));
  s.hukou_type = r.OptText(col("hukou_type"));
  s.category = r.OptText(col("category"));
  s.boarding = OptSmall(r, col("boarding"));
  s.entry_method = r.OptText(col("entry_method"));
  s.left_behind = small(col("left_behind"));
  s.migrant_child = small(col("migrant_child"));
  s.orphan = small(col("orphan"));
  s.martyr_child = small(col("martyr_child"));
  s.disability_type = r.OptText(col("disability_type"));
  s.in_regular_class = small(col("in_regular_class"));
  s.guardian1.name = r.OptText(col("g1_name"));
  s.guardian1.relation = r.OptText(col("g1_relation"));
  s.guardian2.name = r.OptText(col("g2_name"));
  s.guardian2.relation = r.OptText(col("g2_relation"));
  Enrolment& e = s.enrolment;
  e.school_id = r.Int(col("school_id"));
  e.province_code = r.Text(col("province_code"));
  e.city_code = r.OptText(col("city_code"));
  e.county_code = r.OptText(col("county_code"));
  e.school_code = r.Text(col("school_code"));
  e.stage = r.Text(col("stage"));
  e.class_no = r.Text(col("class_no"));
  e.entry_date = r.Text(col("entry_date"));
  e.status = r.Text(col("status"));
  const int64_t promotions = r.IsNull(kStudentColumnCount) ? 0 : r.Int(kStudentColumnCount);
  e.grade =
      CurrentGrade(small(col("grade")), e.stage, e.status, r.Int(col("grade_mark")), promotions);
  e.grade_mark = promotions;
  s.version = r.Int(col("version"));
  s.created_at = r.Text(col("created_at"));
  s.updated_at = r.Text(col("updated_at"));
  NEMIS_TRY(OpenPersonal(cipher, r.Text(col("personal")), s));
  return s;
}

Status WriteStudentRow(db::Connection& c, const Student& s, bool insert) {
  StudentParamStorage storage;
  std::array<db::Param, kStudentColumnCount> params;
  StudentParams(s, 0, storage, params);
  NEMIS_TRY(c.Query(insert ? StudentInsertSql() : StudentReplaceSql(), params));
  return {};
}

Status UpdateStudentRow(db::Connection& c, const Student& s, const db::Row& stored) {
  StudentParamStorage storage;
  std::array<db::Param, kStudentColumnCount> params;
  StudentParams(s, 0, storage, params);
  std::vector<db::Param> changed{params[0]};  // $1: the id
  std::string sets;
  for (size_t i = 1; i < kStudentColumnCount; ++i) {
    if (db::SameValue(params[i], stored.at(i))) continue;
    changed.push_back(params[i]);
    if (!sets.empty()) sets += ", ";
    sets.append(kStudentColumnNames[i]).append(" = $").append(std::to_string(changed.size()));
  }
  if (sets.empty()) return {};
  // Statements are cached by their text: one per set of changed columns met.
  NEMIS_TRY(c.Query("UPDATE student SET " + sets + " WHERE id = $1", changed));
  return {};
}

}  // namespace nemis::registry::internal
