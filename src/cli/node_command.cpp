// nemis node: the node's identity for the exchange between nodes (exchange/node_identity.hpp).
//   init --role national            the CA and the national node's certificate
//   init --role provincial          the province's key; prints its public key to certify
//   issue --code C --public-key F   (national) certifies a province's key; prints the certificate
//   install --certificate F --ca F  (province) installs what the national node issued
//   revoke --code C                 (national) no longer trusts a province's node
//   enrolment-code --code C          (national) a one-time code for a province, with the CA's
//                                    fingerprint
//   enrol --national URL --code X --ca-fingerprint F   (province) its certificate by the code
//   tls [--national URL]            its TLS key (made if none) certified by the CA: by its own
//                                   on the national node, by the national node on a province
//                                   (exchange/node_tls.hpp), for mutual TLS on node.tls_port
//   show                            the node's code, role and certificate
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/date.hpp"
#include "cli/cli_common.hpp"
#include "cli/national_client.hpp"
#include "crypto/encoding.hpp"
#include "exchange/node_enrolment.hpp"
#include "exchange/node_identity.hpp"
#include "exchange/node_tls.hpp"
#include "http/client.hpp"

namespace nemis::cli {
namespace {

struct NodeFlags {
  CommonFlags common;
  std::string role, code, public_key, certificate, ca;
  std::string national, enrolment_code, ca_fingerprint;
  int hours = 72;
};

std::optional<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "无法读取文件 " << path << "\n";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int Fail(const Error& e) {
  std::cerr << e.message << "（" << e.code << "）\n";
  return e.kind == ErrorKind::kBadRequest ? kExitUsage : kExitFailed;
}

int Init(const NodeFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  const std::string dir = config->GetString("node.key_dir");
  auto role =
      exchange::ParseNodeRole(flags.role.empty() ? config->GetString("node.role") : flags.role);
  if (!role.ok()) return Fail(role.error());
  if (*role == exchange::NodeRole::kNational) {
    auto node = exchange::InitNationalNode(dir, Clock::System().UnixSeconds());
    if (!node.ok()) return Fail(node.error());
    std::cout << "已创建国家节点的证书颁发机构和节点证书（" << dir << "），证书序列号 "
              << node->certificate.SerialHex() << "\n";
    return 0;
  }
  const std::string code = flags.code.empty() ? config->GetString("node.code") : flags.code;
  auto public_key = exchange::InitProvincialNode(dir, code);
  if (!public_key.ok()) return Fail(public_key.error());
  std::cerr << "已创建省级节点 " << code << " 的 SM2 密钥（" << dir
            << "）。请将下面的公钥交国家节点签发证书（nemis node issue）：\n";
  std::cout << *public_key;
  return 0;
}

int Issue(const NodeFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto pem = ReadText(flags.public_key);
  if (!pem) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto certificate = exchange::IssueNodeCertificate(
      *db, config->GetString("node.key_dir"), flags.code, *pem, Clock::System().UnixSeconds());
  if (!certificate.ok()) return Fail(certificate.error());
  std::cerr << "已为节点 " << flags.code << " 签发证书，序列号 " << certificate->SerialHex()
            << "；将证书与 ca.crt 一并交该节点安装（nemis node install）\n";
  std::cout << certificate->ToPem();
  return 0;
}

int Install(const NodeFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto certificate = ReadText(flags.certificate);
  auto ca = ReadText(flags.ca);
  if (!certificate || !ca) return kExitUsage;
  if (Status installed = exchange::InstallNodeCertificate(
          config->GetString("node.key_dir"), *certificate, *ca, Clock::System().UnixSeconds());
      !installed.ok()) {
    return Fail(installed.error());
  }
  std::cout << "节点证书已安装\n";
  return 0;
}

int Revoke(const NodeFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  if (Status revoked = exchange::RevokeNode(*db, flags.code, Clock::System().UnixSeconds());
      !revoked.ok()) {
    return Fail(revoked.error());
  }
  std::cout << "已吊销节点 " << flags.code << " 的证书；该节点的交换数据将被拒绝\n";
  return 0;
}

int EnrolmentCode(const NodeFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto node = exchange::LoadNodeIdentity(config->GetString("node.key_dir"));
  if (!node.ok()) return Fail(node.error());
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto code = exchange::CreateEnrolmentCode(*db, node->ca, flags.code, flags.hours,
                                            Clock::System().UnixSeconds());
  if (!code.ok()) return Fail(code.error());
  std::cout << "节点 " << flags.code << " 的注册码：" << code->code << "\n"
            << "国家 CA 指纹：" << code->ca_fingerprint << "\n"
            << "有效期至 " << FormatUnixUtc(code->expires_at)
            << "，只能使用一次。请通过可靠渠道交给该省：nemis node enrol --national <本节点地址> "
               "--code <注册码> --ca-fingerprint <指纹>\n";
  return 0;
}

int Enrol(const NodeFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  const std::string dir = config->GetString("node.key_dir");
  const std::string code = flags.code.empty() ? config->GetString("node.code") : flags.code;
  auto key = exchange::LoadNodeKey(dir);
  if (!key.ok()) return Fail(key.error());
  const std::string public_pem = key->PublicPem();
  nlohmann::json body = {{"nodeCode", code},
                         {"enrolmentCode", flags.enrolment_code},
                         {"publicKey", public_pem},
                         {"proof", crypto::Base64Encode(key->Sign(exchange::EnrolmentProofText(
                                       code, flags.enrolment_code, public_pem)))}};
  http::ClientRequest req;
  req.method = "POST";
  req.url = flags.national + (flags.national.ends_with('/') ? "" : "/") + "exchange/v1/enrol";
  req.body = body.dump();
  auto res = http::Fetch(req);
  if (!res.ok()) return Fail(res.error());
  nlohmann::json answer = nlohmann::json::parse(res->body, nullptr, false);
  if (res->status != 200 || !answer.is_object()) {
    const auto error = answer.is_object() ? answer.value("error", nlohmann::json::object())
                                          : nlohmann::json::object();
    std::cerr << "国家节点拒绝注册："
              << error.value("message", "HTTP " + std::to_string(res->status)) << "（"
              << error.value("code", "") << "）\n";
    return kExitFailed;
  }
  auto ca = crypto::Sm2Certificate::FromPem(answer.value("caCertificate", ""));
  if (!ca.ok() || exchange::CaFingerprint(*ca) != flags.ca_fingerprint) {
    std::cerr << "国家节点返回的 CA 证书与指纹 " << flags.ca_fingerprint
              << " 不符：未安装（请核对指纹，或检查与国家节点之间的网络）\n";
    return kExitFailed;
  }
  if (Status installed = exchange::InstallNodeCertificate(dir, answer.value("certificate", ""),
                                                          answer.value("caCertificate", ""),
                                                          Clock::System().UnixSeconds());
      !installed.ok()) {
    return Fail(installed.error());
  }
  std::cout << "已注册：本节点 " << code << " 的证书已由国家节点签发并安装\n";
  return 0;
}

// The certificate for the node's TLS key `public_pem`: its own CA's on the national node, the
// national node's (a signed request) on a province.
Result<std::string> CertifyTlsKey(const Config& config, const NodeFlags& flags,
                                  const exchange::NodeIdentity& node, const std::string& public_pem,
                                  int64_t now) {
  if (node.role == exchange::NodeRole::kNational) {
    NEMIS_ASSIGN_OR_RETURN(auto ca,
                           exchange::LoadCertificateAuthority(config.GetString("node.key_dir")));
    return exchange::IssueTlsCertificate(ca, node.certificate, public_pem, now);
  }
  NEMIS_ASSIGN_OR_RETURN(std::string url, NationalNodeUrl(flags.national, config));
  auto db = OpenStore(config);
  if (!db) return Error::Unavailable("无法打开本节点的存储");
  return RequestTlsCertificate(*db, node, url, public_pem);
}

int Tls(const NodeFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  const std::string dir = config->GetString("node.key_dir");
  auto node = exchange::LoadNodeIdentity(dir);
  if (!node.ok()) return Fail(node.error());
  auto public_pem = exchange::EnsureTlsKey(dir);
  if (!public_pem.ok()) return Fail(public_pem.error());
  const int64_t now = Clock::System().UnixSeconds();
  auto certificate = CertifyTlsKey(*config, flags, *node, *public_pem, now);
  if (!certificate.ok()) return Fail(certificate.error());
  auto installed = exchange::InstallTlsCertificate(dir, *node, *certificate, now);
  if (!installed.ok()) return Fail(installed.error());
  std::cout << "本节点 " << node->code << " 的 TLS 证书已安装（" << exchange::kTlsCertificateFile
            << "），有效期至 " << FormatUnixUtc(installed->validity.not_after)
            << "。设置 node.tls_port 即在该端口以双向 TLS 受理节点间调用\n";
  return 0;
}

int Show(const NodeFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto node = exchange::LoadNodeIdentity(config->GetString("node.key_dir"));
  if (!node.ok()) return Fail(node.error());
  const crypto::CertificateValidity validity = node->certificate.Validity();
  std::cout << "节点代码 " << node->code << "，角色 " << exchange::NodeRoleId(node->role)
            << "，证书序列号 " << node->certificate.SerialHex() << "，有效期至 "
            << FormatUnixUtc(validity.not_after) << "\n";
  if (!node->tls) {
    std::cout << "无 TLS 证书（节点间双向 TLS：nemis node tls）\n";
    return 0;
  }
  auto tls = crypto::Sm2Certificate::ReadTls(node->tls->certificate_pem, node->ca,
                                             Clock::System().UnixSeconds());
  if (!tls.ok()) return Fail(tls.error());  // expired, say: renew with nemis node tls
  std::cout << "TLS 证书（" << exchange::kTlsCertificateFile << "）有效期至 "
            << FormatUnixUtc(tls->validity.not_after) << "\n";
  return 0;
}

CLI::App* Sub(CLI::App& node, const char* name, const char* help,
              const std::shared_ptr<NodeFlags>& flags) {
  CLI::App* sub = node.add_subcommand(name, help);
  AddCommonFlags(*sub, flags->common);
  return sub;
}

}  // namespace

void AddNodeCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<NodeFlags>();
  CLI::App* node =
      app.add_subcommand("node", "The node's identity for the exchange (SM2 certificates)");
  node->require_subcommand(1);
  CLI::App* init = Sub(*node, "init", "Make the node's key (and, national, the CA)", flags);
  init->add_option("--role", flags->role, "national or provincial (default: node.role)");
  init->add_option("--code", flags->code, "the province's code (default: node.code)");
  init->callback([flags, &exit_code] { exit_code = Init(*flags); });
  CLI::App* issue = Sub(*node, "issue", "National: certify a province's public key", flags);
  issue->add_option("--code", flags->code, "the province's code, e.g. 440000")->required();
  issue->add_option("--public-key", flags->public_key, "its public key (PEM file)")->required();
  issue->callback([flags, &exit_code] { exit_code = Issue(*flags); });
  CLI::App* install = Sub(*node, "install", "Province: install the issued certificate", flags);
  install->add_option("--certificate", flags->certificate, "the node's certificate")->required();
  install->add_option("--ca", flags->ca, "the national CA's certificate (ca.crt)")->required();
  install->callback([flags, &exit_code] { exit_code = Install(*flags); });
  CLI::App* revoke = Sub(*node, "revoke", "National: stop trusting a province's node", flags);
  revoke->add_option("--code", flags->code, "the province's code")->required();
  revoke->callback([flags, &exit_code] { exit_code = Revoke(*flags); });
  CLI::App* code = Sub(*node, "enrolment-code", "National: a one-time enrolment code", flags);
  code->add_option("--code", flags->code, "the province's code, e.g. 440000")->required();
  code->add_option("--hours", flags->hours, "how long the code is valid (default 72)");
  code->callback([flags, &exit_code] { exit_code = EnrolmentCode(*flags); });
  CLI::App* enrol = Sub(*node, "enrol", "Province: get the certificate by enrolment code", flags);
  enrol->add_option("--national", flags->national, "the national node, http://host:port")
      ->required();
  enrol->add_option("--code", flags->enrolment_code, "the one-time enrolment code")->required();
  enrol->add_option("--ca-fingerprint", flags->ca_fingerprint, "given with the code")->required();
  enrol->callback([flags, &exit_code] { exit_code = Enrol(*flags); });
  CLI::App* tls = Sub(*node, "tls", "Make the node's TLS key and have the CA certify it", flags);
  tls->add_option("--national", flags->national,
                  "Province: the national node, http://host:port (default exchange.national)");
  tls->callback([flags, &exit_code] { exit_code = Tls(*flags); });
  CLI::App* show = Sub(*node, "show", "The node's code, role and certificate", flags);
  show->callback([flags, &exit_code] { exit_code = Show(*flags); });
}

}  // namespace nemis::cli
