// The roles every node starts with. The three administrators are separated
// (三员分立): the system administrator runs the node, the security administrator
// manages accounts and grants, the audit administrator reads the audit log, and no
// one of them holds another's permissions or any registry permission.
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"

namespace nemis::identity {

struct RoleSpec {
  std::string_view name;              // stable, used by `nemis user add --role`
  std::string_view title;             // shown to users
  std::vector<org::OrgLevel> levels;  // where the role may be granted
  bool mfa_required = false;
  std::vector<std::string_view> permissions;

  bool AllowsLevel(org::OrgLevel level) const;
};

const std::vector<RoleSpec>& BuiltinRoles();
const RoleSpec* FindBuiltinRole(std::string_view name);

/// Inserts the built-in roles that are missing and resets their permissions to the
/// specification (call in a write transaction, e.g. after migrating).
Status SeedBuiltinRoles(db::Connection& c, std::string_view now);

}  // namespace nemis::identity
