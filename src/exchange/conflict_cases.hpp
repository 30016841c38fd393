// One person, one number across provinces, on a province's node: each conflict the national
// node reports about one of this node's students (conflict_notices.hpp) becomes an approval
// case "exchange.duplicate" (跨省重复学籍核查) at the student's school and county, through the
// workflow engine like any other case: the school checks whether the child really studies
// there (approve: this registration is right; reject: it is not), the county confirms. A
// conflict opens one case however often it is reported (exchange_conflict_case); a case whose
// conflict the national node no longer reports (resolved there) is closed by the node.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/conflict_notices.hpp"
#include "workflow/case_store.hpp"

namespace nemis::exchange {

inline constexpr std::string_view kDuplicateCaseType = "exchange.duplicate";

struct ConflictSyncReport {
  int opened = 0;   // cases opened for conflicts reported the first time
  int closed = 0;   // cases closed: their conflict is no longer reported
  int unknown = 0;  // conflicts about a number this node does not hold (renumbered since)
  bool operator==(const ConflictSyncReport&) const = default;
};

/// Brings the cases in step with `reported`, the national node's open conflicts about this
/// province. Only when the list is complete (not cut at a limit) is a conflict missing from
/// it known resolved and its case closed.
Result<ConflictSyncReport> SyncConflictCases(db::Database& db, const crypto::FieldCipher& cipher,
                                             workflow::CaseStore& cases,
                                             const ReportedConflicts& reported);

}  // namespace nemis::exchange
