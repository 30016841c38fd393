// The record-quality scan (一人一籍, 问题学籍) of a node or a subtree: backfills the
// columns it reads for rows older than migration 12, reads the students of the registry
// in id ranges (clear columns and blind indexes only: sealed data stays sealed), finds
// suspected duplicates (duplicate_finder.hpp) and problem records (record_checks.hpp,
// overdue_cases.hpp), and keeps them in problem_record (problem_store.hpp: idempotent,
// decisions survive). A subtree scan compares students inside the subtree only; pairs
// across its border are the whole-node scan's.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/quality/pair_score.hpp"
#include "registry/quality/problem_kind.hpp"
#include "registry/quality/problem_store.hpp"

namespace nemis::registry::quality {

struct ScanOptions {
  org::Scope where;                                      // the node (Everything) or a subtree
  int duplicate_threshold = kDefaultDuplicateThreshold;  // registry.duplicate_threshold
  int temp_number_max_days = 365;                        // registry.temp_number_max_days
  int age_tolerance_years = 2;                           // registry.age_tolerance_years
  int64_t batch_ids = 100000;                            // id range per read
};

struct ScanReport {
  int64_t students = 0;                  // students scanned
  int64_t backfilled = 0;                // rows whose quality columns were filled first
  std::map<ProblemKind, int64_t> kinds;  // findings by kind
  std::map<std::string, std::map<ProblemKind, int64_t>> schools;  // by school code (each side)
  SaveCounts saved;
};

/// `progress(stage, done, of)`: stage is "backfill", "read", "match" or "save".
using ScanProgress = std::function<void(std::string_view, int64_t, int64_t)>;

Result<ScanReport> ScanRecords(db::Database& db, const crypto::FieldCipher& cipher,
                               const Clock& clock, const ScanOptions& options,
                               const ScanProgress& progress = {});

}  // namespace nemis::registry::quality
