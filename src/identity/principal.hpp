// An authenticated account with its grants: what every authorisation decision reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"

namespace nemis::identity {

struct Grant {
  std::string role;        // e.g. "county_registrar"
  std::string role_title;  // e.g. "区县学籍主管"
  bool mfa_required = false;
  org::Subtree where;  // the institution the role was granted at, and its subtree
  std::vector<std::string> permissions;
};

struct Principal {
  int64_t account_id = 0;
  std::string login;
  std::string display_name;
  std::string org_code;  // home institution
  bool must_change_password = false;
  bool mfa_enrolled = false;  // has a confirmed TOTP authenticator
  std::vector<Grant> grants;

  /// Whether any of its roles requires a second factor (the administrators by default).
  bool MfaRequired() const;

  bool Has(std::string_view permission) const;
  /// The union of the subtrees of the grants whose role holds `permission`
  /// (empty, i.e. nothing, when none does).
  org::Scope ScopeFor(std::string_view permission) const;
  /// "role@code" for each grant, comma-separated (for the audit log).
  std::string GrantSummary() const;
};

/// The active account with its grants; nullopt when it does not exist or is disabled.
Result<std::optional<Principal>> LoadPrincipal(db::Connection& c, int64_t account_id);

}  // namespace nemis::identity
