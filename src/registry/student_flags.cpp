#include "registry/student_flags.hpp"

#include <array>

namespace nemis::registry {
namespace {

struct Flag {
  std::string_view name;
  std::string_view condition;
};

// The names are the statistics dimensions' (student_stats.cpp); 0 or absent means "no".
constexpr std::array<Flag, 6> kFlags = {{
    {"leftBehind", "s.left_behind > 0"},
    {"migrantChild", "s.migrant_child > 0"},
    {"orphan", "s.orphan > 0"},
    {"martyrChild", "s.martyr_child > 0"},
    {"inRegularClass", "s.in_regular_class > 0"},
    {"disabled", "s.disability_type IS NOT NULL"},
}};

}  // namespace

std::optional<std::string_view> FlagCondition(std::string_view flag) {
  for (const Flag& f : kFlags)
    if (f.name == flag) return f.condition;
  return std::nullopt;
}

std::string_view FlagNames() {
  return "leftBehind、migrantChild、orphan、martyrChild、inRegularClass、disabled";
}

}  // namespace nemis::registry
