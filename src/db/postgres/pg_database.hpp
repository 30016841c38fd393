// The PostgreSQL store: a connection pool; each WithReader/WithWriter is one
// transaction on a leased connection, run again when PostgreSQL reports a
// serialization failure or deadlock.
#pragma once

#include <memory>
#include <string>

#include "db/database.hpp"
#include "db/internal/store_metrics.hpp"
#include "db/postgres/pg_pool.hpp"

namespace nemis::db::postgres {

class PgDatabase final : public Database {
 public:
  /// Opens the pool and one connection, so a bad URL or a dead server fails here.
  static Result<std::unique_ptr<Database>> Open(const std::string& url, const Options& options);

  Backend backend() const override { return Backend::kPostgres; }
  Status WithReader(const std::function<Status(Connection&)>& work) override;
  Status WithRawWriter(const std::function<Status(Connection&)>& work) override;
  Status Ping() override;

 protected:
  Status RunWriteTransaction(const std::function<Status(Connection&)>& work) override;

 private:
  PgDatabase(const std::string& url, const Options& options)
      : pool_(url, options.pool_size, options.busy_timeout_ms) {}
  Status RunTransaction(std::string_view begin, const std::function<Status(Connection&)>& work);
  Status RunOnce(PgConnection& connection, std::string_view begin,
                 const std::function<Status(Connection&)>& work);

  PgPool pool_;
  StoreMetrics metrics_{"postgres"};
};

}  // namespace nemis::db::postgres
