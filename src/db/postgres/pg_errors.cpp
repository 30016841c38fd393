#include "db/postgres/pg_errors.hpp"

#include "db/database.hpp"

namespace nemis::db::postgres {
namespace {

std::string Trimmed(const char* text) {
  std::string out = text == nullptr ? "" : text;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

bool IsUnavailableSqlState(std::string_view s) {
  return s.starts_with("08")         // connection exception
         || s.starts_with("53")      // insufficient resources (disk full, too many connections)
         || s.starts_with("57P")     // admin/crash shutdown, cannot connect now
         || s.starts_with("58")      // system error (I/O)
         || s == "57014"             // query cancelled (statement_timeout)
         || s == "55P03"             // lock not available (lock_timeout)
         || IsRetryableSqlState(s);  // still failing after the retries
}

}  // namespace

bool IsRetryableSqlState(std::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

std::string SqlStateOf(const PGresult* result) {
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state == nullptr ? "" : state;
}

Error ErrorForSqlState(std::string_view sqlstate, std::string message) {
  // The primary message names the constraint; the DETAIL line (which repeats the
  // offending values, possibly personal data) is deliberately left out.
  if (sqlstate == "23505")
    return Error::Conflict(std::string(kUniqueViolation), std::move(message));
  if (sqlstate.starts_with("23"))
    return Error{ErrorKind::kInvalid, "constraint_violation", std::move(message), {}};
  if (sqlstate.starts_with("22"))
    return Error{ErrorKind::kInvalid, "invalid_value", std::move(message), {}};
  if (sqlstate.empty() || IsUnavailableSqlState(sqlstate))
    return Error::Unavailable(std::move(message));
  return Error::Internal(std::move(message) + " (SQLSTATE " + std::string(sqlstate) + ")");
}

Error PgError(const PGresult* result, PGconn* conn) {
  std::string sqlstate = SqlStateOf(result);
  std::string message;
  if (result != nullptr) message = Trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
  if (message.empty() && result != nullptr) message = Trimmed(PQresultErrorMessage(result));
  if (message.empty()) message = Trimmed(PQerrorMessage(conn));
  if (message.empty()) message = "PostgreSQL request failed";
  // No SQLSTATE but a live connection: a client-side misuse, not an outage.
  if (sqlstate.empty() && PQstatus(conn) == CONNECTION_OK && result != nullptr) {
    return Error::Internal(std::move(message));
  }
  return ErrorForSqlState(sqlstate, std::move(message));
}

}  // namespace nemis::db::postgres
