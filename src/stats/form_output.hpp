// A filled-in form as the API and the CLI give it: JSON (cells, notes, checks) and CSV
// (the form's grid: 指标名称, 代码, then one column per column of the form; an empty cell
// cannot be computed, "-" does not apply).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "stats/form_table.hpp"

namespace nemis::stats {

nlohmann::ordered_json FormJson(const FormTable& table);
/// A cell as FormJson writes it: the count, null (cannot be computed) or "-" (does not apply).
nlohmann::ordered_json FormCellJson(const FormCell& cell);
std::string FormCsv(const FormTable& table);

}  // namespace nemis::stats
