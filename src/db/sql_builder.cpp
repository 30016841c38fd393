#include "db/sql_builder.hpp"

#include <stdexcept>

namespace nemis::db {

SqlBuilder& SqlBuilder::Add(std::string_view fragment, std::initializer_list<Param> params) {
  return Add(fragment, std::span<const Param>(params.begin(), params.size()));
}

SqlBuilder& SqlBuilder::Add(std::string_view fragment, std::span<const Param> params) {
  size_t used = 0;
  for (size_t mark = fragment.find('?'); mark != std::string_view::npos; mark = fragment.find('?')) {
    if (used == params.size()) throw std::logic_error("SqlBuilder: more '?' than parameters");
    sql_.append(fragment.substr(0, mark));
    params_.push_back(params[used++]);
    sql_ += '$';
    sql_ += std::to_string(params_.size());
    fragment.remove_prefix(mark + 1);
  }
  sql_.append(fragment);
  if (used != params.size()) throw std::logic_error("SqlBuilder: more parameters than '?'");
  return *this;
}

}  // namespace nemis::db
