#include "identity/privileged_change.hpp"

#include <nlohmann/json.hpp>

#include "audit/audit_log.hpp"
#include "identity/account_store.hpp"
#include "identity/permissions.hpp"
#include "org/authority.hpp"
#include "org/org_store.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::identity {
namespace {

using Json = nlohmann::json;
using workflow::ApprovalCase;

constexpr std::string_view kAccountPrefix = "account.";
constexpr std::string_view kGrantPersonalData = "account.grant_personal_data";
constexpr std::string_view kGrantAdministrator = "account.grant_administrator";
constexpr std::string_view kResetAdministrator = "account.reset_administrator";

constexpr std::string_view kPermissionsOf =
    "SELECT rp.permission FROM role_permission rp JOIN role r ON r.id = rp.role_id "
    "WHERE r.name = $1";
constexpr std::string_view kPermissionsHeld =
    "SELECT DISTINCT rp.permission FROM role_grant g JOIN role_permission rp "
    "ON rp.role_id = g.role_id WHERE g.account_id = $1";
constexpr std::string_view kInsertPending =
    "INSERT INTO account_pending (case_id, account_id, kind, role, org_code, password_hash, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kSelectPending =
    "SELECT account_id, kind, role, org_code, password_hash FROM account_pending "
    "WHERE case_id = $1";
constexpr std::string_view kDeletePending = "DELETE FROM account_pending WHERE case_id = $1";

bool IsAdministratorPermission(std::string_view p) {
  return p == perm::kAccountAdminister || p == perm::kAuditView || p == perm::kSystemAdminister;
}

Privilege PrivilegeOf(const db::ResultSet& permissions) {
  Privilege out = Privilege::kNone;
  for (const auto& row : permissions.rows) {
    const std::string p = row.Text(0);
    if (IsAdministratorPermission(p)) return Privilege::kAdministrator;
    if (p == perm::kStudentViewSensitive) out = Privilege::kPersonalData;
  }
  return out;
}

// Who approves a grant of personal data at `at`: the registry authority over it (a school's
// county, or the city for a school directly under one; above a school, its parent).
std::string RegistryAuthorityOver(const org::Institution& at) {
  if (at.level == org::OrgLevel::kSchool) return org::CountyAuthorityOf(at);
  return at.parent_code.empty() ? at.code : at.parent_code;
}

audit::AuditEntry AlertFor(const workflow::Actor& actor, const ApprovalCase& kase,
                           const std::string& now) {
  audit::AuditEntry e;
  e.time = now;
  e.account = actor.account;
  e.roles = actor.roles;
  e.scope = actor.scope;
  e.source_ip = actor.source_ip;
  e.request_id = actor.request_id;
  e.action = std::string(kPrivilegedChangeAlert);
  e.target = "case:" + std::to_string(kase.id);
  e.outcome = std::string(audit::kSuccess);
  Json details = Json::parse(kase.details, nullptr, false);
  details["type"] = kase.type;
  e.details = details.dump();
  return e;
}

}  // namespace

Result<Privilege> RolePrivilege(db::Connection& c, std::string_view role) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kPermissionsOf, {role}));
  return PrivilegeOf(rs);
}

Result<bool> IsAdministratorAccount(db::Connection& c, int64_t account_id) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kPermissionsHeld, {account_id}));
  return PrivilegeOf(rs) == Privilege::kAdministrator;
}

bool IsAccountCase(std::string_view type) { return type.starts_with(kAccountPrefix); }

Result<ApprovalCase> PrivilegedChanges::Open(db::Connection& c, const workflow::Actor& actor,
                                             std::string_view type, const ChangeTarget& target,
                                             const std::string& target_org,
                                             const std::string& approver_org,
                                             const std::string& details) {
  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(type);
  if (definition == nullptr) return Error::Internal("no workflow " + std::string(type));
  NEMIS_ASSIGN_OR_RETURN(
      ApprovalCase kase,
      cases_.OpenIn(c, actor, *definition, "account:" + target.login,
                    {{"target", target_org}, {"approver", approver_org}}, details));
  NEMIS_TRY(audit::Append(c, AlertFor(actor, kase, kase.opened_at)));
  return kase;
}

Result<ApprovalCase> PrivilegedChanges::RequestGrant(
    db::Connection& c, const workflow::Actor& actor, const ChangeTarget& target,
    std::string_view role, std::string_view org_code, Privilege privilege) {
  NEMIS_TRY(AccountStore::CheckGrantIn(c, target.account_id, role, org_code));
  NEMIS_ASSIGN_OR_RETURN(auto at, org::OrgStore::Load(c, org_code));
  if (!at) return Error::Internal("grant org vanished");
  const bool admin = privilege == Privilege::kAdministrator;
  const std::string details =
      Json{{"login", target.login}, {"role", role}, {"org", org_code}}.dump();
  NEMIS_ASSIGN_OR_RETURN(ApprovalCase kase,
                         Open(c, actor, admin ? kGrantAdministrator : kGrantPersonalData, target,
                              at->code, admin ? at->code : RegistryAuthorityOver(*at), details));
  NEMIS_TRY(c.Query(kInsertPending, {kase.id, target.account_id, "grant", role, org_code,
                                     db::Param(), kase.opened_at}));
  return kase;
}

Result<ApprovalCase> PrivilegedChanges::RequestPasswordReset(db::Connection& c,
                                                             const workflow::Actor& actor,
                                                             const ChangeTarget& target,
                                                             std::string_view home_org,
                                                             const std::string& password_hash) {
  const std::string org(home_org);
  NEMIS_ASSIGN_OR_RETURN(ApprovalCase kase, Open(c, actor, kResetAdministrator, target, org, org,
                                                 Json{{"login", target.login}}.dump()));
  NEMIS_TRY(c.Query(kInsertPending, {kase.id, target.account_id, "password", db::Param(),
                                     db::Param(), password_hash, kase.opened_at}));
  return kase;
}

Status PrivilegedChanges::OnEnd(db::Connection& c, const ApprovalCase& kase) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectPending, {kase.id}));
  if (rs.empty()) return Error::Internal("case " + std::to_string(kase.id) + " has no change");
  const db::Row& row = rs.rows[0];
  if (kase.status == workflow::CaseStatus::kApproved) {
    const std::string now = FormatUtc(clock_.Now());
    if (row.Text(1) == "grant")
      NEMIS_TRY(AccountStore::GrantIn(c, row.Int(0), row.Text(2), row.Text(3), now));
    else
      NEMIS_TRY(AccountStore::SetOneTimePasswordIn(c, row.Int(0), row.Text(4), now));
  }
  NEMIS_TRY(c.Query(kDeletePending, {kase.id}));
  return {};
}

}  // namespace nemis::identity
