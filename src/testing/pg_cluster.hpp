// A throwaway PostgreSQL 15 cluster for store tests, shared by the whole test
// process: started on first use (initdb into a fresh temporary directory, trust
// authentication on a free loopback port, fsync off), stopped and deleted when the
// process ends, however it ends. With NEMIS_TEST_PG_URL set, that server is used
// instead. Missing PostgreSQL binaries are an error, never a silent skip.
#pragma once

#include <string>
#include <string_view>

namespace nemis::testing {

class PgCluster {
 public:
  /// Starts the cluster if it is not running yet. Throws std::runtime_error saying
  /// why when it cannot start (every later call throws the same error).
  static void EnsureStarted();
  /// The URL of database `db` on the cluster.
  static std::string Url(const std::string& db);
  /// Creates an empty database `name` and returns its URL.
  static std::string CreateDatabase(const std::string& name);
  /// Drops `name`, closing any connections still open to it.
  static void DropDatabase(const std::string& name);
  /// A database name not used before by this process: prefix, pid and a counter.
  static std::string UniqueName(std::string_view prefix = "nemis_test");
};

}  // namespace nemis::testing
