#include "identity/account_admin.hpp"

#include "identity/password_hash.hpp"
#include "identity/password_policy.hpp"
#include "org/org_store.hpp"

namespace nemis::identity {
namespace {

constexpr std::string_view kListHead =
    "SELECT a.login, a.display_name, o.code, a.status, a.totp_secret IS NOT NULL "
    "FROM account a JOIN org o ON o.id = a.org_id WHERE a.login > $1";
constexpr std::string_view kGrantsOf =
    "SELECT r.name, o.code FROM role_grant g JOIN role r ON r.id = g.role_id JOIN org o ON o.id = g.org_id "
    "JOIN account a ON a.id = g.account_id WHERE a.login = $1 ORDER BY g.id";
constexpr std::string_view kAccountOrg =
    "SELECT a.id, o.code FROM account a JOIN org o ON o.id = a.org_id WHERE a.login = $1";
constexpr std::string_view kSetStatus =
    "UPDATE account SET status = $2, updated_at = $3, version = version + 1 WHERE id = $1";
constexpr std::string_view kRevokeSessions =
    "UPDATE session SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL";

Error NotFound(std::string_view login) {
  return Error::NotFound("账号 " + std::string(login) + " 不存在");
}

}  // namespace

Status AccountAdmin::CheckOrgInScope(const org::Scope& scope, std::string_view code,
                                     std::string_view field) {
  NEMIS_ASSIGN_OR_RETURN(auto inst,
                         db_.Read<std::optional<org::Institution>>(
                             [&](db::Connection& c) { return org::OrgStore::Load(c, code); }));
  if (!inst || !scope.Contains(*inst))
    return Error::Invalid({{std::string(field), "unknown_org",
                            "机构 " + std::string(code) + " 不存在或不在您的管辖范围内"}});
  return {};
}

Result<int64_t> AccountAdmin::AccountInScope(db::Connection& c, const org::Scope& scope,
                                             std::string_view login) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kAccountOrg, {login}));
  if (rs.empty()) return NotFound(login);
  NEMIS_ASSIGN_OR_RETURN(auto home, org::OrgStore::Load(c, rs.rows[0].Text(1)));
  if (!home || !scope.Contains(*home)) return NotFound(login);
  return rs.rows[0].Int(0);
}

Result<AccountPage> AccountAdmin::List(const org::Scope& scope, std::string_view prefix, int limit,
                                       std::string_view after) {
  return db_.Read<AccountPage>([&](db::Connection& c) -> Result<AccountPage> {
    // Logins may hold '_', a LIKE wildcard: escape it (and '%', '\\') to match literally.
    std::string like;
    for (char ch : prefix) {
      if (ch == '_' || ch == '%' || ch == '\\') like += '\\';
      like += ch;
    }
    like += '%';
    db::SqlBuilder sql(kListHead, {after});
    scope.AddFilter(sql, org::ScopedTable::kOrg, "o");
    if (!prefix.empty()) sql.Add(" AND a.login LIKE $1 ESCAPE '\\'", {like});
    std::string page_size = std::to_string(limit + 1);
    sql.Add(" ORDER BY a.login LIMIT " + page_size);
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    AccountPage page;
    for (const auto& row : rs.rows) {
      if (static_cast<int>(page.items.size()) == limit) {
        page.next = page.items.back().login;
        break;
      }
      AccountSummary a{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Int(4) != 0, ""};
      NEMIS_ASSIGN_OR_RETURN(auto grants, c.Query(kGrantsOf, {a.login}));
      for (const auto& g : grants.rows)
        a.grants += (a.grants.empty() ? "" : ",") + g.Text(0) + "@" + g.Text(1);
      page.items.push_back(std::move(a));
    }
    return page;
  });
}

