// SQLite result codes as store errors: unique violations are conflicts the caller
// can report, other constraint failures invalid data, I/O and lock trouble
// "store unavailable"; anything else is a bug in the statement (internal).
#pragma once

#include <sqlite3.h>

#include <string_view>

#include "base/result.hpp"

namespace nemis::db::sqlite {

/// The error for a failed call on `db` (uses its extended error code and message).
Error SqliteError(sqlite3* db, std::string_view context = {});

/// The error for an extended result code and message.
Error SqliteError(int extended_code, std::string_view message);

}  // namespace nemis::db::sqlite
