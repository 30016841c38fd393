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

struct AccountPage {
  std::vector<AccountSummary> items;
  std::optional<std::string> next;  // the last login, to pass as `after`
};

class AccountAdmin {
 public:
  AccountAdmin(db::Database& db, AccountStore& accounts, IdentitySettings settings,
               const Clock& clock = Clock::System())
      : db_(db), accounts_(accounts), settings_(std::move(settings)), clock_(clock) {}

  /// Accounts at or below the scope whose login starts with `prefix`, by login.
  Result<AccountPage> List(const org::Scope& scope, std::string_view prefix, int limit,
                           std::string_view after);
  /// A new account that must change its (generated, returned once) password at first login.
  /// `attachment` (the request's audit entry) commits with the write; so below.
  Result<std::string> Create(const org::Scope& scope, NewAccount account,
                             db::WriteAttachment* attachment = nullptr);
  Status Grant(const org::Scope& scope, std::string_view login, std::string_view role,
               std::string_view org_code, db::WriteAttachment* attachment = nullptr);
  /// Disabling ends the account's sessions; its API tokens stop working too.
  Status SetActive(const org::Scope& scope, std::string_view login, bool active,
                   db::WriteAttachment* attachment = nullptr);
  /// A new one-time password (returned once); the account's sessions end.
  Result<std::string> ResetPassword(const org::Scope& scope, std::string_view login,
                                    db::WriteAttachment* attachment = nullptr);

 private:
  Status CheckOrgInScope(const org::Scope& scope, std::string_view code, std::string_view field);
  Result<int64_t> AccountInScope(db::Connection& c, const org::Scope& scope,
                                 std::string_view login);
  db::Database& db_;
  AccountStore& accounts_;
  IdentitySettings settings_;
  const Clock& clock_;
};

}  // namespace nemis::identity
