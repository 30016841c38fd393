#include "exchange/node_identity.hpp"

#include <cctype>
#include <fstream>
#include <sstream>
#include <tuple>
#include <vector>

#include "base/date.hpp"
#include "crypto/private_directory.hpp"
#include "exchange/key_files.hpp"
#include "exchange/node_tls.hpp"

namespace nemis::exchange {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNodeKey = "node_sm2.pem";
constexpr const char* kNodeCertificate = "node.crt";
constexpr const char* kCaCertificate = "ca.crt";
constexpr const char* kCaKey = "ca_sm2.pem";
constexpr std::string_view kNationalNodeCode = "000000";

constexpr std::string_view kUpsertNode =
    "INSERT INTO exchange_node (code, role, serial, certificate, state, issued_at) "
    "VALUES ($1, 'provincial', $2, $3, 'active', $4) ON CONFLICT (code) DO UPDATE SET "
    "serial = excluded.serial, certificate = excluded.certificate, state = 'active', "
    "issued_at = excluded.issued_at, revoked_at = NULL";
constexpr std::string_view kRevokeNode =
    "UPDATE exchange_node SET state = 'revoked', revoked_at = $2 WHERE code = $1";
constexpr std::string_view kProvinceHeld = "SELECT 1 FROM org WHERE code = $1 AND level = 1";
constexpr std::string_view kSelectNode = "SELECT serial, state FROM exchange_node WHERE code = $1";

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::BadRequest("node_not_initialised",
                             "节点密钥目录中缺少 " + path.string() + "，请先执行 nemis node init");
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Status RequireNoNode(const fs::path& dir) {
  for (const char* name : {kNodeKey, kNodeCertificate, kCaCertificate, kCaKey}) {
    if (fs::exists(dir / name)) {
      return Error::Conflict("node_exists",
                             "目录 " + dir.string() + " 已有节点文件 " + name + "，不会覆盖");
    }
  }
  return crypto::CreatePrivateDirectories(dir);
}

// Writes the files in order; if one fails, removes those written before it, so that the
// command can simply be run again.
Status WriteNewFiles(const fs::path& dir,
                     const std::vector<std::tuple<const char*, std::string, mode_t>>& files) {
  for (size_t i = 0; i < files.size(); ++i) {
    const auto& [name, data, mode] = files[i];
    if (Status written = WriteNewKeyFile(dir / name, data, mode); !written.ok()) {
      std::error_code ignored;
      for (size_t j = 0; j < i; ++j) fs::remove(dir / std::get<0>(files[j]), ignored);
      return written;
    }
  }
  return {};
}

bool IsProvinceCode(std::string_view code) {
  return code.size() == 6 && code.substr(2) == "0000" && code != kNationalNodeCode &&
         std::isdigit(static_cast<unsigned char>(code[0])) &&
         std::isdigit(static_cast<unsigned char>(code[1]));
}

Error Refused(const char* code, std::string message) {
  return Error{ErrorKind::kForbidden, code, std::move(message), {}};
}

}  // namespace

std::string_view NodeRoleId(NodeRole role) {
  return role == NodeRole::kNational ? "national" : "provincial";
}

Result<NodeRole> ParseNodeRole(std::string_view id) {
  if (id == "national") return NodeRole::kNational;
  if (id == "provincial") return NodeRole::kProvincial;
  return Error::BadRequest("bad_role", "节点角色须为 national 或 provincial");
}

