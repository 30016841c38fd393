// ECDSA_SIG conversions between DER and JOSE r || s.
#include "crypto/internal/jose_signature.hpp"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <memory>

#include "crypto/internal/openssl_error.hpp"

namespace nemis::crypto::internal {
namespace {

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string DerToJose(std::string_view der, size_t coordinate_bytes) {
  const unsigned char* p = Bytes(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())), ECDSA_SIG_free);
  if (!sig) ThrowOpenSslError("d2i_ECDSA_SIG");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string jose(2 * coordinate_bytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(jose.data());
  const int width = static_cast<int>(coordinate_bytes);
  if (BN_bn2binpad(r, out, width) != width || BN_bn2binpad(s, out + width, width) != width) {
    ThrowOpenSslError("BN_bn2binpad (ECDSA signature wider than the curve)");
  }
  return jose;
}

std::optional<std::string> JoseToDer(std::string_view jose, size_t coordinate_bytes) {
  if (jose.size() != 2 * coordinate_bytes) return std::nullopt;
  const int width = static_cast<int>(coordinate_bytes);
  BIGNUM* r = BN_bin2bn(Bytes(jose), width, nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(jose) + width, width, nullptr);
  EcdsaSigPtr sig(ECDSA_SIG_new(), ECDSA_SIG_free);
  if (r == nullptr || s == nullptr || !sig || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ThrowOpenSslError("ECDSA_SIG_set0");
  }
  // r and s now belong to sig.
  int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) ThrowOpenSslError("i2d_ECDSA_SIG");
  std::string der(static_cast<size_t>(len), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != len) ThrowOpenSslError("i2d_ECDSA_SIG");
  return der;
}

}  // namespace nemis::crypto::internal
