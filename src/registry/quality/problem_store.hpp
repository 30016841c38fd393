// Keeps a scan's findings in problem_record. A rescan is idempotent: a finding already
// stored gets its last_seen, score and details refreshed and keeps its state and any
// decision on it (resolved stays resolved; a gone finding found again is open again); a
// new one is added open; an open finding the scan no longer makes, wholly inside the
// scanned subtree, becomes gone. Written in batches, one transaction each: a scan killed
// half-way leaves findings refreshed or not, never a half-written row, and the next scan
// completes the picture.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/quality/finding.hpp"
#include "registry/quality/scan_source.hpp"

namespace nemis::registry::quality {

struct SaveCounts {
  int64_t stored = 0;  // findings written (new or refreshed)
  int64_t added = 0;   // of them new
  int64_t gone = 0;    // open findings no longer made
};

/// `now` (FormatUtc) marks this scan: findings it does not refresh are older.
Result<SaveCounts> SaveFindings(db::Database& db, const std::vector<Finding>& findings,
                                const std::map<int64_t, SchoolPlace>& schools,
                                const org::Scope& scanned, const std::string& now);

}  // namespace nemis::registry::quality
