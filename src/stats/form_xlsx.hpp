// A filled-in form as an Excel workbook in the form's layout: the title, the institution
// and point in time, the 甲/乙/1..n column numbering row, the column names, then one row
// per row of the form (a cell that cannot be computed is blank, one that does not apply
// "-"), and the cross-checks that fail on a second sheet.
#pragma once

#include <string>

#include "base/result.hpp"
#include "stats/form_table.hpp"

namespace nemis::stats {

/// The workbook's bytes (written through a temporary file in `tmp_dir`, removed after).
Result<std::string> FormXlsx(const FormTable& table, const std::string& tmp_dir);

}  // namespace nemis::stats
