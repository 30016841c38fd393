// The fields of an award list row that are not codes: the amount in 元 and the school year.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/date.hpp"

namespace nemis::aid {

/// "1500", "1500.5" or "1500.00" 元 → 150000 fen; nullopt for anything else (signs, grouping
/// commas, more than two decimals, zero, more than 1,000,000 元).
std::optional<int64_t> ParseYuan(std::string_view text);
/// 150000 → "1500.00".
std::string FormatYuan(int64_t fen);

/// The school year a day falls in: it starts on 1 September (2026-12-07 → 2026).
int SchoolYearOf(const Date& day);
/// "2026" or "2026-2027" (also "2026-2027学年") → 2026; nullopt for anything else.
std::optional<int> ParseSchoolYear(std::string_view text);

}  // namespace nemis::aid
