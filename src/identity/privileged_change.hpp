// Dual control (双人复核) of privileged account changes: a grant of a role that shows
// personal data whole (student.view_sensitive) or of an administrator role, and a password
// reset of an administrator, take effect only when a second person approves them through
// the approval engine: for school staff the registry authority over the school (the
// county's registrar, student.approve), for an administrator another of the three
// administrators (account.approve_privileged), never the requester. Until then the account
// cannot use them: the grant or the new password hash waits in account_pending. Each
// request writes alert.privileged_change to the audit log, which the audit administrator
// watches.
#pragma once

#include <string>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/case_store.hpp"

namespace nemis::identity {

enum class Privilege { kNone, kPersonalData, kAdministrator };

inline constexpr std::string_view kPrivilegedChangeAlert = "alert.privileged_change";

/// How privileged a role is, by its permissions in the store (custom roles included).
Result<Privilege> RolePrivilege(db::Connection& c, std::string_view role);

/// Whether the account holds an administrator role.
Result<bool> IsAdministratorAccount(db::Connection& c, int64_t account_id);

/// Whether a case type is a privileged account change ("account.grant_administrator", ...).
bool IsAccountCase(std::string_view type);

/// The account a privileged change is about, as the requester named it.
struct ChangeTarget {
  int64_t account_id = 0;
  std::string login;
};

class PrivilegedChanges {
 public:
  PrivilegedChanges(workflow::CaseStore& cases, const Clock& clock)
      : cases_(cases), clock_(clock) {}

  /// Opens the case that grants `role` at `org_code` once approved, inside `c`. The grant
  /// must be one AccountStore::CheckGrantIn accepts now (checked again when applied).
  Result<workflow::ApprovalCase> RequestGrant(db::Connection& c, const workflow::Actor& actor,
                                              const ChangeTarget& target, std::string_view role,
                                              std::string_view org_code, Privilege privilege);

  /// Opens the case that sets `password_hash` as the administrator's one-time password
  /// once approved, inside `c`. `home_org` is the account's institution.
  Result<workflow::ApprovalCase> RequestPasswordReset(db::Connection& c,
                                                      const workflow::Actor& actor,
                                                      const ChangeTarget& target,
                                                      std::string_view home_org,
                                                      const std::string& password_hash);

  /// The case end of every account case: approved, the change is applied (a password
  /// ends the account's sessions); however it ended, the pending change is removed.
  Status OnEnd(db::Connection& c, const workflow::ApprovalCase& kase);

 private:
  Result<workflow::ApprovalCase> Open(db::Connection& c, const workflow::Actor& actor,
                                      std::string_view type, const ChangeTarget& target,
                                      const std::string& target_org,
                                      const std::string& approver_org, const std::string& details);

  workflow::CaseStore& cases_;
  const Clock& clock_;
};

}  // namespace nemis::identity
