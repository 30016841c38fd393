#include "db/postgres/pg_connection.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <vector>

#include "base/log.hpp"
#include "db/internal/value_format.hpp"
#include "db/postgres/pg_copy_inserter.hpp"
#include "db/postgres/pg_errors.hpp"

namespace nemis::db::postgres {
namespace {

// Prepared statements live in server memory; beyond this many (SQL built at run
// time) the cache starts afresh.
constexpr size_t kMaxPrepared = 1024;
constexpr const char* kDeallocateAll = "DEALLOCATE ALL";

// Type OIDs from pg_type.h (stable across releases; the header is server-side).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

enum class ColumnKind { kInt, kReal, kBool, kText };

ColumnKind KindOf(Oid type) {
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return ColumnKind::kInt;
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
      return ColumnKind::kReal;
    case kBoolOid:
      return ColumnKind::kBool;
    default:
      return ColumnKind::kText;
  }
}

Value ConvertValue(ColumnKind kind, const char* text, int length) {
  switch (kind) {
    case ColumnKind::kInt: {
      int64_t v = 0;
      std::from_chars(text, text + length, v);
      return v;
    }
    case ColumnKind::kReal:  // strtod reads PostgreSQL's "NaN" and "Infinity" too
      return std::strtod(text, nullptr);
    case ColumnKind::kBool:
      return int64_t{text[0] == 't' ? 1 : 0};
    case ColumnKind::kText:
      return std::string(text, static_cast<size_t>(length));
  }
  return std::monostate{};
}

ResultSet Collect(PGresult* result) {
  ResultSet out;
  int nrows = PQntuples(result);
  int ncols = PQnfields(result);
  std::vector<ColumnKind> kinds;
  for (int c = 0; c < ncols; ++c) {
    out.columns.emplace_back(PQfname(result, c));
    kinds.push_back(KindOf(PQftype(result, c)));
  }
  out.rows.reserve(static_cast<size_t>(nrows));
  for (int r = 0; r < nrows; ++r) {
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(result, r, c)) {
        values.emplace_back(std::monostate{});
      } else {
        values.push_back(ConvertValue(kinds[static_cast<size_t>(c)], PQgetvalue(result, r, c),
                                      PQgetlength(result, r, c)));
      }
    }
    out.rows.emplace_back(std::move(values));
  }
  // PQcmdTuples counts returned rows for SELECT too; `affected` means changed rows.
  std::string_view status = PQcmdStatus(result);
  if (!status.starts_with("SELECT")) out.affected = std::atoll(PQcmdTuples(result));
  return out;
}

// Text-format parameters must be NUL-terminated: copy them, numbers formatted, into
// one buffer and point into it once it has stopped growing.
class TextParams {
 public:
  explicit TextParams(std::span<const Param> params) {
    std::vector<size_t> offsets;
    for (const Param& p : params) {
      offsets.push_back(buffer_.size());
      const auto& v = p.get();
      if (const auto* n = std::get_if<int64_t>(&v)) AppendInt(buffer_, *n);
      if (const auto* d = std::get_if<double>(&v)) AppendDouble(buffer_, *d);
      if (const auto* s = std::get_if<std::string_view>(&v)) buffer_.append(*s);
      buffer_.push_back('\0');
    }
    for (size_t i = 0; i < params.size(); ++i) {
      pointers_.push_back(params[i].IsNull() ? nullptr : buffer_.data() + offsets[i]);
    }
  }
  const char* const* values() const { return pointers_.data(); }

 private:
  std::string buffer_;
  std::vector<const char*> pointers_;
};

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

Result<const PgConnection::Prepared*> PgConnection::Prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = prepared_.find(key); it != prepared_.end()) return &it->second;
  if (prepared_.size() >= kMaxPrepared && !TransactionFailed()) {
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

Result<ResultSet> PgConnection::Query(std::string_view sql, std::span<const Param> params) {
  NEMIS_TRY(CheckIdle());
  NEMIS_ASSIGN_OR_RETURN(const Prepared* stmt, Prepare(sql));
  if (static_cast<size_t>(stmt->params) != params.size()) {
    return Fail(Error::Internal("the statement takes " + std::to_string(stmt->params) +
                                " parameters, " + std::to_string(params.size()) + " given"));
  }
  TextParams text(params);
  PgResultPtr result(
      PQexecPrepared(conn_, stmt->name.c_str(), stmt->params, text.values(), nullptr, nullptr, 0));
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    // A plan cached before a schema change can refuse to run ("cached plan must not
    // change result type"): prepare afresh next time.
    if (SqlStateOf(result.get()) == "0A000") prepared_.erase(std::string(sql));
    return Fail(result.get());
  }
  return Collect(result.get());
}

Status PgConnection::ExecScript(std::string_view sql) {
  NEMIS_TRY(CheckIdle());
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
  return PgCopyInserter::Begin(*this, table, columns);
}

}  // namespace nemis::db::postgres
