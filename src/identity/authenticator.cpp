#include "identity/authenticator.hpp"

#include "identity/password_hash.hpp"

namespace nemis::identity {
namespace {

constexpr std::string_view kLoadAccount =
    "SELECT id, password_hash, status, locked_until, must_change_password, password_changed_at "
    "FROM account WHERE login = $1";
// Failures older than the window start a new count; reaching the limit locks.
constexpr std::string_view kRecordFailure =
    "UPDATE account SET "
    "failed_logins = CASE WHEN failed_since IS NULL OR failed_since < $2 THEN 1 ELSE failed_logins + 1 END, "
    "failed_since = CASE WHEN failed_since IS NULL OR failed_since < $2 THEN $3 ELSE failed_since END "
    "WHERE id = $1 RETURNING failed_logins";
constexpr std::string_view kLock =
    "UPDATE account SET locked_until = $2, failed_logins = 0, failed_since = NULL WHERE id = $1";
constexpr std::string_view kFlagExpired =
    "UPDATE account SET must_change_password = 1 WHERE id = $1";
constexpr std::string_view kClearFailures =
    "UPDATE account SET failed_logins = 0, failed_since = NULL, locked_until = NULL WHERE id = $1";

Error LoginFailed() {
  return Error::Unauthenticated(std::string(kLoginFailedCode),
                                "登录名或密码错误，或账号已被暂时锁定");
}

}  // namespace

Authenticator::Authenticator(db::Database& db, IdentitySettings settings, const Clock& clock)
    : db_(db),
      settings_(std::move(settings)),
      clock_(clock),
      dummy_hash_(HashPassword("no such account", settings_.argon2)) {}

Status Authenticator::RecordFailure(int64_t account_id) {
  auto now = clock_.Now();
  std::string window_start = FormatUtc(now - settings_.lockout_window);
  std::string until = FormatUtc(now + settings_.lockout_duration);
  return db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto rs,
                           c.Query(kRecordFailure, {account_id, window_start, FormatUtc(now)}));
    if (!rs.empty() && rs.rows[0].Int(0) >= settings_.lockout_failures)
      NEMIS_TRY(c.Query(kLock, {account_id, until}));
    return {};
  });
}

Result<LoginOutcome> Authenticator::CheckPassword(std::string_view login, std::string_view password,
                                                  LoginFailure* failure) {
  LoginFailure ignored;
  if (!failure) failure = &ignored;
  NEMIS_ASSIGN_OR_RETURN(auto rs, db_.Read<db::ResultSet>([&](db::Connection& c) {
    return c.Query(kLoadAccount, {login});
  }));
  if (rs.empty()) {
    VerifyPassword(password, dummy_hash_);
    *failure = LoginFailure::kUnknownAccount;
    return LoginFailed();
  }
  const db::Row& a = rs.rows[0];
  int64_t id = a.Int(0);
  auto now = clock_.Now();
  bool matches = VerifyPassword(password, a.Text(1));
  if (!a.IsNull(3) && a.Text(3) > FormatUtc(now)) {
    *failure = LoginFailure::kLocked;  // even the right password waits for the lock to end
    return LoginFailed();
  }
  if (!matches) {
    *failure = LoginFailure::kWrongPassword;
    NEMIS_TRY(RecordFailure(id));
    return LoginFailed();
  }
  if (a.Text(2) != "active") {
    *failure = LoginFailure::kDisabled;
    return LoginFailed();
  }
  NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query(kClearFailures, {id}));
    return {};
  }));
  *failure = LoginFailure::kNone;
  LoginOutcome out{id, a.Int(4) != 0};
  if (!out.must_change_password && settings_.policy.max_age_days > 0 &&
      a.Text(5) < FormatUtc(now - std::chrono::hours(24) * settings_.policy.max_age_days)) {
    // Flag the account, so that every route (not only this answer) asks for the change.
    out.must_change_password = true;
    NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query(kFlagExpired, {id}));
      return {};
    }));
  }
  return out;
}

}  // namespace nemis::identity