Result<NodeIdentity> InitNationalNode(const fs::path& dir, int64_t now) {
  NEMIS_TRY(RequireNoNode(dir));
  crypto::Sm2PrivateKey ca_key = crypto::Sm2PrivateKey::Generate();
  crypto::Sm2Certificate ca = crypto::Sm2Certificate::SelfSignCa(
      ca_key, {std::string(kNationalNodeCode), "ca"}, {now - 60, now + kCaValiditySeconds});
  crypto::Sm2PrivateKey key = crypto::Sm2PrivateKey::Generate();
  crypto::Sm2Certificate certificate = crypto::Sm2Certificate::Issue(
      ca_key, ca, key.PublicKey(), {std::string(kNationalNodeCode), "national"},
      {now - 60, now + kNodeValiditySeconds});
  NEMIS_TRY(WriteNewFiles(dir, {{kCaKey, ca_key.ToPem(), 0600},
                                {kCaCertificate, ca.ToPem(), 0644},
                                {kNodeCertificate, certificate.ToPem(), 0644},
                                {kNodeKey, key.ToPem(), 0600}}));
  return NodeIdentity{std::string(kNationalNodeCode), NodeRole::kNational, key, certificate, ca};
}

Result<std::string> InitProvincialNode(const fs::path& dir, std::string_view code) {
  if (!IsProvinceCode(code)) {
    return Error::BadRequest("bad_node_code", "省级节点的代码须为省级行政区划代码，如 440000");
  }
  NEMIS_TRY(RequireNoNode(dir));
  crypto::Sm2PrivateKey key = crypto::Sm2PrivateKey::Generate();
  NEMIS_TRY(WriteNewKeyFile(dir / kNodeKey, key.ToPem(), 0600));
  return key.PublicPem();
}

Result<crypto::Sm2Certificate> MakeNodeCertificate(const fs::path& dir, std::string_view code,
                                                   std::string_view public_key_pem, int64_t now) {
  if (!IsProvinceCode(code)) {
    return Error::BadRequest("bad_node_code", "省级节点的代码须为省级行政区划代码，如 440000");
  }
  NEMIS_ASSIGN_OR_RETURN(CertificateAuthority ca, LoadCertificateAuthority(dir));
  NEMIS_ASSIGN_OR_RETURN(auto subject_key, crypto::Sm2PublicKey::FromPem(public_key_pem));
  return crypto::Sm2Certificate::Issue(ca.key, ca.certificate, subject_key,
                                       {std::string(code), "provincial"},
                                       {now - 60, now + kNodeValiditySeconds});
}

Result<CertificateAuthority> LoadCertificateAuthority(const fs::path& dir) {
  NEMIS_ASSIGN_OR_RETURN(std::string key_pem, ReadFile(dir / kCaKey));
  NEMIS_ASSIGN_OR_RETURN(std::string pem, ReadFile(dir / kCaCertificate));
  NEMIS_ASSIGN_OR_RETURN(auto key, crypto::Sm2PrivateKey::FromPem(key_pem));
  NEMIS_ASSIGN_OR_RETURN(auto certificate, crypto::Sm2Certificate::FromPem(pem));
  return CertificateAuthority{std::move(key), std::move(certificate)};
}

Status RecordNodeCertificate(db::Connection& c, std::string_view code,
                             const crypto::Sm2Certificate& certificate, int64_t now) {
  NEMIS_ASSIGN_OR_RETURN(auto held, c.Query(kProvinceHeld, {code}));
  if (held.rows.empty()) {
    return Error::BadRequest("bad_node_code", std::string(code) + " 不是本节点区划树中的省份");
  }
  const std::string issued_at = FormatUnixUtc(now);
  NEMIS_TRY(c.Query(kUpsertNode, {code, certificate.SerialHex(), certificate.ToPem(), issued_at}));
  return {};
}

Result<crypto::Sm2Certificate> IssueNodeCertificate(db::Database& db, const fs::path& dir,
                                                    std::string_view code,
                                                    std::string_view public_key_pem, int64_t now) {
  NEMIS_ASSIGN_OR_RETURN(auto certificate, MakeNodeCertificate(dir, code, public_key_pem, now));
  NEMIS_TRY(db.WithWriter(
      [&](db::Connection& c) { return RecordNodeCertificate(c, code, certificate, now); }));
  return certificate;
}

