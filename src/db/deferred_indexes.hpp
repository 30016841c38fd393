// Loading many rows into a table with its indexes in place inserts every row into
// every index B-tree at a random place; building each index once over the loaded
// rows is a sort and an append, several times cheaper. DeferredIndexes drops a
// table's secondary indexes inside the current transaction and rebuilds them from
// their own stored definitions, so a load that fails or is killed rolls back to the
// table and indexes exactly as they were.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::db {

class DeferredIndexes {
 public:
  /// Drops every index of `table` except the one backing its primary key and those
  /// named in `keep` (ones the load itself looks rows up by). Call inside a write
  /// transaction; on PostgreSQL this locks the table until the transaction ends.
  static Result<DeferredIndexes> Drop(Connection& c, std::string_view table,
                                      std::initializer_list<std::string_view> keep = {});

  /// Recreates the dropped indexes in the same transaction. A unique index over rows
  /// that repeat a key fails with kUniqueViolation.
  Status Rebuild(Connection& c) const;

  /// Names of the dropped indexes, in the order they are rebuilt.
  std::vector<std::string> names() const;

 private:
  struct Definition {
    std::string name, sql;
  };
  std::vector<Definition> indexes_;
};

}  // namespace nemis::db
