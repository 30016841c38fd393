#include "db/postgres/pg_connection.hpp"

#include <algorithm>

#include "base/log.hpp"
#include "db/postgres/pg_copy_inserter.hpp"
#include "db/postgres/pg_errors.hpp"
#include "db/postgres/pg_result_set.hpp"

namespace nemis::db::postgres {
namespace {

// Prepared statements live in server memory; beyond this many (SQL built at run
// time) the cache starts afresh.
constexpr size_t kMaxPrepared = 1024;
constexpr const char* kDeallocateAll = "DEALLOCATE ALL";
// A statement of more values than this (an IN list over a batch, a multi-row insert) is not
// prepared but planned for its values each time it runs. A generic plan PostgreSQL settles
// on while a table is small (a node filling an empty store) is kept once the table has
// grown: a batch's holder lookup on the national node scanned every student of the type for
// each of 500 values, 33 s of a 50 s catch-up of 300,000 students. Planning 500 values costs
// under 2 ms. (Unprepared, the statement also escapes libpq's 30,000-byte limit on the
// message describing a prepared statement's parameters, 7,498 of them.)
constexpr size_t kMostPreparedParams = 64;
// The protocol counts a statement's parameters in 16 bits.
constexpr size_t kMaxParams = 65535;

void IgnoreNotice(void*, const char*) {}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& url,
                                                            int connect_timeout_ms) {
  std::string timeout = std::to_string(std::max(2, (connect_timeout_ms + 999) / 1000));
  // Our defaults first: with expand_dbname the URL's own settings override them.
  const char* keys[] = {"client_encoding", "application_name", "connect_timeout", "dbname",
                        nullptr};
  const char* values[] = {"UTF8", "nemis", timeout.c_str(), url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (conn == nullptr) return Error::Unavailable("cannot allocate a PostgreSQL connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    Error error = PgError(nullptr, conn);
    PQfinish(conn);
    return error;
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Status PgConnection::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return {};
  log::Warn("store_reconnect", {{"backend", "postgres"}});
  prepared_.clear();
  held_.clear();
  copy_active_ = false;
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return PgError(nullptr, conn_);
  return {};
}

Error PgConnection::Fail(const PGresult* result) {
  std::string sqlstate = SqlStateOf(result);
  if (IsRetryableSqlState(sqlstate)) retryable_failure_ = true;
  return Fail(PgError(result, conn_));
}

Error PgConnection::Fail(Error error) {
  if (!first_failure_) first_failure_ = error;
  return error;
}

Status PgConnection::CheckIdle() {
  if (copy_active_) return Fail(Error::Internal("a bulk insert is in progress on this connection"));
  return {};
}

Result<const PgConnection::Prepared*> PgConnection::Prepare(std::string_view sql, bool may_reset) {
  std::string key(sql);
  if (auto it = prepared_.find(key); it != prepared_.end()) return &it->second;
  if (may_reset && prepared_.size() >= kMaxPrepared && !TransactionFailed()) {
    PgResultPtr cleared(PQexec(conn_, kDeallocateAll));
    if (PQresultStatus(cleared.get()) == PGRES_COMMAND_OK) prepared_.clear();
  }
  std::string name = "nemis_" + std::to_string(++next_statement_);
  PgResultPtr prepared(PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr));
  if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) return Fail(prepared.get());
  // The parameter count, so a wrong number of values is a clear error here rather
  // than a protocol violation from the server.
  PgResultPtr described(PQdescribePrepared(conn_, name.c_str()));
  if (PQresultStatus(described.get()) != PGRES_COMMAND_OK) return Fail(described.get());
  auto [it, inserted] =
      prepared_.emplace(std::move(key), Prepared{std::move(name), PQnparams(described.get())});
  return &it->second;
}

Result<const PgConnection::Prepared*> PgConnection::PrepareFor(std::string_view sql, size_t values,
                                                               bool may_reset) {
  NEMIS_ASSIGN_OR_RETURN(const Prepared* stmt, Prepare(sql, may_reset));
  if (static_cast<size_t>(stmt->params) != values) {
    return Fail(Error::Internal("the statement takes " + std::to_string(stmt->params) +
                                " parameters, " + std::to_string(values) + " given"));
  }
  return stmt;
}

Error PgConnection::FailStatement(const PGresult* result, const std::string& sql) {
  // A plan cached before a schema change can refuse to run ("cached plan must not
  // change result type"): prepare afresh next time.
  if (SqlStateOf(result) == "0A000") prepared_.erase(sql);
  return Fail(result);
}

Result<ResultSet> PgConnection::QueryPlannedForValues(std::string_view sql,
                                                      std::span<const Param> params) {
  if (params.size() > kMaxParams) {
    return Fail(Error::Internal("a statement of " + std::to_string(params.size()) +
                                " parameters: at most " + std::to_string(kMaxParams) +
                                " are taken on PostgreSQL"));
  }
  if (!held_.empty()) NEMIS_TRY(RoundTrip(std::nullopt));
  const std::string command(sql);
  PgTextParams text(params);
  PgResultPtr result(PQexecParams(conn_, command.c_str(), static_cast<int>(params.size()), nullptr,
                                  text.Pointers().data(), nullptr, nullptr, 0));
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return Fail(result.get());
  return CollectResult(result.get());
}

Result<ResultSet> PgConnection::Query(std::string_view sql, std::span<const Param> params) {
  NEMIS_TRY(CheckIdle());
  if (params.size() > kMostPreparedParams) return QueryPlannedForValues(sql, params);
  if (!held_.empty()) return RoundTrip(Held::Statement(sql, params));
  NEMIS_ASSIGN_OR_RETURN(const Prepared* stmt, PrepareFor(sql, params.size()));
  PgTextParams text(params);
  PgResultPtr result(PQexecPrepared(conn_, stmt->name.c_str(), stmt->params, text.Pointers().data(),
                                    nullptr, nullptr, 0));
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    return FailStatement(result.get(), std::string(sql));
  return CollectResult(result.get());
}

Status PgConnection::ExecScript(std::string_view sql) {
  NEMIS_TRY(CheckIdle());
  NEMIS_TRY(SendDeferred());
  std::string script(sql);
  PgResultPtr result(PQexec(conn_, script.c_str()));
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && status != PGRES_EMPTY_QUERY) {
    return Fail(result.get());
  }
  return {};
}

Result<std::unique_ptr<BulkInserter>> PgConnection::BeginBulkInsert(
    std::string_view table, std::span<const std::string> columns) {
  NEMIS_TRY(CheckIdle());
  NEMIS_TRY(SendDeferred());
  return PgCopyInserter::Begin(*this, table, columns);
}

}  // namespace nemis::db::postgres
