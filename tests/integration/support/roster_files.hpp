// Small rosters written by the tests for import cases, and reading import reports.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "test_data.hpp"

namespace nemis::it {

/// The columns of RosterRow, in order.
inline constexpr const char* kRosterHeader =
    "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系,家庭住址\n";

/// The cells of one valid roster row (grade 3, class 1) at `school`.
std::vector<std::string> RosterCells(const School& school, const std::string& name,
                                     const IdSource::Person& p, const std::string& address = "");
/// RosterCells as a CSV line.
std::string RosterRow(const School& school, const std::string& name, const IdSource::Person& p,
                      const std::string& address = "");

/// One report error as (line, field, column, code), for exact comparisons.
using ErrorKey = std::tuple<uint64_t, std::string, std::string, std::string>;
std::vector<ErrorKey> ErrorKeys(const nlohmann::json& report);

/// One report error as (line, field, code), where the column does not matter.
using LineFieldCode = std::tuple<uint64_t, std::string, std::string>;
std::vector<LineFieldCode> LineFieldCodes(const nlohmann::json& report);

/// Parses a JSON report file; a JSON null when missing or not JSON.
nlohmann::json ReadReport(const std::string& path);

}  // namespace nemis::it
