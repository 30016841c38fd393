#include "registry/temporary_record.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "db/migrations/migrate.hpp"
#include "db/sql_builder.hpp"
#include "registry/personal_mask.hpp"
#include "registry/student_rows.hpp"

namespace nemis::registry {
namespace {

// Names per query: well under either store's limit on parameters.
constexpr size_t kNamesPerQuery = 500;

using PersonKey = std::tuple<std::string, int, std::string>;  // name, gender, birth date

PersonKey KeyOf(const Student& s) { return {s.name, s.gender, s.birth_date}; }

org::Institution SchoolOf(const Student& s) {
  org::Institution school;
  school.id = s.enrolment.school_id;
  school.code = s.enrolment.school_code;
  school.province_code = s.enrolment.province_code;
  school.city_code = s.enrolment.city_code;
  school.county_code = s.enrolment.county_code;
  return school;
}

Error Refusal(const Student& earlier) {
  const std::string message =
      "该生可能已以临时学籍号 " + MaskStudentNumberForRecords(earlier.student_number) + " 在学校 " +
      earlier.enrolment.school_code +
      " 注册学籍（姓名、性别、出生日期相同，无身份证件）：请在该学籍上申请更正、补录身份证件号，"
      "学籍号保持不变，不要重复注册；确为不同学生的，确认后可继续注册";
  Error e = Error::Conflict(std::string(kTemporaryRecordExists), message);
  e.fields.push_back({"idNumber", std::string(kTemporaryRecordExists), message});
  return e;
}

// The J and L records without a document, alive and not merged away, bearing one of `names`
// and in `scope`, by person (the first by id when a person has several).
Status AddRecordsNamed(db::Connection& c, const crypto::FieldCipher& cipher,
                       const org::Scope& scope, std::span<const std::string> names,
                       int64_t except_import, std::map<PersonKey, Student>& found) {
  const std::string name = "s.name" + std::string(db::BytewiseCollation(c.backend()));
  db::SqlBuilder sql("SELECT " + internal::StudentSelectList() +
                     " FROM student s WHERE s.id_type IS NULL AND " + name + " IN (");
  for (size_t i = 0; i < names.size(); ++i) sql.Add(i == 0 ? "$1" : ", $1", {names[i]});
  sql.Add(") AND s.number_kind IN ('J', 'L') AND s.status NOT IN ('11', '99')");
  if (except_import != 0)
    sql.Add(" AND (s.import_id IS NULL OR s.import_id <> $1)", {except_import});
  sql.Add(" ORDER BY s.id");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  for (const db::Row& row : rs.rows) {
    NEMIS_ASSIGN_OR_RETURN(Student earlier, internal::StudentFromRow(row, cipher));
    if (scope.Contains(SchoolOf(earlier))) found.try_emplace(KeyOf(earlier), std::move(earlier));
  }
  return {};
}

}  // namespace

Result<std::vector<TemporaryRecordHit>> FindTemporaryRecords(
    db::Connection& c, const crypto::FieldCipher& cipher, const org::Scope& scope,
    std::span<const Student* const> students, int64_t except_import) {
  std::vector<std::string> names;
  for (const Student* s : students)
    if (s->id_type) names.push_back(s->name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::map<PersonKey, Student> found;
  for (size_t from = 0; from < names.size(); from += kNamesPerQuery) {
    const size_t n = std::min(kNamesPerQuery, names.size() - from);
    NEMIS_TRY(
        AddRecordsNamed(c, cipher, scope, std::span(names).subspan(from, n), except_import, found));
  }
  std::vector<TemporaryRecordHit> hits;
  if (found.empty()) return hits;
  for (size_t i = 0; i < students.size(); ++i) {
    if (!students[i]->id_type) continue;
    if (auto it = found.find(KeyOf(*students[i])); it != found.end())
      hits.push_back({i, Refusal(it->second)});
  }
  return hits;
}

Status CheckNoTemporaryRecord(db::Connection& c, const crypto::FieldCipher& cipher,
                              const org::Scope& scope, const Student& s) {
  const Student* one[] = {&s};
  NEMIS_ASSIGN_OR_RETURN(auto hits, FindTemporaryRecords(c, cipher, scope, one));
  if (!hits.empty()) return std::move(hits.front().refusal);
  return {};
}

}  // namespace nemis::registry
