// Accounts and their grants: creating an account, granting a role at an
// institution (checked against the role's levels and the separation of the three
// administrators), and changing a password under the policy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "identity/identity_settings.hpp"

namespace nemis::identity {

/// A role at an institution.
struct RoleAt {
  std::string role;
  std::string org_code;
};

struct NewAccount {
  std::string login;
  std::string display_name;
  std::string org_code;                 // home institution
  std::optional<std::string> password;  // none: one is generated
  bool must_change_password = false;
  std::vector<RoleAt> grants;  // given in the same transaction
};

struct CreatedAccount {
  int64_t id = 0;
  std::string generated_password;  // empty when the caller gave one; shown once, never stored
};

class AccountStore {
 public:
  AccountStore(db::Database& db, IdentitySettings settings, const Clock& clock = Clock::System())
      : db_(db), settings_(std::move(settings)), clock_(clock) {}

  /// `attachment` (e.g. the request's audit entry) commits with the write; so below.
  Result<CreatedAccount> Create(const NewAccount& account,
                                db::WriteAttachment* attachment = nullptr);
  Status Grant(std::string_view login, std::string_view role, std::string_view org_code,
               db::WriteAttachment* attachment = nullptr);
  /// Sets a new password (policy, no reuse of recent ones) and ends the account's sessions.
  Status ChangePassword(std::string_view login, std::string_view new_password);
  Result<std::optional<int64_t>> FindId(std::string_view login);
  Result<bool> AnyAccount();

 private:
  Status CheckReuse(db::Connection& c, int64_t account_id, std::string_view password);
  Status GrantIn(db::Connection& c, int64_t account_id, std::string_view role,
                 std::string_view org_code, const std::string& now);
  db::Database& db_;
  IdentitySettings settings_;
  const Clock& clock_;
};

/// Whether a login name is acceptable: 3-64 of a-z, 0-9, '.', '_', '-', '@'.
Status CheckLogin(std::string_view login);

}  // namespace nemis::identity
