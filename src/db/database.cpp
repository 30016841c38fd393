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
    plausible = plausible && (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.');
  }
  return plausible ? scheme : "(unreadable)";
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, const Options& options) {
  if (url.starts_with(kSqlitePrefix)) return sqlite::SqliteDatabase::Open(url.substr(kSqlitePrefix.size()), options);
  if (url.starts_with(kPostgresqlPrefix) || url.starts_with(kPostgresPrefix)) {
    return postgres::PgDatabase::Open(url, options);
  }
  return Error::BadRequest("bad_store_url", "unsupported store URL scheme \"" + SchemeOf(url) +
                                                "\": use sqlite:PATH or postgresql://...");
}

}  // namespace nemis::db
