#include "identity/account_store.hpp"

#include "identity/builtin_roles.hpp"
#include "identity/password_hash.hpp"
#include "org/org_store.hpp"

namespace nemis::identity {
namespace {

constexpr std::string_view kInsertAccount =
    "INSERT INTO account (login, display_name, org_id, password_hash, password_changed_at, must_change_password, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $5, $5) RETURNING id";
constexpr std::string_view kInsertHistory =
    "INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)";
constexpr std::string_view kRecentHashes =
    "SELECT password_hash FROM password_history WHERE account_id = $1 ORDER BY created_at DESC LIMIT $2";
constexpr std::string_view kFindAccount = "SELECT id FROM account WHERE login = $1";
constexpr std::string_view kAnyAccount = "SELECT 1 FROM account LIMIT 1";
constexpr std::string_view kFindRole = "SELECT id FROM role WHERE name = $1";
constexpr std::string_view kRolesHeld =
    "SELECT r.name FROM role_grant g JOIN role r ON r.id = g.role_id WHERE g.account_id = $1";
constexpr std::string_view kInsertGrant =
    "INSERT INTO role_grant (account_id, role_id, org_id, created_at) "
    "SELECT $1, r.id, o.id, $4 FROM role r, org o WHERE r.name = $2 AND o.code = $3 "
    "ON CONFLICT (account_id, role_id, org_id) DO NOTHING";
constexpr std::string_view kSetPassword =
    "UPDATE account SET password_hash = $2, password_changed_at = $3, must_change_password = 0, "
    "version = version + 1, updated_at = $3 WHERE id = $1";
constexpr std::string_view kResetPassword =
    "UPDATE account SET password_hash = $2, password_changed_at = $3, must_change_password = 1, "
    "failed_logins = 0, failed_since = NULL, locked_until = NULL, updated_at = $3, "
    "version = version + 1 WHERE id = $1";
constexpr std::string_view kRevokeSessions =
    "UPDATE session SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL";

bool IsAdministrator(std::string_view role) {
  return role == "system_admin" || role == "security_admin" || role == "audit_admin";
}

// 三员分立: an administrator holds one administrator role and nothing else.
Status CheckSeparation(std::string_view role, const db::ResultSet& held) {
  for (const auto& row : held.rows) {
    std::string other = row.Text(0);
    if (other == role) continue;
    if (IsAdministrator(role) || IsAdministrator(other))
      return Error::Invalid({{"role", "separation_of_duties",
                              "系统管理员、安全管理员、审计管理员三员分立：该账号已有角色 " +
                                  other + "，不能再授予 " + std::string(role)}});
  }
  return {};
}

Error Field(std::string field, std::string code, std::string message) {
  return Error::Invalid({{std::move(field), std::move(code), std::move(message)}});
}

}  // namespace

Status CheckLogin(std::string_view login) {
  if (login.size() < 3 || login.size() > 64)
    return Field("login", "bad_length", "登录名应为 3 到 64 个字符");
  for (char c : login)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
          c == '@'))
      return Field("login", "bad_character", "登录名只能包含小写字母、数字和 . _ - @");
  return {};
}

Result<CreatedAccount> AccountStore::Create(
    const NewAccount& in, db::WriteAttachment* attachment,
    const std::function<Status(db::Connection&, int64_t)>& then) {
  NEMIS_TRY(CheckLogin(in.login));
  if (in.display_name.empty() || in.display_name.size() > 200)
    return Field("displayName", "required", "请填写姓名（不超过 200 字节）");
  CreatedAccount out;
  std::string password = in.password.value_or("");
  if (!in.password) password = out.generated_password = GeneratePassword();
  NEMIS_TRY(CheckPasswordStrength(password, in.login, settings_.policy));
  std::string hash = HashPassword(password, settings_.argon2);
  std::string now = FormatUtc(clock_.Now());
  NEMIS_ASSIGN_OR_RETURN(
      out.id, db_.Write<int64_t>(
                  [&](db::Connection& c) -> Result<int64_t> {
                    NEMIS_ASSIGN_OR_RETURN(auto org, org::OrgStore::Load(c, in.org_code));
                    if (!org) return Field("org", "unknown_org", "机构 " + in.org_code + " 不存在");
                    auto inserted =
                        c.Query(kInsertAccount, {in.login, in.display_name, org->id, hash, now,
                                                 int64_t{in.must_change_password ? 1 : 0}});
                    if (!inserted.ok() && inserted.error().code == db::kUniqueViolation)
                      return Error::Conflict("login_taken", "登录名 " + in.login + " 已被使用");
                    NEMIS_TRY(inserted);
                    int64_t id = inserted->rows.at(0).Int(0);
                    NEMIS_TRY(c.Query(kInsertHistory, {id, hash, now}));
                    for (const RoleAt& g : in.grants)
                      NEMIS_TRY(GrantIn(c, id, g.role, g.org_code, now));
                    if (then) NEMIS_TRY(then(c, id));
                    return id;
                  },
                  attachment));
  return out;
}

