#include "registry/student_bulk.hpp"

#include <map>

#include "db/change_log.hpp"
#include "db/sql_builder.hpp"
#include "registry/current_grade.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_number.hpp"
#include "registry/student_rows.hpp"

namespace nemis::registry {
namespace {

constexpr size_t kSqliteChunk = 500;  // values per IN list (SQLite binds each)
constexpr std::string_view kHolderColumns =
    "SELECT s.id_type, s.id_index, s.number_index, o.name, o.code, s.import_id, o.province_code, o.city_code, "
    "o.county_code FROM student s JOIN org o ON o.id = s.school_id ";

// Keys of one lookup: a document of one type, or a supplied student number, as the
// blind indexes the store holds.
struct LookupKey {
  std::string column;   // "id_index" or "number_index"
  std::string id_type;  // for documents
  std::vector<std::string> values;
  std::vector<size_t> indexes;
};

std::vector<LookupKey> GroupKeys(const crypto::FieldCipher& cipher,
                                 std::span<const Student* const> students) {
  std::map<std::string, LookupKey> by_type;
  LookupKey numbers{"number_index", "", {}, {}};
  for (size_t i = 0; i < students.size(); ++i) {
    const Student& s = *students[i];
    if (s.id_type && s.id_number) {
      auto& key = by_type[*s.id_type];
      key.column = "id_index";
      key.id_type = *s.id_type;
      key.values.push_back(s.sealed.id_index ? *s.sealed.id_index
                                             : DocumentIndex(cipher, *s.id_number));
      key.indexes.push_back(i);
    }
    if (!s.student_number.empty()) {
      numbers.values.push_back(s.sealed.empty() ? NumberIndex(cipher, s.student_number)
                                                : s.sealed.number_index);
      numbers.indexes.push_back(i);
    }
  }
  std::vector<LookupKey> out;
  out.reserve(by_type.size() + 1);
  for (auto& [type, key] : by_type) out.push_back(std::move(key));
  if (!numbers.values.empty()) out.push_back(std::move(numbers));
  return out;
}

// One round trip per key group on PostgreSQL (an array parameter); IN lists on SQLite.
Status QueryChunk(db::Connection& c, const LookupKey& key, size_t begin, size_t end,
                  std::map<std::string, RegisteredHolder>& found) {
  db::SqlBuilder sql(kHolderColumns);
  sql.Add("WHERE 1 = 1");
  if (!key.id_type.empty()) sql.Add(" AND s.id_type = $1", {key.id_type});
  std::string joined;
  if (c.backend() == db::Backend::kPostgres) {
    for (size_t i = begin; i < end; ++i) joined += (i > begin ? "," : "") + key.values[i];
    sql.Add(" AND s." + key.column + " = ANY(string_to_array($1, ','))", {joined});
  } else {
    std::string marks;
    std::vector<db::Param> params;
    for (size_t i = begin; i < end; ++i) {
      marks += (i > begin ? ", $" : "$") + std::to_string(i - begin + 1);
      params.emplace_back(key.values[i]);
    }
    sql.Add(" AND s." + key.column + " IN (" + marks + ")", params);
  }
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  size_t value_column = key.id_type.empty() ? 2 : 1;
  for (const auto& row : rs.rows) {
    RegisteredHolder& h = found[row.Text(value_column)];
    h.school.name = row.Text(3);
    h.school.code = row.Text(4);
    h.import_id = row.Int(5);
    h.school.province_code = row.OptText(6);
    h.school.city_code = row.OptText(7);
    h.school.county_code = row.OptText(8);
  }
  return {};
}

}  // namespace

Result<std::vector<RegisteredHolder>> FindRegistered(db::Connection& c,
                                                     const crypto::FieldCipher& cipher,
                                                     std::span<const Student* const> students) {
  std::vector<RegisteredHolder> holders;
  for (const LookupKey& key : GroupKeys(cipher, students)) {
    std::map<std::string, RegisteredHolder> found;
    size_t chunk = c.backend() == db::Backend::kPostgres ? key.values.size() : kSqliteChunk;
    for (size_t begin = 0; begin < key.values.size(); begin += chunk)
      NEMIS_TRY(QueryChunk(c, key, begin, std::min(begin + chunk, key.values.size()), found));
    for (size_t i = 0; i < key.values.size(); ++i) {
      auto it = found.find(key.values[i]);
      if (it == found.end()) continue;
      holders.push_back(it->second);
      holders.back().index = key.indexes[i];
    }
  }
  return holders;
}

Status InsertStudents(db::Connection& c, const crypto::FieldCipher& cipher,
                      std::span<Student* const> students, int64_t import_id, std::string_view now,
                      const NumberTaken& taken) {
  if (students.empty()) return {};
  NEMIS_ASSIGN_OR_RETURN(auto ids,
                         db::AllocateIds(c, "student", static_cast<int64_t>(students.size())));
  static const std::vector<std::string> kColumns(internal::kStudentColumnNames.begin(),
                                                 internal::kStudentColumnNames.end());
  for (size_t i = 0; i < students.size(); ++i) {
    Student& s = *students[i];
    if (s.number_issued && s.number_kind != 'G') {  // a J number from an attempt that rolled back
      s.student_number.clear();
      s.sealed = {};
    }
    s.id = ids[i];
    s.version = 1;
    s.created_at = s.updated_at = std::string(now);
    NEMIS_TRY(IssueStudentNumber(c, cipher, s, false, taken));
    if (s.sealed.empty()) SealPersonal(cipher, s);
  }
  // Each grade is as of its school's promotions now (current_grade.hpp).
  std::vector<int64_t> schools;
  schools.reserve(students.size());
  for (const Student* s : students) schools.push_back(s->enrolment.school_id);
  NEMIS_ASSIGN_OR_RETURN(auto promotions, SchoolPromotions(c, schools));
  for (Student* s : students) s->enrolment.grade_mark = promotions[s->enrolment.school_id];
  NEMIS_ASSIGN_OR_RETURN(auto bulk, c.BeginBulkInsert("student", kColumns));
  internal::StudentParamStorage storage;
  std::array<db::Param, internal::kStudentColumnCount> params;
  for (const Student* s : students) {
    internal::StudentParams(*s, import_id, storage, params);
    NEMIS_TRY(bulk->AddRow(params));
  }
  NEMIS_TRY(bulk->Finish());
  return db::AppendChanges(c, "student", db::ChangeOp::kInsert, ids, now);
}

}  // namespace nemis::registry
