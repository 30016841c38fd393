#include "db/sql_builder.hpp"

#include <stdexcept>

namespace nemis::db {

SqlBuilder& SqlBuilder::Add(std::string_view fragment, std::initializer_list<Param> params) {
  return Add(fragment, std::span<const Param>(params.begin(), params.size()));
}

SqlBuilder& SqlBuilder::Add(std::string_view fragment, std::span<const Param> params) {
  size_t used = 0;
  for (char c : fragment) {
    if (c != '?') {
      sql_ += c;
      continue;
    }
    if (used == params.size()) throw std::logic_error("SqlBuilder: more '?' than parameters");
    params_.push_back(params[used++]);
    sql_ += '$' + std::to_string(params_.size());
  }
  if (used != params.size()) throw std::logic_error("SqlBuilder: more parameters than '?'");
  return *this;
}

}  // namespace nemis::db
