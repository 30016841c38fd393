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
constexpr std::string_view kResetPassword =
    "UPDATE account SET password_hash = $2, password_changed_at = $3, must_change_password = 1, failed_logins = 0, "
    "failed_since = NULL, locked_until = NULL, updated_at = $3, version = version + 1 WHERE id = $1";
constexpr std::string_view kInsertHistory =
    "INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)";

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

Result<std::string> AccountAdmin::Create(const org::Scope& scope, NewAccount account,
                                         db::WriteAttachment* attachment) {
  NEMIS_TRY(CheckOrgInScope(scope, account.org_code, "org"));
  for (const RoleAt& g : account.grants) NEMIS_TRY(CheckOrgInScope(scope, g.org_code, "grants"));
  account.password.reset();
  account.must_change_password = true;
  NEMIS_ASSIGN_OR_RETURN(auto created, accounts_.Create(account, attachment));
  return created.generated_password;
}

Status AccountAdmin::Grant(const org::Scope& scope, std::string_view login, std::string_view role,
                           std::string_view org_code, db::WriteAttachment* attachment) {
  NEMIS_TRY(db_.Read<int64_t>([&](db::Connection& c) { return AccountInScope(c, scope, login); }));
  NEMIS_TRY(CheckOrgInScope(scope, org_code, "org"));
  return accounts_.Grant(login, role, org_code, attachment);
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

Result<std::string> AccountAdmin::ResetPassword(const org::Scope& scope, std::string_view login,
                                                db::WriteAttachment* attachment) {
  std::string password = GeneratePassword();
  std::string hash = HashPassword(password, settings_.argon2);
  std::string now = FormatUtc(clock_.Now());
  NEMIS_TRY(db_.WithWriter(
      [&](db::Connection& c) -> Status {
        NEMIS_ASSIGN_OR_RETURN(int64_t id, AccountInScope(c, scope, login));
        NEMIS_TRY(c.Query(kResetPassword, {id, hash, now}));
        NEMIS_TRY(c.Query(kInsertHistory, {id, hash, now}));
        NEMIS_TRY(c.Query(kRevokeSessions, {id, now}));
        return {};
      },
      attachment));
  return password;
}

}  // namespace nemis::identity
