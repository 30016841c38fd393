#include "exchange/node_request.hpp"

#include <charconv>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace nemis::exchange {
namespace {

constexpr size_t kNonceChars = 32;

std::string SigningText(std::string_view from, std::string_view to, std::string_view method,
                        std::string_view target, int64_t time, std::string_view nonce,
                        std::string_view body) {
  std::string text(kNodeAuthScheme);
  for (std::string_view part : {from, to, method, target}) {
    text += '\n';
    text += part;
  }
  text += '\n' + std::to_string(time) + '\n' + std::string(nonce) + '\n' +
          crypto::ToHex(crypto::Sm3(body));
  return text;
}

Error Unauthenticated(const std::string& why) {
  return Error::Unauthenticated("node_unauthenticated", "节点请求未通过认证：" + why);
}

struct AuthFields {
  std::string node, to, nonce, signature;
  int64_t time = 0;
};

// "NEMIS-SM2 node=440000,time=..,nonce=..,signature=.."
std::optional<AuthFields> ParseAuthorization(std::string_view header) {
  if (!header.starts_with(kNodeAuthScheme) || header.size() <= kNodeAuthScheme.size() + 1 ||
      header[kNodeAuthScheme.size()] != ' ') {
    return std::nullopt;
  }
  AuthFields f;
  std::string time;
  std::string_view rest = header.substr(kNodeAuthScheme.size() + 1);
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "node") f.node = value;
    if (key == "to") f.to = value;
    if (key == "time") time = value;
    if (key == "nonce") f.nonce = value;
    if (key == "signature") f.signature = value;
  }
  auto [end, ec] = std::from_chars(time.data(), time.data() + time.size(), f.time);
  if (ec != std::errc() || end != time.data() + time.size() || f.node.empty() || f.to.empty() ||
      f.nonce.size() != kNonceChars ||
      f.nonce.find_first_not_of("0123456789abcdef") != std::string::npos || f.signature.empty()) {
    return std::nullopt;
  }
  return f;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SignNodeRequest(
    const NodeIdentity& self, std::string_view to, std::string_view method, std::string_view target,
    std::string_view body, int64_t now) {
  const std::string nonce = crypto::ToHex(crypto::RandomBytes(kNonceChars / 2));
  const std::string signature = crypto::Base64Encode(
      self.key.Sign(SigningText(self.code, to, method, target, now, nonce, body)));
  return {{"Authorization", std::string(kNodeAuthScheme) + " node=" + self.code +
                                ",to=" + std::string(to) + ",time=" + std::to_string(now) +
                                ",nonce=" + nonce + ",signature=" + signature},
          {std::string(kCertificateHeader), crypto::Base64Encode(self.certificate.ToPem())}};
}

Result<NodeCaller> NodeRequestVerifier::Verify(db::Database& db, const NodeIdentity& self,
                                               std::string_view method, std::string_view target,
                                               std::string_view body,
                                               std::string_view authorization,
                                               std::string_view certificate, int64_t now) {
  std::optional<AuthFields> auth = ParseAuthorization(authorization);
  if (!auth) return Unauthenticated("缺少或无法解析 NEMIS-SM2 签名");
  if (auth->time < now - kRequestSkewSeconds || auth->time > now + kRequestSkewSeconds) {
    return Unauthenticated("请求时间与本节点时钟相差超过 " + std::to_string(kRequestSkewSeconds) +
                           " 秒");
  }
  if (auth->to != self.code) return Unauthenticated("请求不是发给本节点的");
  auto pem = crypto::Base64Decode(certificate);
  auto cert = pem.ok() ? crypto::Sm2Certificate::FromPem(*pem)
                       : Result<crypto::Sm2Certificate>(Error::BadRequest("bad_certificate", ""));
  if (!cert.ok()) return Unauthenticated("缺少节点证书或证书无法解析");
  NEMIS_TRY(
      db.WithReader([&](db::Connection& c) { return TrustNode(c, self, *cert, auth->node, now); }));
  auto signature = crypto::Base64Decode(auth->signature);
  if (!signature.ok() || !cert->PublicKey().Verify(SigningText(auth->node, auth->to, method, target,
                                                               auth->time, auth->nonce, body),
                                                   *signature)) {
    return Unauthenticated("签名无效");
  }
  if (!FirstUse(auth->nonce, auth->time, now)) return Unauthenticated("请求被重放");
  return NodeCaller{auth->node, std::move(*cert)};
}

bool NodeRequestVerifier::FirstUse(const std::string& nonce, int64_t time, int64_t now) {
  std::lock_guard lock(mu_);
  // Forget what can no longer be replayed: a request older than the window is refused anyway.
  std::erase_if(nonces_,
                [&](const auto& entry) { return entry.second < now - kRequestSkewSeconds; });
  return nonces_.emplace(nonce, time).second;
}

}  // namespace nemis::exchange
