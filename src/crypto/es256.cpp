// ES256 keys on top of internal/pkey: P-256 checks, JOSE signature form and JWK import and
// export.
#include "crypto/es256.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/internal/jose_signature.hpp"
#include "crypto/internal/openssl_error.hpp"
#include "crypto/internal/pkey.hpp"

namespace nemis::crypto {
namespace {

constexpr const char* kKeyType = "EC";
constexpr const char* kGroup = "prime256v1";  // OpenSSL's name for P-256
constexpr const char* kDigest = "SHA256";
constexpr size_t kCoordinateBytes = 32;

using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;

Result<internal::PkeyPtr> RequireP256(Result<internal::PkeyPtr> key) {
  if (key.ok() && !internal::IsKeyOn(key->get(), kKeyType, kGroup)) {
    return Error::BadRequest("bad_key", "不是 P-256 椭圆曲线密钥");
  }
  return key;
}

Error BadJwk(const char* message) {
  internal::ClearOpenSslErrors();
  return Error::BadRequest("bad_jwk", message);
}

// One affine coordinate of the public point, big-endian, zero-padded to 32 bytes.
std::string Coordinate(EVP_PKEY* key, const char* param) {
  BIGNUM* value = nullptr;
  std::string out(kCoordinateBytes, '\0');
  bool ok = EVP_PKEY_get_bn_param(key, param, &value) == 1 &&
            BN_bn2binpad(value, reinterpret_cast<unsigned char*>(out.data()),
                         static_cast<int>(kCoordinateBytes)) == static_cast<int>(kCoordinateBytes);
  BN_free(value);
  if (!ok) internal::ThrowOpenSslError(std::string("EVP_PKEY_get_bn_param ") + param);
  return out;
}

// Builds a public key from an uncompressed point (0x04 || x || y); fails when the point is
// not on the curve.
EVP_PKEY* PublicKeyFromPoint(std::string point) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, kKeyType, nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    internal::ThrowOpenSslError("EVP_PKEY_fromdata_init");
  }
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(kGroup), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) != 1) return nullptr;
  return key;
}

}  // namespace

Result<Es256PublicKey> Es256PublicKey::FromPem(std::string_view pem) {
  NEMIS_ASSIGN_OR_RETURN(internal::PkeyPtr key, RequireP256(internal::ReadPublicKeyPem(pem)));
  return Es256PublicKey(std::move(key));
}

Result<Es256PublicKey> Es256PublicKey::FromJwk(std::string_view x_b64url,
                                               std::string_view y_b64url) {
  Result<std::string> x = Base64UrlDecode(x_b64url);
  Result<std::string> y = Base64UrlDecode(y_b64url);
  if (!x.ok() || !y.ok()) return BadJwk("JWK 的 x、y 不是 base64url");
  if (x->size() != kCoordinateBytes || y->size() != kCoordinateBytes) {
    return BadJwk("JWK 的 x、y 应各为 32 字节");
  }
  EVP_PKEY* key = PublicKeyFromPoint("\x04" + *x + *y);
  if (key == nullptr) return BadJwk("JWK 的 x、y 不是 P-256 曲线上的点");
  return Es256PublicKey(internal::AdoptPkey(key));
}

bool Es256PublicKey::Verify(std::string_view message, std::string_view jose_signature) const {
  std::optional<std::string> der = internal::JoseToDer(jose_signature, kCoordinateBytes);
  if (!der) return false;
  return internal::DigestVerify(key_.get(), kDigest, {}, message, *der);
}

Es256PrivateKey Es256PrivateKey::Generate() {
  return Es256PrivateKey(internal::GenerateKey(kKeyType, kGroup));
}

Result<Es256PrivateKey> Es256PrivateKey::FromPem(std::string_view pem) {
  NEMIS_ASSIGN_OR_RETURN(internal::PkeyPtr key, RequireP256(internal::ReadPrivateKeyPem(pem)));
  return Es256PrivateKey(std::move(key));
}

std::string Es256PrivateKey::ToPem() const { return internal::WritePrivateKeyPem(key_.get()); }

std::string Es256PrivateKey::PublicPem() const { return internal::WritePublicKeyPem(key_.get()); }

std::string Es256PrivateKey::Sign(std::string_view message) const {
  return internal::DerToJose(internal::DigestSign(key_.get(), kDigest, {}, message),
                             kCoordinateBytes);
}

std::string Es256PrivateKey::PublicJwkJson(std::string_view kid) const {
  // ordered_json keeps the members in the order RFC 7517's examples use.
  nlohmann::ordered_json jwk;
  jwk["kty"] = "EC";
  jwk["crv"] = "P-256";
  jwk["x"] = Base64UrlEncode(Coordinate(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X));
  jwk["y"] = Base64UrlEncode(Coordinate(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y));
  jwk["kid"] = std::string(kid);
  jwk["use"] = "sig";
  jwk["alg"] = "ES256";
  // `kid` is ours, but a stray invalid UTF-8 byte must not make dump() throw.
  return jwk.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace nemis::crypto
