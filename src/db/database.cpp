#include "db/database.hpp"

#include <cctype>

#include "db/postgres/pg_database.hpp"
#include "db/sqlite/sqlite_database.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr std::string_view kPostgresqlPrefix = "postgresql://";
constexpr std::string_view kPostgresPrefix = "postgres://";

// The scheme alone, for error messages: the rest of a URL may hold a password.
std::string SchemeOf(const std::string& url) {
  size_t colon = url.find(':');
  if (colon == std::string::npos) return "(none)";
  std::string scheme = url.substr(0, colon);
  bool plausible = !scheme.empty() && std::isalpha(static_cast<unsigned char>(scheme[0]));
  for (char c : scheme) {
    plausible = plausible &&
                (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.');
  }
  return plausible ? scheme : "(unreadable)";
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, const Options& options) {
  if (url.starts_with(kSqlitePrefix))
    return sqlite::SqliteDatabase::Open(url.substr(kSqlitePrefix.size()), options);
  if (url.starts_with(kPostgresqlPrefix) || url.starts_with(kPostgresPrefix)) {
    return postgres::PgDatabase::Open(url, options);
  }
  return Error::BadRequest("bad_store_url", "unsupported store URL scheme \"" + SchemeOf(url) +
                                                "\": use sqlite:PATH or postgresql://...");
}

Status Database::WithWriter(const std::function<Status(Connection&)>& work,
                            WriteAttachment* attachment) {
  if (attachment == nullptr) return RunWriteTransaction(work);
  // The attachment outlives this call, which waits while the transaction (on SQLite, on
  // the group-commit writer's thread; on PostgreSQL, retried after a serialization
  // failure) runs it.
  Status result = RunWriteTransaction([&](Connection& c) -> Status {
    NEMIS_TRY(work(c));
    return attachment->Run(c);
  });
  if (result.ok()) attachment->Committed();
  return result;
}

}  // namespace nemis::db
