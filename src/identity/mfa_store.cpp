#include "identity/mfa_store.hpp"

#include "crypto/encoding.hpp"
#include "identity/qr_svg.hpp"
#include "identity/recovery_codes.hpp"
#include "identity/totp.hpp"

namespace nemis::identity {
namespace {

constexpr std::string_view kIssuer = "国家教育管理信息系统";
constexpr std::string_view kSetPending = "UPDATE account SET totp_pending = $2 WHERE id = $1";
constexpr std::string_view kLoadTotp =
    "SELECT totp_secret, totp_pending, totp_last_step FROM account WHERE id = $1";
constexpr std::string_view kActivate =
    "UPDATE account SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $2 WHERE id = $1";
constexpr std::string_view kUseStep = "UPDATE account SET totp_last_step = $2 WHERE id = $1";
constexpr std::string_view kClearRecovery = "DELETE FROM recovery_code WHERE account_id = $1";
constexpr std::string_view kAddRecovery =
    "INSERT INTO recovery_code (account_id, code_hash) VALUES ($1, $2)";
constexpr std::string_view kUnusedRecovery =
    "SELECT code_hash FROM recovery_code WHERE account_id = $1 AND used_at IS NULL ORDER BY code_hash";
constexpr std::string_view kUseRecovery =
    "UPDATE recovery_code SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL";

constexpr std::string_view kSealedSecrets =
    "SELECT id, totp_secret, totp_pending FROM account WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL";
constexpr std::string_view kResealSecrets =
    "UPDATE account SET totp_secret = $2, totp_pending = $3 WHERE id = $1";

// A sealed secret (hex) sealed again with the current keys; unchanged when it already is.
Result<std::optional<std::string>> Resealed(const crypto::FieldCipher& cipher,
                                            const std::optional<std::string>& hex, bool& changed) {
  if (!hex) return hex;
  NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::FromHex(*hex));
  if (cipher.KeyVersionOf(sealed) == cipher.CurrentVersion()) return hex;
  NEMIS_ASSIGN_OR_RETURN(std::string key, cipher.Open(sealed));
  changed = true;
  return std::optional<std::string>(crypto::ToHex(cipher.Seal(key)));
}

Error WrongCode() {
  return Error::Invalid({{"code", "wrong_code", "动态口令不正确或已使用，请等待下一个口令"}});
}

}  // namespace

Result<TotpEnrolment> MfaStore::Begin(int64_t account_id, std::string_view login) {
  TotpSecret secret = TotpSecret::Generate();
  std::string uri = OtpauthUri(kIssuer, login, secret);
  NEMIS_ASSIGN_OR_RETURN(std::string svg, QrSvg(uri));
  std::string sealed = crypto::ToHex(cipher_.Seal(secret.key));
  NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query(kSetPending, {account_id, sealed}));
    return {};
  }));
  return TotpEnrolment{secret.Base32(), uri, svg};
}

Result<std::vector<std::string>> MfaStore::Confirm(int64_t account_id, std::string_view code) {
  std::vector<std::string> codes = GenerateRecoveryCodes();
  auto now = clock_.Now();
  NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLoadTotp, {account_id}));
    if (rs.empty() || rs.rows[0].IsNull(1))
      return Error::Conflict("no_enrolment", "没有待确认的动态口令绑定，请先开始绑定");
    NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::FromHex(rs.rows[0].Text(1)));
    NEMIS_ASSIGN_OR_RETURN(std::string key, cipher_.Open(sealed));
    auto step = VerifyTotp(key, code, now, kNoTotpStepUsed);
    if (!step) return WrongCode();
    NEMIS_TRY(c.Query(kActivate, {account_id, *step}));
    NEMIS_TRY(c.Query(kClearRecovery, {account_id}));
    for (const auto& r : codes) NEMIS_TRY(c.Query(kAddRecovery, {account_id, RecoveryCodeHash(r)}));
    return {};
  }));
  return codes;
}

Result<bool> MfaStore::CheckTotp(db::Connection& c, int64_t account_id, std::string_view code) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLoadTotp, {account_id}));
  if (rs.empty() || rs.rows[0].IsNull(0)) return false;
  NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::FromHex(rs.rows[0].Text(0)));
  NEMIS_ASSIGN_OR_RETURN(std::string key, cipher_.Open(sealed));
  int64_t last = rs.rows[0].IsNull(2) ? kNoTotpStepUsed : rs.rows[0].Int(2);
  auto step = VerifyTotp(key, code, clock_.Now(), last);
  if (!step) return false;
  NEMIS_TRY(c.Query(kUseStep, {account_id, *step}));
  return true;
}

Result<int64_t> MfaStore::ResealSecrets() {
  return db_.Write<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSealedSecrets));
    int64_t resealed = 0;
    for (const auto& row : rs.rows) {
      bool changed = false;
      NEMIS_ASSIGN_OR_RETURN(auto secret, Resealed(cipher_, row.OptText(1), changed));
      NEMIS_ASSIGN_OR_RETURN(auto pending, Resealed(cipher_, row.OptText(2), changed));
      if (!changed) continue;
      NEMIS_TRY(c.Query(kResealSecrets, {row.Int(0), secret, pending}));
      ++resealed;
    }
    return resealed;
  });
}

Result<bool> MfaStore::CheckRecoveryCode(db::Connection& c, int64_t account_id,
                                         std::string_view code) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kUnusedRecovery, {account_id}));
  std::vector<std::string> hashes;
  for (const auto& row : rs.rows) hashes.push_back(row.Text(0));
  auto match = MatchRecoveryCode(code, hashes);
  if (!match) return false;
  NEMIS_ASSIGN_OR_RETURN(
      auto used, c.Query(kUseRecovery, {account_id, hashes[*match], FormatUtc(clock_.Now())}));
  return used.affected == 1;
}

Result<bool> MfaStore::Check(int64_t account_id, std::string_view code) {
  // In the writer: the check and the "used" mark are one step, so a code raced from
  // two logins at once is accepted by one of them only.
  return db_.Write<bool>([&](db::Connection& c) -> Result<bool> {
    NEMIS_ASSIGN_OR_RETURN(bool totp, CheckTotp(c, account_id, code));
    if (totp) return true;
    return CheckRecoveryCode(c, account_id, code);
  });
}

}  // namespace nemis::identity
