// What the security administrator does to accounts, within the subtree its grant
// covers: list them, create them with a one-time password, grant roles, disable and
// enable them, reset a forgotten password. An account is inside the scope when its
// home institution is; a role may only be granted at an institution inside it.
// Accounts outside the scope answer "not found".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "identity/account_store.hpp"
#include "identity/privileged_change.hpp"
#include "org/scope.hpp"

namespace nemis::identity {

struct AccountSummary {
  std::string login;
  std::string display_name;
  std::string org_code;  // home institution
  std::string status;    // "active", "disabled"
  bool mfa_enrolled = false;
  std::string grants;  // "role@code,..."
};

/// A privileged change waiting for its second person (privileged_change.hpp).
struct PendingChange {
  int64_t case_id = 0;
  std::string role, org_code;  // a grant; empty for a password reset
};

struct CreatedByAdmin {
  std::string password;                // one-time, returned once
  std::vector<PendingChange> pending;  // its grants that wait for approval
};

struct PasswordReset {
  std::string password;                  // one-time, returned once
  std::optional<PendingChange> pending;  // an administrator's: in force once approved
};

struct AccountPage {
  std::vector<AccountSummary> items;
  std::optional<std::string> next;  // the last login, to pass as `after`
};

class AccountAdmin {
 public:
  AccountAdmin(db::Database& db, AccountStore& accounts, IdentitySettings settings,
               workflow::CaseStore& cases, const Clock& clock = Clock::System())
      : db_(db),
        accounts_(accounts),
        settings_(std::move(settings)),
        clock_(clock),
        privileged_(cases, clock) {}

  /// Accounts at or below the scope whose login starts with `prefix`, by login.
  Result<AccountPage> List(const org::Scope& scope, std::string_view prefix, int limit,
                           std::string_view after);
  /// A new account that must change its (generated, returned once) password at first login.
  /// Its privileged grants wait for a second person (dual control); the rest apply now.
  /// `actor` is the requester as the approval engine sees it. `attachment` (the request's
  /// audit entry) commits with the write; so below.
  Result<CreatedByAdmin> Create(const org::Scope& scope, const workflow::Actor& actor,
                                NewAccount account, db::WriteAttachment* attachment = nullptr);
  /// Grants a role now, or, for a privileged role, opens the case that will (its id returned).
  Result<std::optional<PendingChange>> Grant(const org::Scope& scope, const workflow::Actor& actor,
                                             std::string_view login, std::string_view role,
                                             std::string_view org_code,
                                             db::WriteAttachment* attachment = nullptr);
  /// Disabling ends the account's sessions; its API tokens stop working too.
  Status SetActive(const org::Scope& scope, std::string_view login, bool active,
                   db::WriteAttachment* attachment = nullptr);
  /// A new one-time password (returned once); the account's sessions end. An
  /// administrator's takes effect only once a second administrator approves it.
  Result<PasswordReset> ResetPassword(const org::Scope& scope, const workflow::Actor& actor,
                                      std::string_view login,
                                      db::WriteAttachment* attachment = nullptr);
  /// What ends an account case (CaseStore::Act's on_end).
  Status OnCaseEnd(db::Connection& c, const workflow::ApprovalCase& kase) {
    return privileged_.OnEnd(c, kase);
  }

 private:
  Status CheckOrgInScope(const org::Scope& scope, std::string_view code, std::string_view field);
  Result<int64_t> AccountInScope(db::Connection& c, const org::Scope& scope,
                                 std::string_view login);
  db::Database& db_;
  AccountStore& accounts_;
  IdentitySettings settings_;
  const Clock& clock_;
  PrivilegedChanges privileged_;
};

}  // namespace nemis::identity
