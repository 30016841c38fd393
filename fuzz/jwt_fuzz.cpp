// JWTs (src/identity/jwt.hpp): what /oidc/userinfo and /oidc/logout (id_token_hint) accept
// from clients. Two ways per input:
// - as a token: the input is the compact JWS, checked against a fixed P-256 key under
//   kid "k1" (the committed seeds are signed with it, so the claim checks are reached);
// - signed here: the input is header JSON, a newline, claims JSON; the harness signs it with
//   the same key, as the provider would sign what it mints, so that every claim the
//   fuzzer invents reaches the checks after the signature.
// Checks: a verified token has the required issuer, audience, type and an unexpired exp;
// a token that verifies does not verify with a flipped signature bit.
#include <string>

#include "crypto/encoding.hpp"
#include "crypto/es256.hpp"
#include "fuzz_check.hpp"
#include "identity/jwt.hpp"

namespace nemis::fuzz {
namespace {

constexpr std::string_view kPrivatePem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFo7+QD3F5sE6BIaj\n"
    "2h2BS04Q6BWMgew4cR1og+SwQzahRANCAAQFZAxzYhqt6pREx1y+IdGU3aLHBHy+\n"
    "7XRH/y7BXXHia/VCytLa70cU5Ti4V6fv4GzXMQQYRUznZJgQ94STsB9+\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kIssuer = "https://nemis.example.cn";
constexpr int64_t kNow = 1760000000;  // 2025-10-09

const crypto::Es256PrivateKey& Key() {
  static const crypto::Es256PrivateKey key = *crypto::Es256PrivateKey::FromPem(kPrivatePem);
  return key;
}

std::optional<crypto::Es256PublicKey> Lookup(std::string_view kid) {
  if (kid == "k1") return Key().PublicKey();
  return std::nullopt;
}

void Verify(std::string_view token, bool with_audience) {
  identity::JwtCheck check;
  check.typ = "JWT";
  check.issuer = std::string(kIssuer);
  if (with_audience) check.audience = "nemis-portal";
  check.now = kNow;
  auto claims = identity::VerifyJwt(token, Lookup, check);
  if (!claims.ok()) {
    FUZZ_CHECK(claims.error().code == "invalid_token", "refused with another code");
    return;
  }
  FUZZ_CHECK(claims->is_object(), "claims are not an object");
  FUZZ_CHECK(claims->value("iss", "") == kIssuer, "accepted another issuer");
  FUZZ_CHECK((*claims)["exp"].is_number_integer(), "accepted without exp");
  FUZZ_CHECK((*claims)["exp"].get<int64_t>() >= kNow - check.leeway, "accepted an expired token");
  // The same token with one signature bit flipped must be refused.
  size_t dot = token.rfind('.');
  auto signature = crypto::Base64UrlDecode(token.substr(dot + 1));
  FUZZ_CHECK(signature.ok() && !signature->empty(), "accepted without a signature");
  (*signature)[signature->size() / 2] ^= 1;
  std::string forged = std::string(token.substr(0, dot + 1)) + crypto::Base64UrlEncode(*signature);
  FUZZ_CHECK(!identity::VerifyJwt(forged, Lookup, check).ok(), "accepted a forged signature");
}

}  // namespace
}  // namespace nemis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nemis;
  std::string_view text = fuzz::AsText(data, size);
  fuzz::Verify(text, size % 2 == 0);

  size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return 0;
  std::string signing_input = crypto::Base64UrlEncode(text.substr(0, newline)) + "." +
                              crypto::Base64UrlEncode(text.substr(newline + 1));
  std::string token =
      signing_input + "." + crypto::Base64UrlEncode(fuzz::Key().Sign(signing_input));
  fuzz::Verify(token, size % 2 == 0);
  return 0;
}
