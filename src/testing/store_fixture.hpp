// A GTest fixture giving each test a fresh, empty store on each back end: SQLite in
// a temporary directory, PostgreSQL as a new database in the shared test cluster.
//
//   class StudentStoreTest : public nemis::testing::StoreTest {};
//   TEST_P(StudentStoreTest, Inserts) { ... db().WithWriter(...) ... }
//   INSTANTIATE_TEST_SUITE_P(Both, StudentStoreTest, nemis::testing::StoreBackends(),
//                            nemis::testing::BackendName);
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>

#include "db/database.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::testing {

class StoreTest : public ::testing::TestWithParam<db::Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  db::Database& db() { return *db_; }
  db::Backend backend() const { return GetParam(); }
  /// The store's URL, e.g. to open a second Database on it.
  const std::string& url() const { return url_; }
  /// Options the fixture opens the store with; override to change pools or timeouts.
  virtual db::Options StoreOptions() const;
  /// Closes the fixture's Database (e.g. to reopen the same store with url()).
  void CloseStore() { db_.reset(); }
  /// Numbers the change rows PostgreSQL writes left pending, as a reader of the change
  /// log does (db/change_log.hpp), so the test reads what has been written.
  void SealChangeLog();

 private:
  std::unique_ptr<TempDir> dir_;
  std::string pg_database_;
  std::string url_;
  std::unique_ptr<db::Database> db_;
};

inline auto StoreBackends() {
  return ::testing::Values(db::Backend::kSqlite, db::Backend::kPostgres);
}

/// "Sqlite" or "Postgres", for test names.
std::string BackendName(const ::testing::TestParamInfo<db::Backend>& info);

}  // namespace nemis::testing

namespace nemis::db {
/// Lets GTest print a back end by name (found by argument-dependent lookup).
inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::kSqlite ? "Sqlite" : "Postgres");
}
}  // namespace nemis::db

/// Instantiates a StoreTest-derived suite on both back ends.
#define NEMIS_STORE_TEST_SUITE(suite)                                      \
  INSTANTIATE_TEST_SUITE_P(Both, suite, ::nemis::testing::StoreBackends(), \
                           ::nemis::testing::BackendName)
