#include "identity/principal.hpp"

#include <algorithm>

namespace nemis::identity {
namespace {

constexpr std::string_view kLoadAccount =
    "SELECT a.login, a.display_name, o.code, a.must_change_password, a.totp_secret IS NOT NULL "
    "FROM account a JOIN org o ON o.id = a.org_id "
    "WHERE a.id = $1 AND a.status = 'active'";
// One row per (grant, permission); a role without permissions still gives one row.
constexpr std::string_view kLoadGrants =
    "SELECT g.id, r.name, r.title, r.mfa_required, o.id, o.code, o.level, p.permission "
    "FROM role_grant g JOIN role r ON r.id = g.role_id JOIN org o ON o.id = g.org_id "
    "LEFT JOIN role_permission p ON p.role_id = r.id WHERE g.account_id = $1 ORDER BY g.id, p.permission";

}  // namespace

bool Principal::MfaRequired() const {
  return std::any_of(grants.begin(), grants.end(), [](const Grant& g) { return g.mfa_required; });
}

bool Principal::Has(std::string_view permission) const {
  return std::any_of(grants.begin(), grants.end(), [&](const Grant& g) {
    return std::find(g.permissions.begin(), g.permissions.end(), permission) != g.permissions.end();
  });
}

org::Scope Principal::ScopeFor(std::string_view permission) const {
  org::Scope scope;
  for (const Grant& g : grants)
    if (std::find(g.permissions.begin(), g.permissions.end(), permission) != g.permissions.end())
      scope.Add(g.where);
  return scope;
}

std::string Principal::GrantSummary() const {
  std::string out;
  for (const Grant& g : grants) out += (out.empty() ? "" : ",") + g.role + "@" + g.where.code;
  return out;
}

Result<std::optional<Principal>> LoadPrincipal(db::Connection& c, int64_t account_id) {
  NEMIS_ASSIGN_OR_RETURN(auto account, c.Query(kLoadAccount, {account_id}));
  if (account.empty()) return std::optional<Principal>();
  const db::Row& a = account.rows[0];
  Principal p{account_id, a.Text(0), a.Text(1), a.Text(2), a.Int(3) != 0, a.Int(4) != 0, {}};
  NEMIS_ASSIGN_OR_RETURN(auto rows, c.Query(kLoadGrants, {account_id}));
  int64_t current = -1;
  for (const db::Row& r : rows.rows) {
    if (r.Int(0) != current) {
      current = r.Int(0);
      org::Subtree where{static_cast<org::OrgLevel>(r.Int(6)), r.Text(5), r.Int(4)};
      p.grants.push_back({r.Text(1), r.Text(2), r.Int(3) != 0, std::move(where), {}});
    }
    if (!r.IsNull(7)) p.grants.back().permissions.push_back(r.Text(7));
  }
  return std::optional<Principal>(std::move(p));
}

}  // namespace nemis::identity
