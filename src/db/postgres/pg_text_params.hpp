// Statement parameters in libpq's text format: each value NUL-terminated (numbers
// formatted) in one buffer that the object owns, so a statement held for a later round
// trip (pipeline mode) keeps its values after the caller's Params are gone.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace nemis::db::postgres {

class PgTextParams {
 public:
  PgTextParams() = default;
  explicit PgTextParams(std::span<const Param> params);

  int size() const { return static_cast<int>(offsets_.size()); }
  /// One pointer per value (null for NULL), into this object: valid while it is unchanged.
  std::vector<const char*> Pointers() const;

 private:
  static constexpr size_t kNull = std::string::npos;
  std::string buffer_;
  std::vector<size_t> offsets_;
};

}  // namespace nemis::db::postgres
