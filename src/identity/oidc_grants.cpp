#include "identity/oidc_grants.hpp"

#include <algorithm>
#include <chrono>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "db/column_index.hpp"
#include "identity/credentials.hpp"

namespace nemis::identity {
namespace {

constexpr std::string_view kInsertCode =
    "INSERT INTO oidc_code (code_hash, client_id, account_id, redirect_uri, code_challenge, scope, nonce, auth_time, "
    "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kLoadCode =
    "SELECT client_id, account_id, redirect_uri, code_challenge, scope, nonce, auth_time, expires_at, used_at, family "
    "FROM oidc_code WHERE code_hash = $1";
constexpr std::string_view kSpendCode =
    "UPDATE oidc_code SET used_at = $2, family = $3 WHERE code_hash = $1";
constexpr std::string_view kInsertRefresh =
    "INSERT INTO oidc_refresh (token_hash, family, client_id, account_id, scope, nonce, auth_time, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kLoadRefresh =
    "SELECT family, client_id, account_id, scope, nonce, auth_time, expires_at, used_at, revoked_at "
    "FROM oidc_refresh WHERE token_hash = $1";
constexpr std::string_view kSpendRefresh =
    "UPDATE oidc_refresh SET used_at = $2 WHERE token_hash = $1";
constexpr std::string_view kRevokeFamily =
    "UPDATE oidc_refresh SET revoked_at = $2 WHERE family = $1 AND revoked_at IS NULL";
constexpr std::string_view kRevokeForClient =
    "UPDATE oidc_refresh SET revoked_at = $3 WHERE account_id = $1 AND client_id = $2 AND revoked_at IS NULL";

Error InvalidGrant(std::string message) {
  return Error{ErrorKind::kInvalid, "invalid_grant", std::move(message), {}};
}

}  // namespace

bool IsS256Challenge(std::string_view challenge) {
  return challenge.size() == 43 && crypto::Base64UrlDecode(challenge).ok();
}

bool VerifierMatches(std::string_view verifier, std::string_view challenge) {
  // RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].
  if (verifier.size() < 43 || verifier.size() > 128) return false;
  bool allowed = std::all_of(verifier.begin(), verifier.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' || ch == '_' ||
           ch == '~';
  });
  return allowed &&
         crypto::ConstantTimeEquals(crypto::Base64UrlEncode(crypto::Sha256(verifier)), challenge);
}

int64_t OidcGrantStore::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Result<std::string> OidcGrantStore::IssueCode(const AuthorizationGrant& g) {
  std::string code = crypto::RandomToken(32);
  NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query(
        kInsertCode, {SecretHash(code), g.client_id, g.account_id, g.redirect_uri, g.code_challenge,
                      g.scope, g.nonce, g.auth_time, Now() + lifetimes_.code_seconds}));
    return {};
  }));
  return code;
}

Result<std::string> OidcGrantStore::InsertRefresh(db::Connection& c, const TokenGrant& g) {
  std::string token = crypto::RandomToken(32);
  NEMIS_TRY(
      c.Query(kInsertRefresh, {SecretHash(token), g.family, g.client_id, g.account_id, g.scope,
                               g.nonce, g.auth_time, Now() + lifetimes_.refresh_seconds}));
  return token;
}

Result<std::pair<TokenGrant, std::string>> OidcGrantStore::RedeemCode(std::string_view code,
                                                                      std::string_view client_id,
                                                                      std::string_view redirect_uri,
                                                                      std::string_view verifier) {
  std::optional<Error> refused;
  auto issued = db_.Write<std::pair<TokenGrant, std::string>>(
      [&](db::Connection& c) -> Result<std::pair<TokenGrant, std::string>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLoadCode, {SecretHash(code)}));
        if (rs.empty()) return InvalidGrant("授权码无效");
        const db::Row& r = rs.rows[0];
        constexpr auto col = [](std::string_view name) consteval {
          return db::ColumnIndex(kLoadCode, name);
        };
        if (!r.IsNull(col("used_at"))) {
          // Presented again: whatever its first use issued is revoked (RFC 6749 §4.1.2).
          if (!r.IsNull(col("family")))
            NEMIS_TRY(c.Query(kRevokeFamily, {r.Text(col("family")), Now()}));
          // Commit the revocation; the caller reports the refusal.
          refused = InvalidGrant("授权码已使用过；由它签发的令牌已全部吊销");
          return std::make_pair(TokenGrant{}, std::string());
        }
        if (r.Int(col("expires_at")) < Now()) return InvalidGrant("授权码已过期");
        if (r.Text(col("client_id")) != client_id) return InvalidGrant("授权码不属于该应用");
        if (r.Text(col("redirect_uri")) != redirect_uri)
          return InvalidGrant("redirect_uri 与授权请求不一致");
        if (!VerifierMatches(verifier, r.Text(col("code_challenge"))))
          return InvalidGrant("code_verifier 与 code_challenge 不符");
        TokenGrant grant{r.Text(col("client_id")), r.Int(col("account_id")),
                         r.Text(col("scope")),     r.OptText(col("nonce")),
                         r.Int(col("auth_time")),  crypto::RandomToken(16)};
        NEMIS_TRY(c.Query(kSpendCode, {SecretHash(code), Now(), grant.family}));
        NEMIS_ASSIGN_OR_RETURN(std::string refresh, InsertRefresh(c, grant));
        return std::make_pair(std::move(grant), std::move(refresh));
      });
  if (refused) return *refused;
  return issued;
}

Result<std::pair<TokenGrant, std::string>> OidcGrantStore::RotateRefresh(
    std::string_view token, std::string_view client_id) {
  std::optional<Error> refused;
  auto issued = db_.Write<std::pair<TokenGrant, std::string>>(
      [&](db::Connection& c) -> Result<std::pair<TokenGrant, std::string>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLoadRefresh, {SecretHash(token)}));
        if (rs.empty()) return InvalidGrant("刷新令牌无效");
        const db::Row& r = rs.rows[0];
        constexpr auto col = [](std::string_view name) consteval {
          return db::ColumnIndex(kLoadRefresh, name);
        };
        if (r.Text(col("client_id")) != client_id) return InvalidGrant("刷新令牌不属于该应用");
        if (!r.IsNull(col("revoked_at"))) return InvalidGrant("刷新令牌已吊销");
        if (!r.IsNull(col("used_at"))) {
          // Spent before: someone holds a copy. Every token of the grant goes.
          NEMIS_TRY(c.Query(kRevokeFamily, {r.Text(col("family")), Now()}));
          refused = InvalidGrant("刷新令牌已使用过；该授权的令牌已全部吊销，请重新登录");
          return std::make_pair(TokenGrant{}, std::string());
        }
        if (r.Int(col("expires_at")) < Now()) return InvalidGrant("刷新令牌已过期");
        TokenGrant grant{r.Text(col("client_id")), r.Int(col("account_id")), r.Text(col("scope")),
                         r.OptText(col("nonce")),  r.Int(col("auth_time")),  r.Text(col("family"))};
        NEMIS_TRY(c.Query(kSpendRefresh, {SecretHash(token), Now()}));
        NEMIS_ASSIGN_OR_RETURN(std::string next, InsertRefresh(c, grant));
        return std::make_pair(std::move(grant), std::move(next));
      });
  if (refused) return *refused;
  return issued;
}

Status OidcGrantStore::RevokeFor(int64_t account_id, std::string_view client_id) {
  return db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query(kRevokeForClient, {account_id, client_id, Now()}));
    return {};
  });
}

}  // namespace nemis::identity
