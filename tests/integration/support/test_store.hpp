// A fresh, empty store for one integration test on either back end: an SQLite file
// in a temporary directory, or a new database in the process's throwaway
// PostgreSQL cluster (nemis::testing::PgCluster). The test reads it directly (not
// through the API) to check what was really written.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/field_cipher.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::it {

enum class Backend { kSqlite, kPostgres };

inline auto BothBackends() { return ::testing::Values(Backend::kSqlite, Backend::kPostgres); }
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);
inline void PrintTo(Backend b, std::ostream* out) {
  *out << (b == Backend::kSqlite ? "Sqlite" : "Postgres");
}

class TestStore {
 public:
  explicit TestStore(Backend backend);
  ~TestStore();  // drops the PostgreSQL database
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  Backend backend() const { return backend_; }
  const std::string& url() const { return url_; }
  /// The PostgreSQL database name ("" for SQLite).
  const std::string& pg_database() const { return pg_database_; }
  /// A directory for the test's files (rosters, logs, reports), removed with the store.
  const testing::TempDir& dir() const { return dir_; }
  std::string File(const std::string& name) const { return dir_.File(name); }

  /// Runs a query returning one integer; throws std::runtime_error on a store error.
  int64_t QueryInt(const std::string& sql) const;
  /// Rows of the student table, or -1 when the store cannot be read (no schema yet).
  int64_t CountStudents() const;
  /// Every row of a query, each cell as text (NULL as ""); throws on a store error.
  std::vector<std::vector<std::string>> QueryRows(const std::string& sql) const;
  /// The details (a JSON object) of the audit entries of `action`, oldest first.
  std::vector<nlohmann::json> AuditDetails(const std::string& action) const;
  /// Runs statements (no result); throws on a store error.
  void Execute(const std::string& sql) const;

  /// The field key file of the test's node (absolute). Every nemis process of a test
  /// must use this one file: what one key sealed, another cannot open.
  std::string FieldKeyFile() const;
  /// Configuration every nemis process on this store needs: the key file above.
  std::map<std::string, std::string> NodeSettings() const;

  /// Blind indexes as the node stores them (student.number_index, student.id_index),
  /// computed with the node's key file; throws when no nemis process made it yet.
  std::string StudentNumberIndex(std::string_view student_number) const;
  std::string DocumentIndex(std::string_view id_number) const;
  /// Students whose identity document number is one of `id_numbers`.
  int64_t CountStudentsWithIds(const std::vector<std::string>& id_numbers) const;
  /// Students holding one of `student_numbers`.
  int64_t CountStudentsWithNumbers(const std::vector<std::string>& student_numbers) const;
  /// Of these citizen ID numbers, how many belong to a student whose number is G + that
  /// ID (one person, one number: the same row holds both blind indexes).
  int64_t CountNumberedByTheirIds(const std::vector<std::string>& id_numbers) const;

 private:
  crypto::FieldCipher NodeCipher() const;
  /// COUNT(*) of students whose `column` is one of `indexes`.
  int64_t CountStudentsByIndex(const std::string& column,
                               const std::vector<std::string>& indexes) const;

  Backend backend_;
  testing::TempDir dir_;
  std::string url_;
  std::string pg_database_;
};

/// Runs SQL on the PostgreSQL cluster's `postgres` database (administration).
void PgAdminExec(const std::string& sql);

}  // namespace nemis::it
