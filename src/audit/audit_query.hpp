// What the audit administrator reads: entries filtered by time, account, action and
// outcome, a page at a time (keyset pagination on seq). The HTTP route lives in api/.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_entry.hpp"
#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::audit {

inline constexpr int kMaxQueryLimit = 1000;

struct AuditFilter {
  std::optional<std::chrono::system_clock::time_point> from;  // logged at or after
  std::optional<std::chrono::system_clock::time_point> to;    // logged before
  std::string account;                                        // exact login; empty: any
  std::string action;                                         // exact action; empty: any
  std::string outcome;               // kSuccess, kFailure, kDenied; empty: any
  int limit = 100;                   // clamped to 1..kMaxQueryLimit
  std::optional<int64_t> after_seq;  // the previous page's next_after_seq
  bool newest_first = false;         // seq descending instead of ascending
};

struct AuditPage {
  std::vector<AuditRecord> records;
  std::optional<int64_t> next_after_seq;  // set when more records may follow
};

/// One page of the entries matching `filter`, in seq order. "validation_failed" for an
/// unknown outcome or from > to.
Result<AuditPage> Query(db::Database& db, const AuditFilter& filter);
/// The same inside a transaction the caller holds (e.g. to page through one snapshot).
Result<AuditPage> Query(db::Connection& c, const AuditFilter& filter);

}  // namespace nemis::audit
