// One libpq connection: statements prepared once (PQprepare, named by a counter) and
// cached by SQL text, executed with PQexecPrepared in text format; one of many values (an IN
// list over a batch) is planned for its values each time instead (pg_connection.cpp). It also
// remembers the first failure of the current transaction, because after any error PostgreSQL aborts
// the whole transaction and turns a later COMMIT into a silent ROLLBACK.
//
// Round trips: a transaction's BEGIN and the statements whose results nobody reads
// (Defer: outbox rows, audit entries) are held and sent in pipeline mode together with
// the next statement or the COMMIT (pg_connection_pipeline.cpp). A registration then
// costs four round trips instead of nine.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/database.hpp"
#include "db/postgres/pg_text_params.hpp"

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
  Status Defer(std::string_view sql, std::span<const Param> params,
               const DeferredFailure& on_failure) override;
  using Connection::Defer;
  Status ExecScript(std::string_view sql) override;
  Result<std::unique_ptr<BulkInserter>> BeginBulkInsert(
      std::string_view table, std::span<const std::string> columns) override;

  /// Reconnects when the connection was lost; prepared statements are then forgotten.
  Status EnsureConnected();
  /// Holds `begin` (BEGIN ...) for the transaction's first round trip. Should that round
  /// trip find the connection dead (an idle pooled connection after a server restart),
  /// it reconnects and sends it once more: nothing of the transaction has run.
  void DeferBegin(std::string_view begin);
  /// Sends what is held and then `command` (one statement without parameters: COMMIT)
  /// in one round trip.
  Status ExecCommand(std::string_view command);
  /// Sends what is held, if anything.
  Status SendDeferred();
  /// Forgets what is held: the transaction is being abandoned.
  void DropDeferred() { held_.clear(); }

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
  // A statement held for the next round trip: prepared SQL (by its text, so that a
  // reconnect can prepare it again) with its values, or a command without parameters.
  struct Held {
    static Held Statement(std::string_view sql, std::span<const Param> params,
                          const DeferredFailure& on_failure = {}) {
      Held held;
      held.sql = sql;
      held.params = PgTextParams(params);
      held.on_failure = on_failure;
      return held;
    }
    static Held Command(std::string_view command, bool begins_transaction = false) {
      Held held;
      held.command = command;
      held.begins_transaction = begins_transaction;
      return held;
    }
    std::string sql;
    PgTextParams params;
    std::string command;
    bool begins_transaction = false;
    DeferredFailure on_failure;
  };
  // Beyond this many held statements the next Defer sends them first.
  static constexpr size_t kMaxHeld = 64;

  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  // `may_reset`: the cache may be emptied to make room (not while other statements of
  // one pipeline are being prepared: they would lose their names).
  Result<const Prepared*> Prepare(std::string_view sql, bool may_reset = true);
  Result<const Prepared*> PrepareFor(std::string_view sql, size_t values, bool may_reset = true);
  Status CheckIdle();
  // Query for a statement of many values: held statements sent first, then this one
  // unprepared, planned for its values.
  Result<ResultSet> QueryPlannedForValues(std::string_view sql, std::span<const Param> params);
  // What is held, then `last` (if any), in one pipeline; the last one's rows, or the
  // first failure (pg_connection_pipeline.cpp).
  Result<ResultSet> RoundTrip(std::optional<Held> last);
  Result<ResultSet> SendPipeline(const std::vector<Held>& batch);
  Result<ResultSet> ReadPipeline(const std::vector<Held>& batch);
  // A failed statement's result: recorded as the transaction's failure.
  Error FailStatement(const PGresult* result, const std::string& sql);

  PGconn* conn_;
  std::unordered_map<std::string, Prepared> prepared_;
  uint64_t next_statement_ = 0;
  std::vector<Held> held_;
  bool copy_active_ = false;
  bool retryable_failure_ = false;
  std::optional<Error> first_failure_;
};

}  // namespace nemis::db::postgres
