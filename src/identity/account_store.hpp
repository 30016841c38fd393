// Accounts and their grants: creating an account, granting a role at an
// institution (checked against the role's levels and the separation of the three
// administrators), and changing a password under the policy.
#pragma once

#include <cstdint>
#include <functional>
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
  /// `then` runs in the same transaction once the account exists (with its id).
  Result<CreatedAccount> Create(const NewAccount& account,
                                db::WriteAttachment* attachment = nullptr,
                                const std::function<Status(db::Connection&, int64_t)>& then = {});
  Status Grant(std::string_view login, std::string_view role, std::string_view org_code,
               db::WriteAttachment* attachment = nullptr);
  /// Sets a new password (policy, no reuse of recent ones) and ends the account's sessions.
  Status ChangePassword(std::string_view login, std::string_view new_password);
  Result<std::optional<int64_t>> FindId(std::string_view login);
  Result<bool> AnyAccount();

  /// Whether `role` may be granted to the account at `org_code` (role and institution
  /// exist, the role's levels, 三员分立), inside the caller's transaction.
  static Status CheckGrantIn(db::Connection& c, int64_t account_id, std::string_view role,
                             std::string_view org_code);
  /// Sets a one-time password (its hash) that must be changed at the next sign-in, lifts a
  /// lock-out and ends the account's sessions, inside the caller's transaction.
  static Status SetOneTimePasswordIn(db::Connection& c, int64_t account_id,
                                     const std::string& password_hash, const std::string& now);
  /// CheckGrantIn, then the grant.
  static Status GrantIn(db::Connection& c, int64_t account_id, std::string_view role,
                        std::string_view org_code, const std::string& now);

 private:
  Status CheckReuse(db::Connection& c, int64_t account_id, std::string_view password);
  db::Database& db_;
  IdentitySettings settings_;
  const Clock& clock_;
};

/// Whether a login name is acceptable: 3-64 of a-z, 0-9, '.', '_', '-', '@'.
Status CheckLogin(std::string_view login);

}  // namespace nemis::identity
