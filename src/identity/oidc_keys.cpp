#include "identity/oidc_keys.hpp"

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace nemis::identity {
namespace {

constexpr std::string_view kActive =
    "SELECT kid, private_key FROM oidc_signing_key WHERE retired_at IS NULL ORDER BY created_at DESC, kid";
constexpr std::string_view kPublished =
    "SELECT kid, private_key FROM oidc_signing_key ORDER BY retired_at IS NOT NULL, retired_at DESC, created_at DESC "
    "LIMIT 2";
constexpr std::string_view kInsert =
    "INSERT INTO oidc_signing_key (kid, private_key, created_at) VALUES ($1, $2, $3)";
constexpr std::string_view kAll = "SELECT kid, private_key FROM oidc_signing_key";
constexpr std::string_view kReseal = "UPDATE oidc_signing_key SET private_key = $2 WHERE kid = $1";
constexpr std::string_view kRetireAll =
    "UPDATE oidc_signing_key SET retired_at = $1 WHERE retired_at IS NULL";

OidcSigningKey NewKey() {
  return {"nemis-" + crypto::RandomToken(12), crypto::Es256PrivateKey::Generate()};
}

}  // namespace

Result<OidcSigningKey> OidcKeyStore::Unseal(const std::string& kid,
                                            const std::string& sealed_hex) const {
  NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::FromHex(sealed_hex));
  NEMIS_ASSIGN_OR_RETURN(std::string pem, cipher_.Open(sealed));
  NEMIS_ASSIGN_OR_RETURN(auto key, crypto::Es256PrivateKey::FromPem(pem));
  return OidcSigningKey{kid, std::move(key)};
}

Status OidcKeyStore::Insert(db::Connection& c, const OidcSigningKey& key) {
  NEMIS_TRY(c.Query(
      kInsert, {key.kid, crypto::ToHex(cipher_.Seal(key.key.ToPem())), FormatUtc(clock_.Now())}));
  return {};
}

Result<OidcSigningKey> OidcKeyStore::Active() {
  NEMIS_ASSIGN_OR_RETURN(
      auto found, db_.Read<db::ResultSet>([](db::Connection& c) { return c.Query(kActive); }));
  if (!found.empty()) return Unseal(found.rows[0].Text(0), found.rows[0].Text(1));
  // The first signature of the node: make the key, unless another server just did.
  return db_.Write<OidcSigningKey>([&](db::Connection& c) -> Result<OidcSigningKey> {
    NEMIS_ASSIGN_OR_RETURN(auto again, c.Query(kActive));
    if (!again.empty()) return Unseal(again.rows[0].Text(0), again.rows[0].Text(1));
    OidcSigningKey key = NewKey();
    NEMIS_TRY(Insert(c, key));
    return key;
  });
}

Result<std::string> OidcKeyStore::Rotate() {
  OidcSigningKey key = NewKey();
  NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query(kRetireAll, {FormatUtc(clock_.Now())}));
    return Insert(c, key);
  }));
  return key.kid;
}

Result<std::vector<OidcSigningKey>> OidcKeyStore::Published() {
  NEMIS_TRY(Active());  // a node that never signed publishes the key it will sign with
  NEMIS_ASSIGN_OR_RETURN(
      auto rs, db_.Read<db::ResultSet>([](db::Connection& c) { return c.Query(kPublished); }));
  std::vector<OidcSigningKey> keys;
  for (const auto& row : rs.rows) {
    NEMIS_ASSIGN_OR_RETURN(auto key, Unseal(row.Text(0), row.Text(1)));
    keys.push_back(std::move(key));
  }
  return keys;
}

Result<int64_t> OidcKeyStore::ResealAll() {
  return db_.Write<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kAll));
    for (const auto& row : rs.rows) {
      NEMIS_ASSIGN_OR_RETURN(auto key, Unseal(row.Text(0), row.Text(1)));
      NEMIS_TRY(c.Query(kReseal, {key.kid, crypto::ToHex(cipher_.Seal(key.key.ToPem()))}));
    }
    return static_cast<int64_t>(rs.size());
  });
}

Result<std::string> OidcKeyStore::JwksJson() {
  NEMIS_ASSIGN_OR_RETURN(auto keys, Published());
  std::string out = "{\"keys\":[";
  for (size_t i = 0; i < keys.size(); ++i)
    out += (i ? "," : "") + keys[i].key.PublicJwkJson(keys[i].kid);
  return out + "]}";
}

}  // namespace nemis::identity
