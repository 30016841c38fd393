// PostgreSQL failures as store errors, by SQLSTATE: 23505 is a conflict the caller
// can report, other class-23 failures and bad values invalid data, lost connections
// and resource exhaustion "store unavailable"; anything else a bug (internal).
#pragma once

#include <libpq-fe.h>

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace nemis::db::postgres {

/// The error of a failed result (`result` may be null: then the connection's message).
Error PgError(const PGresult* result, PGconn* conn);

/// The error for a SQLSTATE and message.
Error ErrorForSqlState(std::string_view sqlstate, std::string message);

/// Serialization failures and deadlocks: the transaction may succeed if run again.
bool IsRetryableSqlState(std::string_view sqlstate);

/// The SQLSTATE of a failed result, or "" when the failure was on the client side.
std::string SqlStateOf(const PGresult* result);

}  // namespace nemis::db::postgres
