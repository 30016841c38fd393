#include "registry/shard_loader.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "registry/student_rows.hpp"

namespace nemis::registry {
namespace {

// Rows per INSERT: the shard servers' batch_size (exchange/student_partitions.cpp), so that
// each statement reaches the shard as one batch (44 parameters a row).
constexpr size_t kRowsPerInsert = 500;

// The columns a history state holds besides its own (db/migrations/migration_0019): named as
// in `student`, read from the catalogue so that a migration changing them changes this too.
constexpr std::string_view kHistoryColumns =
    "SELECT string_agg(attname, ', ' ORDER BY attnum) FROM pg_attribute "
    "WHERE attrelid = 'student_history'::regclass AND attnum > 0 AND NOT attisdropped "
    "AND attname NOT IN ('id', 'student_id', 'valid_from')";

// What the triggers on `student` write for new rows, for the rows just inserted through the
// loader, read back from the shard once: the person index (exchange/student_partitions.cpp,
// national_person_index: a key held by another student is not taken) and the first history
// state. Answers how many rows were read, and how many numbers and documents were taken of
// how many to take.
std::string RecordSql(const std::string& history) {
  return "WITH written AS MATERIALIZED (SELECT id, number_index, province_code, id_type, "
         "id_index, updated_at, " +
         history +
         " FROM student WHERE province_code = $1 AND id = ANY($2::bigint[])), "
         "numbers AS (INSERT INTO national_number SELECT number_index, province_code, id "
         "FROM written ON CONFLICT (number_index) DO UPDATE SET province_code = "
         "excluded.province_code WHERE national_number.student_id = excluded.student_id "
         "RETURNING 1), "
         "documents AS (INSERT INTO national_document SELECT id_type, id_index, province_code, "
         "id FROM written WHERE id_type IS NOT NULL AND id_index IS NOT NULL "
         "ON CONFLICT (id_type, id_index) DO UPDATE SET province_code = excluded.province_code "
         "WHERE national_document.student_id = excluded.student_id RETURNING 1), "
         "history AS (INSERT INTO student_history (student_id, valid_from, " +
         history + ") SELECT id, updated_at, " + history +
         " FROM written) "
         "SELECT (SELECT COUNT(*) FROM written), (SELECT COUNT(*) FROM numbers), "
         "(SELECT COUNT(*) FROM written WHERE id_type IS NOT NULL AND id_index IS NOT NULL), "
         "(SELECT COUNT(*) FROM documents)";
}

Error Held(std::string_view key) {
  return Error::Conflict(
      std::string(db::kUniqueViolation),
      "duplicate key value violates unique constraint \"" + std::string(key) + "\"");
}

// "INSERT INTO loader (every column) VALUES ($1, ..., $44), ..." for `rows` rows.
std::string InsertSql(const std::string& loader, size_t rows) {
  std::string sql = "INSERT INTO " + loader + " (";
  for (size_t i = 0; i < internal::kStudentColumnCount; ++i) {
    sql.append(i > 0 ? ", " : "").append(internal::kStudentColumnNames[i]);
  }
  sql += ") VALUES ";
  size_t n = 0;
  for (size_t r = 0; r < rows; ++r) {
    sql += r > 0 ? ", (" : "(";
    for (size_t i = 0; i < internal::kStudentColumnCount; ++i) {
      sql.append(i > 0 ? ", $" : "$").append(std::to_string(++n));
    }
    sql += ")";
  }
  return sql;
}

Status InsertRows(db::Connection& c, const std::string& loader,
                  std::span<const Student* const> students) {
  std::vector<internal::StudentParamStorage> storage(students.size());  // the params borrow it
  std::vector<db::Param> params;
  params.reserve(students.size() * internal::kStudentColumnCount);
  std::array<db::Param, internal::kStudentColumnCount> row;
  for (size_t k = 0; k < students.size(); ++k) {
    internal::StudentParams(*students[k], 0, storage[k], row);
    params.insert(params.end(), row.begin(), row.end());
  }
  NEMIS_TRY(c.Query(InsertSql(loader, students.size()), params));
  return {};
}

Status RecordRows(db::Connection& c, std::string_view province, const std::string& sql,
                  std::span<const Student* const> students) {
  std::string ids = "{";
  for (const Student* s : students)
    ids.append(ids.size() > 1 ? "," : "").append(std::to_string(s->id));
  ids += "}";
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, {province, ids}));
  const db::Row& counts = rs.rows.at(0);
  if (counts.Int(0) != static_cast<int64_t>(students.size())) {
    return Error::Internal("分片上少了刚写入的学生：写入 " + std::to_string(students.size()) +
                           " 名，读回 " + std::to_string(counts.Int(0)) + " 名");
  }
  if (counts.Int(1) != counts.Int(0)) return Held("national_number_pkey");
  if (counts.Int(3) != counts.Int(2)) return Held("national_document_pkey");
  return {};
}

}  // namespace

std::string ShardLoaderTable(std::string_view province) {
  return "shard_load.student_" + std::string(province);
}

Status InsertThroughLoader(db::Connection& c, std::string_view province,
                           std::span<const Student* const> students) {
  NEMIS_ASSIGN_OR_RETURN(auto history, c.Query(kHistoryColumns));
  const std::string record = RecordSql(history.rows.at(0).Text(0));
  const std::string loader = ShardLoaderTable(province);
  for (size_t start = 0; start < students.size(); start += kRowsPerInsert) {
    auto chunk = students.subspan(start, std::min(kRowsPerInsert, students.size() - start));
    NEMIS_TRY(InsertRows(c, loader, chunk));
    NEMIS_TRY(RecordRows(c, province, record, chunk));
  }
  return {};
}

}  // namespace nemis::registry
