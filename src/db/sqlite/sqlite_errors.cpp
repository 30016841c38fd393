#include "db/sqlite/sqlite_errors.hpp"

#include <string>

#include "db/database.hpp"

namespace nemis::db::sqlite {

Error SqliteError(int extended_code, std::string_view message) {
  std::string text(message);
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      // SQLite names the columns ("UNIQUE constraint failed: t.a, t.b"), never the values.
      return Error::Conflict(std::string(kUniqueViolation), text);
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return Error{ErrorKind::kInvalid, "constraint_violation", text, {}};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_READONLY:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error::Unavailable(text);
    default:
      return Error::Internal(text);
  }
}

Error SqliteError(sqlite3* db, std::string_view context) {
  std::string message = sqlite3_errmsg(db);
  if (!context.empty()) message = std::string(context) + ": " + message;
  return SqliteError(sqlite3_extended_errcode(db), message);
}

}  // namespace nemis::db::sqlite
