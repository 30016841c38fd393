// Cross-province transfers on a province's node, both ends of them (the national node relays:
// transfer_relay.hpp; the calls: transfer_messages.hpp).
//
// Receiving province: a transfer.external_in case (registry/transfer_external.hpp) that its
// county and province approved waits at the other node's step; its request goes to the
// national node. Released there, the student is enrolled here and the case approved in one
// transaction (registry/transfer_arrival.hpp), then the completion is reported; refused, the
// case is rejected at that step with the sending side's reason.
//
// Sending province: each transfer asked of it becomes a case transfer.external_out at the
// student's school, county and province (or is refused at once when the number and name
// match no student in school here, or another transfer of the student is under way). The
// case approved releases the student in the same transaction: status 10 转学(出), a 21
// 转学(转出) change naming the receiving school, its other cases closed; rejected or closed,
// it is refused. Either verdict goes to the national node with the next round.
//
// Never twice, never lost: the student leaves here only with the released verdict kept beside
// it, and is enrolled there only from that verdict, each step in one transaction and each item
// sent again until the national node has taken it.
//
// Withdrawal: the receiving side cannot end its case itself once it waits for the other node
// (the other node may be releasing the student at that moment). Its school asks to withdraw
// (registry/transfer_external.hpp AskWithdrawal); the withdrawal goes up with every round
// while the case waits; the sending province closes its case unless it released the student
// (then the release stands and the student is enrolled here); told "withdrawn", the case here
// closes.
//
// Progress: while the sending case is open, its step and that step's deadline go up whenever
// they change; the receiving node keeps what it is told beside its case, for the portal.
#pragma once

#include <string>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/transfer_messages.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/case_store.hpp"

namespace nemis::exchange {

inline constexpr std::string_view kTransferOutCaseType = "transfer.external_out";

struct TransferSyncReport {
  int opened = 0;                // sending: cases opened for transfers asked of this province
  int refused_here = 0;          // sending: refused at once (no such student in school here, ...)
  int closed_on_withdrawal = 0;  // sending: cases closed (or never opened) on a withdrawal
  int enrolled = 0;              // receiving: students enrolled from a release
  int refused = 0;               // receiving: cases rejected (the sending side refused)
  int withdrawn = 0;             // receiving: cases closed, the sending side having closed its own
  int failed = 0;                // items that could not be carried out this round (logged; retried)
  int retold = 0;  // what the national node forgot (restored from a backup), to be told again
  bool operator==(const TransferSyncReport&) const = default;
};

/// What this node has for the national node: requests of its cases waiting at the other
/// node's step and not yet taken, withdrawals asked of cases still waiting there, verdicts not
/// yet reported (a case closed without a verdict is refused), the progress of its open sending
/// cases not yet taken, completions not yet reported.
Result<TransferPost> PendingTransferPost(db::Database& db, const crypto::FieldCipher& cipher);

/// Marks the verdicts, progress and completions of `post` taken by the national node.
Status MarkTransferPostTaken(db::Database& db, const TransferPost& post, std::string_view now);

/// Carries out the national node's answer: opens the cases for transfers asked of this
/// province (once each; closes the case of one withdrawn, unless decided), enrols the students
/// released for this province's requests, rejects the cases of those refused, closes those
/// withdrawn, keeps the sending side's progress beside the cases still waiting. Each item in its
/// own transaction; one that fails is counted, logged and retried with the next answer.
///
/// A national node restored from an older backup forgets what it was told after the backup;
/// the answer shows it, and what it forgot goes to it again with the next post (`retold`):
///   - a transfer it asks about again that was decided here: the verdict;
///   - a request of this province it no longer holds (not among the outcomes): the request,
///     taken as a new transfer;
///   - a release of a student enrolled here and reported: the completion.
/// And a transfer asked anew of a student this province released before to the same school
/// (the verdict the national node forgot with the first request) is released again, at once,
/// with the record as the student left: never refused as "not in school", which would leave
/// the child registered nowhere.
Result<TransferSyncReport> SyncTransfers(db::Database& db, const crypto::FieldCipher& cipher,
                                         workflow::CaseStore& cases, const TransferAnswer& answer,
                                         const Clock& clock);

/// The end of a transfer.external_out case, inside the transaction that ends it: approved,
/// the student is released (refusals, 409: transfer_stale when the student is no longer in
/// school at the sending school); rejected or cancelled, the transfer is refused.
Status OnTransferOutCaseEnd(db::Connection& c, const crypto::FieldCipher& cipher,
                            workflow::CaseStore& cases, const workflow::ApprovalCase& kase,
                            const Clock& clock);

}  // namespace nemis::exchange
