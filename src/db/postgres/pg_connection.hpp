// One libpq connection: statements prepared once (PQprepare, named by a counter) and
// cached by SQL text, executed with PQexecPrepared in text format. It also remembers
// the first failure of the current transaction, because after any error PostgreSQL
// aborts the whole transaction and turns a later COMMIT into a silent ROLLBACK.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "db/database.hpp"

namespace nemis::db::postgres {

struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

class PgConnection final : public Connection {
 public:
  /// Connects to `url` (a postgresql:// URL or libpq connection string).
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url,
                                                       int connect_timeout_ms);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Backend backend() const override { return Backend::kPostgres; }
  Result<ResultSet> Query(std::string_view sql, std::span<const Param> params) override;
  using Connection::Query;
  Status ExecScript(std::string_view sql) override;
  Result<std::unique_ptr<BulkInserter>> BeginBulkInsert(
      std::string_view table, std::span<const std::string> columns) override;

  /// Reconnects when the connection was lost; prepared statements are then forgotten.
  Status EnsureConnected();
  /// Forgets failures seen so far: call at the start of each transaction.
  void StartTransactionTracking() {
    first_failure_.reset();
    retryable_failure_ = false;
  }
  /// True when a statement failed with a serialization failure or deadlock.
  bool SawRetryableFailure() const { return retryable_failure_; }
  /// The first error in the current transaction, if any.
  const std::optional<Error>& first_failure() const { return first_failure_; }
  /// True when the server has aborted the current transaction.
  bool TransactionFailed() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

  PGconn* handle() { return conn_; }
  /// Set by a COPY in progress: no other command may run until it ends.
  void set_copy_active(bool active) { copy_active_ = active; }
  /// Records a failed result (SQLSTATE, retryability) and returns it as an Error.
  Error Fail(const PGresult* result);
  /// Records a failure found on the client side and returns it.
  Error Fail(Error error);

 private:
  struct Prepared {
    std::string name;
    int params;
  };
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  Result<const Prepared*> Prepare(std::string_view sql);
  Status CheckIdle();

  PGconn* conn_;
  std::unordered_map<std::string, Prepared> prepared_;
  uint64_t next_statement_ = 0;
  bool copy_active_ = false;
  bool retryable_failure_ = false;
  std::optional<Error> first_failure_;
};

}  // namespace nemis::db::postgres