Status AccountStore::Grant(std::string_view login, std::string_view role, std::string_view org_code,
                           db::WriteAttachment* attachment) {
  std::string now = FormatUtc(clock_.Now());
  return db_.WithWriter(
      [&](db::Connection& c) -> Status {
        NEMIS_ASSIGN_OR_RETURN(auto account, c.Query(kFindAccount, {login}));
        if (account.empty())
          return Field("login", "unknown_account", "账号 " + std::string(login) + " 不存在");
        return GrantIn(c, account.rows[0].Int(0), role, org_code, now);
      },
      attachment);
}

Status AccountStore::CheckGrantIn(db::Connection& c, int64_t account_id, std::string_view role,
                                  std::string_view org_code) {
  NEMIS_ASSIGN_OR_RETURN(auto role_row, c.Query(kFindRole, {role}));
  if (role_row.empty())
    return Field("role", "unknown_role", "角色 " + std::string(role) + " 不存在");
  NEMIS_ASSIGN_OR_RETURN(auto org, org::OrgStore::Load(c, org_code));
  if (!org) return Field("org", "unknown_org", "机构 " + std::string(org_code) + " 不存在");
  if (const RoleSpec* spec = FindBuiltinRole(role); spec && !spec->AllowsLevel(org->level))
    return Field("org", "level_not_allowed",
                 std::string(spec->title) + "不能授予在" +
                     std::string(org::OrgLevelName(org->level)) + "机构");
  NEMIS_ASSIGN_OR_RETURN(auto held, c.Query(kRolesHeld, {account_id}));
  return CheckSeparation(role, held);
}

Status AccountStore::GrantIn(db::Connection& c, int64_t account_id, std::string_view role,
                             std::string_view org_code, const std::string& now) {
  NEMIS_TRY(CheckGrantIn(c, account_id, role, org_code));
  NEMIS_TRY(c.Query(kInsertGrant, {account_id, role, org_code, now}));
  return {};
}

Status AccountStore::SetOneTimePasswordIn(db::Connection& c, int64_t account_id,
                                          const std::string& password_hash,
                                          const std::string& now) {
  NEMIS_TRY(c.Query(kResetPassword, {account_id, password_hash, now}));
  NEMIS_TRY(c.Query(kInsertHistory, {account_id, password_hash, now}));
  NEMIS_TRY(c.Query(kRevokeSessions, {account_id, now}));
  return {};
}

Status AccountStore::CheckReuse(db::Connection& c, int64_t account_id, std::string_view password) {
  NEMIS_ASSIGN_OR_RETURN(auto recent,
                         c.Query(kRecentHashes, {account_id, int64_t{settings_.policy.history}}));
  for (const auto& row : recent.rows)
    if (VerifyPassword(password, row.Text(0)))
      return Field(
          "password", "reused",
          "新密码不能与最近 " + std::to_string(settings_.policy.history) + " 次使用过的密码相同");
  return {};
}

Status AccountStore::ChangePassword(std::string_view login, std::string_view new_password) {
  NEMIS_TRY(CheckPasswordStrength(new_password, login, settings_.policy));
  std::string hash = HashPassword(new_password, settings_.argon2);
  std::string now = FormatUtc(clock_.Now());
  return db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto account, c.Query(kFindAccount, {login}));
    if (account.empty())
      return Field("login", "unknown_account", "账号 " + std::string(login) + " 不存在");
    int64_t id = account.rows[0].Int(0);
    NEMIS_TRY(CheckReuse(c, id, new_password));
    NEMIS_TRY(c.Query(kSetPassword, {id, hash, now}));
    NEMIS_TRY(c.Query(kInsertHistory, {id, hash, now}));
    NEMIS_TRY(c.Query(kRevokeSessions, {id, now}));
    return {};
  });
}

Result<std::optional<int64_t>> AccountStore::FindId(std::string_view login) {
  return db_.Read<std::optional<int64_t>>([&](db::Connection& c) -> Result<std::optional<int64_t>> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kFindAccount, {login}));
    if (rs.empty()) return std::optional<int64_t>();
    return std::optional<int64_t>(rs.rows[0].Int(0));
  });
}

Result<bool> AccountStore::AnyAccount() {
  return db_.Read<bool>([](db::Connection& c) -> Result<bool> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kAnyAccount));
    return !rs.empty();
  });
}

}  // namespace nemis::identity
