// A fresh, empty store for one integration test on either back end: an SQLite file
// in a temporary directory, or a new database in the process's throwaway
// PostgreSQL cluster (nemis::testing::PgCluster). The test reads it directly (not
// through the API) to check what was really written.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "testing/temp_dir.hpp"

namespace nemis::it {

enum class Backend { kSqlite, kPostgres };

inline auto BothBackends() { return ::testing::Values(Backend::kSqlite, Backend::kPostgres); }
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);
inline void PrintTo(Backend b, std::ostream* out) { *out << (b == Backend::kSqlite ? "Sqlite" : "Postgres"); }

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

 private:
  Backend backend_;
  testing::TempDir dir_;
  std::string url_;
  std::string pg_database_;
};

/// Runs SQL on the PostgreSQL cluster's `postgres` database (administration).
void PgAdminExec(const std::string& sql);

}  // namespace nemis::it
