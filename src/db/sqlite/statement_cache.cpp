#include "db/sqlite/statement_cache.hpp"

#include <cctype>

#include "db/sqlite/placeholders.hpp"
#include "db/sqlite/sqlite_errors.hpp"

namespace nemis::db::sqlite {
namespace {

// True when `tail` (what follows the first statement) holds only blanks, semicolons
// and comments.
bool OnlyTrivia(sqlite3* db, const char* tail) {
  while (*tail != '\0' && (std::isspace(static_cast<unsigned char>(*tail)) || *tail == ';')) ++tail;
  if (*tail == '\0') return true;
  sqlite3_stmt* extra = nullptr;
  int rc = sqlite3_prepare_v2(db, tail, -1, &extra, nullptr);
  bool trivial = rc == SQLITE_OK && extra == nullptr;
  sqlite3_finalize(extra);
  return trivial;
}

}  // namespace

Result<sqlite3_stmt*> PrepareStatement(sqlite3* db, std::string_view sql) {
  std::string translated = TranslatePlaceholders(sql);
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db, translated.c_str(), static_cast<int>(translated.size() + 1),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return SqliteError(db, "prepare");
  if (stmt == nullptr) return Error::Internal("prepare: the SQL holds no statement");
  if (!OnlyTrivia(db, tail)) {
    sqlite3_finalize(stmt);
    return Error::Internal("prepare: Query runs one statement; use ExecScript for several");
  }
  return stmt;
}

Result<sqlite3_stmt*> StatementCache::Get(sqlite3* db, std::string_view sql) {
  if (auto it = index_.find(sql); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->stmt;
  }
  NEMIS_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, PrepareStatement(db, sql));
  if (lru_.size() >= capacity_) {
    index_.erase(lru_.back().sql);
    sqlite3_finalize(lru_.back().stmt);
    lru_.pop_back();
  }
  lru_.push_front(Entry{std::string(sql), stmt});
  index_.emplace(lru_.front().sql, lru_.begin());
  return stmt;
}

void StatementCache::Clear() {
  for (auto& entry : lru_) sqlite3_finalize(entry.stmt);
  index_.clear();
  lru_.clear();
}

}  // namespace nemis::db::sqlite
