// Reads the students a scan looks at (in the registry: 在读, 休学, 停学, 复学, 保留学籍)
// from the store in id ranges, one read transaction each, keeping the ScanRow of each
// and the per-student findings (record_checks.hpp) as it goes; sealed data is not opened.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/quality/finding.hpp"
#include "registry/quality/record_checks.hpp"
#include "registry/quality/scan_row.hpp"

namespace nemis::registry::quality {

/// A school's ancestor codes, stored with each finding for scoping and roll-ups.
struct SchoolPlace {
  std::string code, province;
  std::optional<std::string> county, city;
};

struct ScanData {
  std::vector<ScanRow> rows;
  std::vector<Finding> findings;  // per-student rules
  std::map<int64_t, SchoolPlace> schools;
};

/// `progress(done, of)` in ids after each range.
Status LoadScanData(db::Database& db, const org::Scope& where, const CheckRules& rules,
                    int64_t batch_ids, ScanData& out,
                    const std::function<void(int64_t, int64_t)>& progress);

}  // namespace nemis::registry::quality