Status InstallNodeCertificate(const fs::path& dir, std::string_view certificate_pem,
                              std::string_view ca_pem, int64_t now) {
  NEMIS_ASSIGN_OR_RETURN(std::string key_pem, ReadFile(dir / kNodeKey));
  NEMIS_ASSIGN_OR_RETURN(auto key, crypto::Sm2PrivateKey::FromPem(key_pem));
  NEMIS_ASSIGN_OR_RETURN(auto certificate, crypto::Sm2Certificate::FromPem(certificate_pem));
  NEMIS_ASSIGN_OR_RETURN(auto ca, crypto::Sm2Certificate::FromPem(ca_pem));
  NEMIS_TRY(certificate.CheckIssuedBy(ca, now));
  if (certificate.PublicKey().ToPem() != key.PublicPem()) {
    return Error::BadRequest("certificate_key_mismatch", "证书不是为本节点的密钥签发的");
  }
  if (fs::exists(dir / kNodeCertificate) || fs::exists(dir / kCaCertificate)) {
    return Error::Conflict("node_exists", "本节点已安装证书");
  }
  return WriteNewFiles(
      dir, {{kCaCertificate, ca.ToPem(), 0644}, {kNodeCertificate, certificate.ToPem(), 0644}});
}

Result<crypto::Sm2PrivateKey> LoadNodeKey(const fs::path& dir) {
  NEMIS_ASSIGN_OR_RETURN(std::string key_pem, ReadFile(dir / kNodeKey));
  return crypto::Sm2PrivateKey::FromPem(key_pem);
}

Result<NodeIdentity> LoadNodeIdentity(const fs::path& dir) {
  NEMIS_ASSIGN_OR_RETURN(std::string key_pem, ReadFile(dir / kNodeKey));
  NEMIS_ASSIGN_OR_RETURN(std::string certificate_pem, ReadFile(dir / kNodeCertificate));
  NEMIS_ASSIGN_OR_RETURN(std::string ca_pem, ReadFile(dir / kCaCertificate));
  NEMIS_ASSIGN_OR_RETURN(auto key, crypto::Sm2PrivateKey::FromPem(key_pem));
  NEMIS_ASSIGN_OR_RETURN(auto certificate, crypto::Sm2Certificate::FromPem(certificate_pem));
  NEMIS_ASSIGN_OR_RETURN(auto ca, crypto::Sm2Certificate::FromPem(ca_pem));
  crypto::CertificateSubject subject = certificate.Subject();
  NEMIS_ASSIGN_OR_RETURN(NodeRole role, ParseNodeRole(subject.organizational_unit));
  NodeIdentity identity{subject.common_name, role, key, certificate, ca};
  NEMIS_TRY(LoadNodeTls(dir, identity));
  return identity;
}

Status RevokeNode(db::Database& db, std::string_view code, int64_t now) {
  const std::string at = FormatUnixUtc(now);
  return db.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kRevokeNode, {code, at}));
    if (rs.affected == 0) {
      return Error::NotFound("本节点没有为 " + std::string(code) + " 签发过证书");
    }
    return {};
  });
}

Status TrustNode(db::Connection& c, const NodeIdentity& self,
                 const crypto::Sm2Certificate& certificate, std::string_view code, int64_t now) {
  NEMIS_TRY(certificate.CheckIssuedBy(self.ca, now));
  if (certificate.Subject().common_name != code) {
    return Refused("certificate_untrusted", "证书不是节点 " + std::string(code) + " 的");
  }
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectNode, {code}));
  if (rs.rows.empty()) {
    // A province trusts the national node's certificate from the CA alone.
    if (self.role == NodeRole::kProvincial && code == kNationalNodeCode) return {};
    return Refused("node_unknown", "节点 " + std::string(code) + " 未在本节点登记");
  }
  if (rs.rows.front().Text(1) != "active" || rs.rows.front().Text(0) != certificate.SerialHex()) {
    return Refused("node_revoked", "节点 " + std::string(code) + " 的证书已被吊销或已更换");
  }
  return {};
}

}  // namespace nemis::exchange
