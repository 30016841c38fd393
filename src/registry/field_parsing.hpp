// Parsing of the text values clients send (API JSON or roster cells): codes given
// as code or name, integers, yes/no flags, phone numbers, dates in the forms Excel
// produces. Internal to the registry.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "codes/code_tables.hpp"

namespace nemis::registry::internal {

/// The code for `value` given either as a code ("01") or a name ("汉族").
std::optional<std::string_view> ParseCoded(std::string_view value, const codes::CodeTable& table);
std::optional<int> ParseInt(std::string_view value);
/// 0/1 from 0, 1, 否, 是, N, Y, false, true.
std::optional<int> ParseFlag(std::string_view value);
/// YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD (also with one-digit month or day after a separator).
std::optional<Date> ParseDateText(std::string_view value);
/// YYYY-MM from YYYY-MM, YYYYMM, YYYY/MM, YYYY-MM-DD or YYYY.MM; nullopt if invalid.
std::optional<std::string> ParseYearMonth(std::string_view value);
/// Mainland mobile (1[3-9] + 9 digits) or landline (0 + 2-3 digits, optional '-', 7-8 digits).
bool IsPhoneNumber(std::string_view value);

}  // namespace nemis::registry::internal
