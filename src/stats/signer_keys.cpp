#include "stats/signer_keys.hpp"

#include <memory>
#include <mutex>
#include <optional>

#include "audit/signing_key.hpp"
#include "crypto/encoding.hpp"

namespace nemis::stats {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSelect =
    "SELECT private_key, certificate FROM stats_signer WHERE account = $1";
// Two first signatures of one person at once: the first key stays, the other is not kept.
constexpr std::string_view kInsert =
    "INSERT INTO stats_signer (account, private_key, certificate, issued_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (account) DO NOTHING";

// What the authority signs: the certificate without its signature.
std::string SignedPart(Json certificate) {
  certificate.erase("signature");
  return certificate.dump();
}

Result<Signer> SignerFromRow(const crypto::FieldCipher& cipher, const db::Row& row) {
  NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::FromHex(row.Text(0)));
  NEMIS_ASSIGN_OR_RETURN(std::string pem, cipher.Open(sealed));
  NEMIS_ASSIGN_OR_RETURN(auto key, crypto::Sm2PrivateKey::FromPem(pem));
  Json certificate = Json::parse(row.Text(1), nullptr, false);
  if (!certificate.is_object()) return Error::Internal("stats_signer certificate is not JSON");
  return Signer{key, std::move(certificate)};
}

}  // namespace

Json IssueCertificate(const crypto::Sm2PrivateKey& authority, const std::string& account,
                      const std::string& public_pem, const std::string& now) {
  Json certificate = {{"format", kCertificateFormat},
                      {"subject", account},
                      {"publicKey", public_pem},
                      {"issuedAt", now},
                      {"issuerPublicKey", authority.PublicPem()}};
  certificate["signature"] = crypto::Base64Encode(authority.Sign(SignedPart(certificate)));
  return certificate;
}

std::string CertificateProblem(const Json& certificate, const crypto::Sm2PublicKey& authority) {
  if (!certificate.is_object() || certificate.value("format", "") != kCertificateFormat)
    return "证书格式不对";
  for (const char* field : {"subject", "publicKey", "issuedAt", "signature"})
    if (!certificate.contains(field) || !certificate[field].is_string())
      return std::string("证书缺少 ") + field;
  auto signature = crypto::Base64Decode(certificate["signature"].get<std::string>());
  if (!signature.ok() || !authority.Verify(SignedPart(certificate), *signature))
    return "证书不是签章机构签发的（签名不符）";
  if (!crypto::Sm2PublicKey::FromPem(certificate["publicKey"].get<std::string>()).ok())
    return "证书中的公钥不是 SM2 公钥";
  return "";
}

Result<Signer> SignerKeys::For(db::Connection& c, const std::string& account,
                               const std::string& now) const {
  NEMIS_ASSIGN_OR_RETURN(auto found, c.Query(kSelect, {account}));
  if (!found.empty()) return SignerFromRow(cipher_, found.rows[0]);
  NEMIS_ASSIGN_OR_RETURN(auto authority, authority_());
  const auto key = crypto::Sm2PrivateKey::Generate();
  const std::string sealed = crypto::ToHex(cipher_.Seal(key.ToPem()));
  const std::string certificate = IssueCertificate(authority, account, key.PublicPem(), now).dump();
  NEMIS_TRY(c.Query(kInsert, {account, sealed, certificate, now}));
  NEMIS_ASSIGN_OR_RETURN(auto stored, c.Query(kSelect, {account}));
  if (stored.empty()) return Error::Internal("stats_signer row missing after insert");
  return SignerFromRow(cipher_, stored.rows[0]);
}

SignerKeys::AuthorityKey AuthorityKeyFile(std::string path) {
  struct Cache {
    std::mutex mutex;
    std::optional<crypto::Sm2PrivateKey> key;
  };
  auto cache = std::make_shared<Cache>();
  return [cache, path = std::move(path)]() -> Result<crypto::Sm2PrivateKey> {
    std::lock_guard lock(cache->mutex);
    if (!cache->key) {
      NEMIS_ASSIGN_OR_RETURN(auto key, audit::LoadOrCreateSigningKey(path));
      cache->key = key;
    }
    return *cache->key;
  };
}

Result<std::string> SignerKeys::AuthorityPublicPem() const {
  NEMIS_ASSIGN_OR_RETURN(auto authority, authority_());
  return authority.PublicPem();
}

}  // namespace nemis::stats
