// Prepared statements of one SQLite connection, keyed by the caller's SQL text and
// evicted least-recently-used beyond a cap (SQL built at run time, e.g. IN lists of
// varying length, must not grow the cache without bound).
#pragma once

#include <sqlite3.h>

#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.hpp"

namespace nemis::db::sqlite {

class StatementCache {
 public:
  static constexpr size_t kDefaultCapacity = 256;

  explicit StatementCache(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}
  ~StatementCache() { Clear(); }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  /// The statement for `sql` ($N placeholders), prepared on first use. The cache owns
  /// it; it stays valid until `capacity` other statements have been used since.
  Result<sqlite3_stmt*> Get(sqlite3* db, std::string_view sql);
  void Clear();
  size_t size() const { return lru_.size(); }

 private:
  struct Entry {
    std::string sql;
    sqlite3_stmt* stmt;
  };
  size_t capacity_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // views Entry::sql
};

/// Prepares one statement with $N placeholders; the caller finalizes it.
Result<sqlite3_stmt*> PrepareStatement(sqlite3* db, std::string_view sql);

}  // namespace nemis::db::sqlite
