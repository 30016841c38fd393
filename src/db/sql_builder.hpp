// Builds a statement with a variable set of conditions. Every statement in NEMIS uses
// PostgreSQL-style placeholders ($1, $2, ...), fragments too: a fragment's $1..$n are
// its own, numbered after those of the fragments before it, and take its parameters in
// order.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace nemis::db {

class SqlBuilder {
 public:
  SqlBuilder() = default;
  explicit SqlBuilder(std::string_view head, std::initializer_list<Param> params = {}) {
    Add(head, params);
  }

  /// Appends `fragment`; its $1..$n take `params` (each parameter used at least once).
  SqlBuilder& Add(std::string_view fragment, std::initializer_list<Param> params = {});
  SqlBuilder& Add(std::string_view fragment, std::span<const Param> params);

  const std::string& sql() const { return sql_; }
  std::span<const Param> params() const { return params_; }

 private:
  std::string sql_;
  std::vector<Param> params_;
};

}  // namespace nemis::db
