#include "db/sql_builder.hpp"

#include <algorithm>
#include <stdexcept>

namespace nemis::db {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

SqlBuilder& SqlBuilder::Add(std::string_view fragment, std::initializer_list<Param> params) {
  return Add(fragment, std::span<const Param>(params.begin(), params.size()));
}

SqlBuilder& SqlBuilder::Add(std::string_view fragment, std::span<const Param> params) {
  const size_t before = params_.size();
  size_t highest = 0;
  for (size_t i = 0; i < fragment.size(); ++i) {
    if (fragment[i] != '$' || i + 1 == fragment.size() || !IsDigit(fragment[i + 1])) {
      sql_ += fragment[i];
      continue;
    }
    size_t n = 0;
    for (++i; i < fragment.size() && IsDigit(fragment[i]); ++i)
      n = n * 10 + static_cast<size_t>(fragment[i] - '0');
    --i;
    if (n == 0 || n > params.size())
      throw std::logic_error("SqlBuilder: $" + std::to_string(n) +
                             " has no parameter in: " + std::string(fragment));
    highest = std::max(highest, n);
    sql_ += '$';
    sql_ += std::to_string(before + n);
  }
  if (highest != params.size())
    throw std::logic_error("SqlBuilder: a parameter has no placeholder in: " +
                           std::string(fragment));
  params_.insert(params_.end(), params.begin(), params.end());
  return *this;
}

}  // namespace nemis::db
