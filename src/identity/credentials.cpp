#include "identity/credentials.hpp"

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace nemis::identity {
namespace {

constexpr std::string_view kInsertSession =
    "INSERT INTO session (token_hash, account_id, csrf_token, source_ip, created_at, last_seen_at) "
    "VALUES ($1, $2, $3, $4, $5, $5)";
constexpr std::string_view kFindSession =
    "SELECT id, account_id, csrf_token, created_at, last_seen_at FROM session "
    "WHERE token_hash = $1 AND revoked_at IS NULL";
constexpr std::string_view kTouchSession = "UPDATE session SET last_seen_at = $2 WHERE id = $1";
constexpr std::string_view kCloseSession =
    "UPDATE session SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL";
constexpr std::string_view kInsertToken =
    "INSERT INTO api_token (token_hash, account_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kFindToken =
    "SELECT account_id FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL "
    "AND (expires_at IS NULL OR expires_at > $2)";

// Idle time is tracked to the minute: writing on every request would make each
// read a write.
constexpr auto kTouchEvery = std::chrono::minutes(1);

}  // namespace

std::string SecretHash(std::string_view secret) { return crypto::ToHex(crypto::Sm3(secret)); }

Result<NewSession> CredentialStore::OpenSession(int64_t account_id, std::string_view source_ip) {
  NewSession s{crypto::RandomToken(32), crypto::RandomToken(32)};
  std::string now = FormatUtc(clock_.Now());
  NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(
        c.Query(kInsertSession, {SecretHash(s.token), account_id, s.csrf_token, source_ip, now}));
    return {};
  }));
  return s;
}

Result<std::optional<LiveSession>> CredentialStore::ResolveSession(std::string_view token) {
  std::string hash = SecretHash(token);
  NEMIS_ASSIGN_OR_RETURN(auto rs, db_.Read<db::ResultSet>([&](db::Connection& c) {
    return c.Query(kFindSession, {hash});
  }));
  if (rs.empty()) return std::optional<LiveSession>();
  const db::Row& r = rs.rows[0];
  auto now = clock_.Now();
  if (r.Text(3) <= FormatUtc(now - settings_.session_absolute) ||
      r.Text(4) <= FormatUtc(now - settings_.session_idle))
    return std::optional<LiveSession>();
  LiveSession live{r.Int(0), r.Int(1), r.Text(2), ParseUtc(r.Text(3)).value_or(now)};
  if (r.Text(4) <= FormatUtc(now - kTouchEvery))
    NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query(kTouchSession, {live.session_id, FormatUtc(now)}));
      return {};
    }));
  return std::optional<LiveSession>(std::move(live));
}

Status CredentialStore::CloseSession(std::string_view token) {
  std::string hash = SecretHash(token), now = FormatUtc(clock_.Now());
  return db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query(kCloseSession, {hash, now}));
    return {};
  });
}

Result<std::string> CredentialStore::CreateApiToken(int64_t account_id, std::string_view name,
                                                    std::chrono::hours lifetime) {
  std::string token = std::string(kApiTokenPrefix) + crypto::RandomToken(32);
  auto now = clock_.Now();
  std::optional<std::string> expires;
  if (lifetime.count() > 0) expires = FormatUtc(now + lifetime);
  NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(
        c.Query(kInsertToken, {SecretHash(token), account_id, name, FormatUtc(now), expires}));
    return {};
  }));
  return token;
}

Result<std::optional<int64_t>> CredentialStore::ResolveApiToken(std::string_view token) {
  if (token.substr(0, kApiTokenPrefix.size()) != kApiTokenPrefix) return std::optional<int64_t>();
  std::string hash = SecretHash(token), now = FormatUtc(clock_.Now());
  return db_.Read<std::optional<int64_t>>([&](db::Connection& c) -> Result<std::optional<int64_t>> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kFindToken, {hash, now}));
    if (rs.empty()) return std::optional<int64_t>();
    return std::optional<int64_t>(rs.rows[0].Int(0));
  });
}

}  // namespace nemis::identity
