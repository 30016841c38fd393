#include "exchange/node_tls.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "crypto/es256.hpp"
#include "crypto/private_directory.hpp"
#include "exchange/key_files.hpp"

namespace nemis::exchange {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Internal("无法读取文件 " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Error Mismatch(std::string message) {
  return Error::BadRequest("tls_certificate_mismatch", std::move(message));
}

}  // namespace

Result<std::string> EnsureTlsKey(const fs::path& dir) {
  const fs::path path = dir / kTlsKeyFile;
  if (fs::exists(path)) {
    NEMIS_ASSIGN_OR_RETURN(std::string pem, ReadText(path));
    NEMIS_ASSIGN_OR_RETURN(auto key, crypto::Es256PrivateKey::FromPem(pem));
    return key.PublicPem();
  }
  NEMIS_TRY(crypto::CreatePrivateDirectories(dir));
  crypto::Es256PrivateKey key = crypto::Es256PrivateKey::Generate();
  NEMIS_TRY(ReplaceKeyFile(path, key.ToPem(), 0600));
  return key.PublicPem();
}

Result<std::string> IssueTlsCertificate(const CertificateAuthority& ca,
                                        const crypto::Sm2Certificate& node_certificate,
                                        std::string_view public_key_pem, int64_t now) {
  const int64_t until = std::min(node_certificate.Validity().not_after, now + kNodeValiditySeconds);
  return crypto::Sm2Certificate::IssueTls(ca.key, ca.certificate, public_key_pem,
                                          node_certificate.Subject(), {now - 60, until});
}

Result<crypto::TlsCertificateInfo> InstallTlsCertificate(const fs::path& dir, NodeIdentity& self,
                                                         std::string_view certificate_pem,
                                                         int64_t now) {
  NEMIS_ASSIGN_OR_RETURN(auto info, crypto::Sm2Certificate::ReadTls(certificate_pem, self.ca, now));
  if (info.subject.common_name != self.code) {
    return Mismatch("TLS 证书是节点 " + info.subject.common_name + " 的，不是本节点 " + self.code +
                    " 的");
  }
  NEMIS_ASSIGN_OR_RETURN(std::string public_pem, EnsureTlsKey(dir));
  if (info.public_key_pem != public_pem) {
    return Mismatch("TLS 证书不是为本节点的 TLS 密钥（" + std::string(kTlsKeyFile) + "）签发的");
  }
  NEMIS_TRY(ReplaceKeyFile(dir / kTlsCertificateFile, std::string(certificate_pem), 0644));
  NEMIS_TRY(LoadNodeTls(dir, self));
  return info;
}

Status LoadNodeTls(const fs::path& dir, NodeIdentity& identity) {
  if (!fs::exists(dir / kTlsCertificateFile)) return {};
  NEMIS_ASSIGN_OR_RETURN(std::string certificate, ReadText(dir / kTlsCertificateFile));
  NEMIS_ASSIGN_OR_RETURN(std::string key, ReadText(dir / kTlsKeyFile));
  http::TlsIdentity tls{std::move(certificate), std::move(key), identity.ca.ToPem()};
  NEMIS_ASSIGN_OR_RETURN(identity.tls_client, http::MakeTlsClientContext(tls));
  identity.tls = std::move(tls);
  return {};
}

Status CheckTlsPeer(const NodeIdentity& self, std::string_view client_certificate_pem,
                    std::string_view code, int64_t now) {
  NEMIS_ASSIGN_OR_RETURN(auto info,
                         crypto::Sm2Certificate::ReadTls(client_certificate_pem, self.ca, now));
  if (info.subject.common_name != code) {
    return Error{ErrorKind::kForbidden,
                 "certificate_mismatch",
                 "连接的 TLS 证书属于节点 " + info.subject.common_name + "，请求却由节点 " +
                     std::string(code) + " 签名",
                 {}};
  }
  return {};
}

}  // namespace nemis::exchange
