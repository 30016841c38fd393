#include "identity/jwt.hpp"

#include <vector>

#include "crypto/encoding.hpp"

namespace nemis::identity {
namespace {

using nlohmann::json;

Error Invalid(std::string why) {
  return Error::Unauthenticated("invalid_token", "令牌无效：" + std::move(why));
}

std::vector<std::string_view> SplitDots(std::string_view token) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t dot = token.find('.', start);
    parts.push_back(
        token.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

Result<json> DecodeJsonPart(std::string_view part, std::string_view what) {
  auto bytes = crypto::Base64UrlDecode(part);
  if (!bytes.ok()) return Invalid(std::string(what) + " 不是 base64url");
  json value = json::parse(*bytes, nullptr, false);
  if (!value.is_object()) return Invalid(std::string(what) + " 不是 JSON 对象");
  return value;
}

// A string member, "" when absent or of another type: json::value() would throw on a
// token whose "alg" is a number, and the header is read before the signature is checked.
std::string StringMember(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

bool AudienceMatches(const json& aud, const std::string& expected) {
  if (aud.is_string()) return aud.get<std::string>() == expected;
  if (!aud.is_array()) return false;
  for (const auto& a : aud)
    if (a.is_string() && a.get<std::string>() == expected) return true;
  return false;
}

Status CheckClaims(const json& claims, const JwtCheck& check) {
  if (StringMember(claims, "iss") != check.issuer) return Invalid("签发者不符");
  if (check.audience && !AudienceMatches(claims.value("aud", json()), *check.audience))
    return Invalid("受众不符");
  if (!claims.contains("exp") || !claims["exp"].is_number_integer()) return Invalid("缺少过期时间");
  // now - leeway, not exp + leeway: exp is the token's and may be INT64_MAX.
  if (check.check_expiry && claims["exp"].get<int64_t>() < check.now - check.leeway)
    return Invalid("已过期");
  if (claims.contains("nbf") && claims["nbf"].is_number_integer() &&
      claims["nbf"].get<int64_t>() > check.now + check.leeway)
    return Invalid("尚未生效");
  return {};
}

}  // namespace

std::string SignJwt(const json& claims, const crypto::Es256PrivateKey& key, std::string_view kid,
                    std::string_view typ) {
  json header = {{"alg", "ES256"}, {"typ", typ}, {"kid", kid}};
  std::string signing_input =
      crypto::Base64UrlEncode(header.dump()) + "." + crypto::Base64UrlEncode(claims.dump());
  return signing_input + "." + crypto::Base64UrlEncode(key.Sign(signing_input));
}

Result<json> VerifyJwt(std::string_view token, const JwtKeyLookup& key_for, const JwtCheck& check) {
  auto parts = SplitDots(token);
  if (parts.size() != 3) return Invalid("不是三段式 JWS");
  NEMIS_ASSIGN_OR_RETURN(json header, DecodeJsonPart(parts[0], "头部"));
  if (StringMember(header, "alg") != "ES256") return Invalid("只接受 ES256 签名");
  if (StringMember(header, "typ") != check.typ) return Invalid("令牌类型不符");
  std::optional<crypto::Es256PublicKey> key = key_for(StringMember(header, "kid"));
  if (!key) return Invalid("未知的密钥编号");
  auto signature = crypto::Base64UrlDecode(parts[2]);
  std::string_view signing_input = token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (!signature.ok() || !key->Verify(signing_input, *signature)) return Invalid("签名不正确");
  NEMIS_ASSIGN_OR_RETURN(json claims, DecodeJsonPart(parts[1], "声明"));
  NEMIS_TRY(CheckClaims(claims, check));
  return claims;
}

}  // namespace nemis::identity
