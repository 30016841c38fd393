// One person, one number across provinces, on a province's node: each conflict the national
// node reports about one of this node's students (conflict_notices.hpp) becomes an approval
// case "exchange.duplicate" (跨省重复学籍核查) at the student's school and county, through the
// workflow engine like any other case: the school checks whether the child really studies
// there (approve: this registration is right; reject: it is not), the county confirms. A
// conflict opens one case however often it is reported (exchange_conflict_case).
//
// The case's end is this province's verdict (approved: keep; rejected: yield), sent to the
// national node (conflict_resolution.hpp), which resolves the conflict to one registration.
// When the national node reports the conflict resolved for the other province, this node
// ends its registration (status 99, a 取消学籍 change naming the case); the child stays
// registered where the other province keeps it, so it is never enrolled twice nor lost. A case
// whose conflict the national node no longer reports at all is closed by the node.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/conflict_notices.hpp"
#include "exchange/conflict_resolution.hpp"
#include "workflow/case_store.hpp"

namespace nemis::exchange {

inline constexpr std::string_view kDuplicateCaseType = "exchange.duplicate";

struct ConflictSyncReport {
  int opened = 0;   // cases opened for conflicts reported the first time
  int closed = 0;   // cases closed: their conflict is no longer reported
  int unknown = 0;  // conflicts about a number this node does not hold (renumbered since)
  int kept = 0;     // conflicts resolved for this province's registration
  int yielded = 0;  // conflicts resolved for the other's: this registration ended
  int retold = 0;   // verdicts the national node no longer holds (restored), to be told again
  bool operator==(const ConflictSyncReport&) const = default;
};

/// Brings the cases in step with `reported`, the national node's conflicts about the students
/// of `province` (this node's code). Only when the list is complete (not cut at a limit) is a
/// conflict missing from it known gone and its case closed.
Result<ConflictSyncReport> SyncConflictCases(db::Database& db, const crypto::FieldCipher& cipher,
                                             workflow::CaseStore& cases,
                                             const ReportedConflicts& reported,
                                             std::string_view province);

/// Keeps the verdict of an exchange.duplicate case that ended (approved: keep; rejected:
/// yield; cancelled: none), inside the transaction that ends it, for the national node.
Status OnDuplicateCaseEnd(db::Connection& c, const workflow::ApprovalCase& kase,
                          std::string_view now);

/// The verdicts not yet taken by the national node.
Result<std::vector<ConflictVerdict>> PendingVerdicts(db::Database& db);
/// Marks `verdicts` taken by the national node (unless changed meanwhile).
Status MarkVerdictsReported(db::Database& db, const std::vector<ConflictVerdict>& verdicts,
                            std::string_view now);

}  // namespace nemis::exchange
