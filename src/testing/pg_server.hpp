// A throwaway PostgreSQL 15 server: initdb (from a cached template) into a fresh temporary
// directory, trust authentication on a free loopback port, fsync off; stopped and deleted
// when the object goes, or by a watchdog if the process dies first. PgCluster is one of
// them shared by the whole test process; tests that need several servers (a national node
// and its shards, exchange/student_partitions.hpp) start more.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "db/database.hpp"
#include "testing/initdb_template.hpp"

namespace nemis::testing {

class PgServer {
 public:
  /// Starts a server, or with `honour_url_variable` and NEMIS_TEST_PG_URL set uses that one.
  /// Throws std::runtime_error saying why when it cannot start.
  explicit PgServer(bool honour_url_variable = false);
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  /// The URL of database `db` on the server.
  std::string Url(const std::string& db) const;
  /// Runs `sql` on the postgres database outside a transaction; throws on failure.
  void Exec(const std::string& sql);
  /// Creates an empty database `name` and returns its URL.
  std::string CreateDatabase(const std::string& name);
  /// Drops `name`, closing any connections still open to it.
  void DropDatabase(const std::string& name);

 private:
  void StartLocal();
  void MakeTempDir();
  bool StartServer(int port, std::string* log);

  InitDbSettings settings_;
  std::string dir_;
  std::string base_url_;
  pid_t watchdog_ = -1;
  int watchdog_fd_ = -1;
  std::unique_ptr<db::Database> admin_;
};

}  // namespace nemis::testing