Result<CreatedByAdmin> AccountAdmin::Create(const org::Scope& scope, const workflow::Actor& actor,
                                            NewAccount account, db::WriteAttachment* attachment) {
  NEMIS_TRY(CheckOrgInScope(scope, account.org_code, "org"));
  for (const RoleAt& g : account.grants) NEMIS_TRY(CheckOrgInScope(scope, g.org_code, "grants"));
  account.password.reset();
  account.must_change_password = true;
  // The privileged grants become cases in the account's own transaction; the rest apply.
  std::vector<RoleAt> grants = std::move(account.grants);
  CreatedByAdmin out;
  auto request_privileged = [&](db::Connection& c, int64_t id) -> Status {
    for (const RoleAt& g : grants) {
      NEMIS_ASSIGN_OR_RETURN(Privilege privilege, RolePrivilege(c, g.role));
      if (privilege == Privilege::kNone) {
        NEMIS_TRY(AccountStore::GrantIn(c, id, g.role, g.org_code, FormatUtc(clock_.Now())));
        continue;
      }
      NEMIS_ASSIGN_OR_RETURN(auto kase, privileged_.RequestGrant(c, actor, {id, account.login},
                                                                 g.role, g.org_code, privilege));
      out.pending.push_back({kase.id, g.role, g.org_code});
    }
    return {};
  };
  NEMIS_ASSIGN_OR_RETURN(auto created, accounts_.Create(account, attachment, request_privileged));
  out.password = created.generated_password;
  return out;
}

Result<std::optional<PendingChange>> AccountAdmin::Grant(
    const org::Scope& scope, const workflow::Actor& actor, std::string_view login,
    std::string_view role, std::string_view org_code, db::WriteAttachment* attachment) {
  NEMIS_TRY(CheckOrgInScope(scope, org_code, "org"));
  const std::string now = FormatUtc(clock_.Now());
  return db_.Write<std::optional<PendingChange>>(
      [&](db::Connection& c) -> Result<std::optional<PendingChange>> {
        NEMIS_ASSIGN_OR_RETURN(int64_t id, AccountInScope(c, scope, login));
        NEMIS_ASSIGN_OR_RETURN(Privilege privilege, RolePrivilege(c, role));
        if (privilege == Privilege::kNone) {
          NEMIS_TRY(AccountStore::GrantIn(c, id, role, org_code, now));
          return std::optional<PendingChange>();
        }
        NEMIS_ASSIGN_OR_RETURN(
            auto kase, privileged_.RequestGrant(c, actor, {id, std::string(login)}, role, org_code,
                                                privilege));
        return std::optional<PendingChange>(
            PendingChange{kase.id, std::string(role), std::string(org_code)});
      },
      attachment);
}

Status AccountAdmin::SetActive(const org::Scope& scope, std::string_view login, bool active,
                               db::WriteAttachment* attachment) {
  std::string now = FormatUtc(clock_.Now());
  return db_.WithWriter(
      [&](db::Connection& c) -> Status {
        NEMIS_ASSIGN_OR_RETURN(int64_t id, AccountInScope(c, scope, login));
        NEMIS_TRY(c.Query(kSetStatus, {id, active ? "active" : "disabled", now}));
        if (!active) NEMIS_TRY(c.Query(kRevokeSessions, {id, now}));
        return {};
      },
      attachment);
}

Result<PasswordReset> AccountAdmin::ResetPassword(const org::Scope& scope,
                                                  const workflow::Actor& actor,
                                                  std::string_view login,
                                                  db::WriteAttachment* attachment) {
  PasswordReset out;
  out.password = GeneratePassword();
  const std::string hash = HashPassword(out.password, settings_.argon2);
  const std::string now = FormatUtc(clock_.Now());
  NEMIS_TRY(db_.WithWriter(
      [&](db::Connection& c) -> Status {
        NEMIS_ASSIGN_OR_RETURN(int64_t id, AccountInScope(c, scope, login));
        NEMIS_ASSIGN_OR_RETURN(bool administrator, IsAdministratorAccount(c, id));
        if (!administrator) return AccountStore::SetOneTimePasswordIn(c, id, hash, now);
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kAccountOrg, {login}));
        NEMIS_ASSIGN_OR_RETURN(auto kase,
                               privileged_.RequestPasswordReset(c, actor, {id, std::string(login)},
                                                                rs.rows.at(0).Text(1), hash));
        out.pending = PendingChange{kase.id, "", ""};
        return {};
      },
      attachment));
  return out;
}

}  // namespace nemis::identity
