// A foreign key checks each inserted row with a query of its own, which also locks the
// row it references; adding the constraint after a load checks every row in one join
// (2 million students: 9 s of checks during the load against 0.8 s after it).
// DeferredForeignKeys drops a table's foreign keys inside the current transaction and
// adds them back from their own definitions, so a load that fails or is killed rolls
// back to the constraints exactly as they were. PostgreSQL only: SQLite's foreign keys
// belong to the table's definition, and cost it one primary-key probe per row.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::db {

class DeferredForeignKeys {
 public:
  /// Drops the foreign keys of `table` (none on SQLite). Call inside a write transaction.
  static Result<DeferredForeignKeys> Drop(Connection& c, std::string_view table);

  /// Adds them back in the same transaction. Rows referencing nothing make it fail
  /// with kInvalid "constraint_violation".
  Status Restore(Connection& c) const;

  /// Names of the dropped constraints.
  std::vector<std::string> names() const;

 private:
  struct Constraint {
    std::string name, definition;
  };
  std::string table_;
  std::vector<Constraint> constraints_;
};

}  // namespace nemis::db
