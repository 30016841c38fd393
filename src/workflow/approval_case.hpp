// An approval case: a workflow definition's run for one subject (a student, a submission,
// an account), with the institutions it names, where it stands and its whole history.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "org/institution.hpp"

namespace nemis::workflow {

enum class CaseStatus { kOpen, kApproved, kRejected, kCancelled };
// kClose: ended by the system, not by a party (e.g. another transfer of the same student
// was approved); the case ends cancelled, with the reason in its history.
enum class CaseAction { kOpen, kApprove, kReject, kReturn, kCancel, kClose };

std::string_view CaseStatusName(CaseStatus status);  // "open", "approved", ...
std::optional<CaseStatus> CaseStatusFromName(std::string_view name);
std::string_view CaseActionName(CaseAction action);  // "open", "approve", ...
std::optional<CaseAction> CaseActionFromName(std::string_view name);

/// One action on a case, as kept in its history.
struct CaseEvent {
  CaseAction action = CaseAction::kOpen;
  std::string actor;  // account
  int step = 0;       // the step acted on
  CaseStatus status_after = CaseStatus::kOpen;
  std::string reason;  // required for return and reject
  std::string at;      // UTC instant
};

struct ApprovalCase {
  int64_t id = 0;
  std::string type;
  std::string subject;
  CaseStatus status = CaseStatus::kOpen;
  int step = 0;
  int64_t version = 1;
  std::string opened_by;
  std::map<std::string, std::string> parties;  // party -> institution code
  std::string details;                         // JSON, the type's own
  std::string opened_at, updated_at;
  Date step_started_on, due_on;  // business dates (Asia/Shanghai)
  std::vector<CaseEvent> history;

  bool IsOpen() const { return status == CaseStatus::kOpen; }
  /// Open and past the current step's deadline.
  bool OverdueOn(Date today) const { return IsOpen() && today > due_on; }
};

/// Whether `account` opened the case or approved a step other than its current one: one
/// person is one step of a case, or the chain's separation of duties is void.
bool ActedOnAnotherStep(std::string_view account, const ApprovalCase& kase);

/// Who acts on a case. `may` answers whether the account holds a permission at an
/// institution (through a grant whose scope covers it, e.g. identity::Principal::ScopeFor);
/// the API builds it from the caller.
struct Actor {
  std::string account;
  std::string roles;       // for the audit entry
  std::string scope;       // for the audit entry
  std::string source_ip;   // for the audit entry
  std::string request_id;  // for the audit entry
  std::function<bool(std::string_view permission, const org::Institution& at)> may;
};

}  // namespace nemis::workflow
