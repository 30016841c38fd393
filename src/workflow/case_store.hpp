// Approval cases in the store: opening one, acting on it (approve, reject, return,
// cancel) and reading it with its history. Every action is one write transaction that
// updates the case only at the version the actor saw (two approvers acting at once: one
// wins, the other gets 409 version_conflict and nothing changes), appends the history
// row, the change-log row and the audit entry, or none of them.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/workflow_definition.hpp"
#include "workflow/working_calendar.hpp"

namespace nemis::db {
class SqlBuilder;
}  // namespace nemis::db

namespace nemis::workflow {

/// Where an actor may act: a permission and the scope in which it holds it
/// (identity::Principal::ScopeFor).
struct Reach {
  std::string permission;
  org::Scope scope;
};

/// The cases waiting for an actor: a page of them (oldest due first, without history) and
/// counts over all of them, for dashboards.
struct Inbox {
  std::vector<ApprovalCase> cases;
  std::map<std::string, int64_t> waiting_by_type;
  std::map<std::string, int64_t> overdue_by_type;
  int64_t waiting = 0;
  int64_t overdue = 0;
  std::map<std::string, int64_t> opened_by_status;  // the actor's own cases, by status
};

/// What a case's type does when the case ends (approved, rejected or cancelled), inside
/// the transaction of the action that ended it: its failure undoes the action. A transfer
/// moves the enrolment when approved.
using CaseEnd = std::function<Status(db::Connection&, const ApprovalCase&)>;

class CaseStore {
 public:
  CaseStore(db::Database& db, const Clock& clock, const WorkingCalendar& calendar)
      : db_(db), clock_(clock), calendar_(calendar) {}

  /// Opens a case of `definition` about `subject`. `parties` names the institution of
  /// every party the definition uses (no more); the actor must hold the opener's
  /// permission at the opener's institution. The first step is due
  /// step_deadline_working_days working days from today (Asia/Shanghai).
  Result<ApprovalCase> Open(const Actor& actor, const WorkflowDefinition& definition,
                            const std::string& subject,
                            const std::map<std::string, std::string>& parties,
                            const std::string& details = "{}");
  /// Open inside the caller's write transaction `c`, so that the checks the caller made
  /// (e.g. "no other transfer of this student is pending") hold when the case is written.
  Result<ApprovalCase> OpenIn(db::Connection& c, const Actor& actor,
                              const WorkflowDefinition& definition, const std::string& subject,
                              const std::map<std::string, std::string>& parties,
                              const std::string& details = "{}");

  /// Acts on case `id` as it was at `expected_version`. approve moves to the next step (the
  /// last approves the case); reject ends it; return goes back one step; both need a
  /// reason. Steps are acted on by whoever holds the step's permission at its party's
  /// institution, but never by whoever opened the case or approved another of its steps
  /// (a case needs as many people as it has steps); cancel only by whoever opened the
  /// case. Errors: not_found, 403 (not_your_step for the second approval of one
  /// person), 409 version_conflict or case_closed, 422 reason_required or no_previous_step.
  /// `on_end` runs when the action ends the case.
  Result<ApprovalCase> Act(const Actor& actor, const WorkflowDefinition& definition, int64_t id,
                           CaseAction action, int64_t expected_version, std::string_view reason,
                           const CaseEnd& on_end = {});

  /// Act inside the caller's write transaction `c` (e.g. a level that submits its own
  /// statistics approves, in the same write, its units still awaiting it).
  Result<ApprovalCase> ActIn(db::Connection& c, const Actor& actor,
                             const WorkflowDefinition& definition, int64_t id, CaseAction action,
                             int64_t expected_version, std::string_view reason,
                             const CaseEnd& on_end = {});

  /// Ends every open case about `subject` but `except_id`, inside the caller's transaction:
  /// cancelled, with `reason` in its history (action close), audited as `actor`'s.
  /// Returns how many were closed.
  Result<int> CloseOthers(db::Connection& c, const Actor& actor, const std::string& subject,
                          int64_t except_id, std::string_view reason);

  /// Ends case `id` if it is open, as CloseOthers does; false when it was not open.
  Result<bool> Close(db::Connection& c, const Actor& actor, int64_t id, std::string_view reason);

  /// Whether an open case about `subject` has a type starting with `type_prefix`.
  static Result<bool> HasOpen(db::Connection& c, const std::string& subject,
                              std::string_view type_prefix);

  /// The case with its history.
  Result<ApprovalCase> Get(int64_t id);

  /// The open cases whose current step the actor may act on: the step's institution lies
  /// in the scope where the actor holds the step's permission. Overdue: due before `today`.
  Result<Inbox> Waiting(const std::vector<Reach>& reach, Date today, int limit);
  /// Waiting, with the cases `account` opened counted by status.
  Result<Inbox> Waiting(std::string_view account, const std::vector<Reach>& reach, Date today,
                        int limit);

 private:
  // Ends the open cases `sql` selects (kCaseColumns), as CloseOthers describes.
  Result<int> CloseSelected(db::Connection& c, const Actor& actor, db::SqlBuilder& sql,
                            std::string_view reason);

  db::Database& db_;
  const Clock& clock_;
  const WorkingCalendar& calendar_;
};

}  // namespace nemis::workflow
