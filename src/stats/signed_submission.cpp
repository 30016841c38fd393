#include "stats/signed_submission.hpp"

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "stats/signer_keys.hpp"
#include "stats/submission_snapshot.hpp"

namespace nemis::stats {
namespace {

using Json = nlohmann::json;

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

SignatureCheck CheckSignature(const Json& s, int year, const std::string& org,
                              const std::string& digest, const crypto::Sm2PublicKey& authority) {
  SignatureCheck out{s.value("action", ""), s.value("account", ""), s.value("at", ""), ""};
  const Json statement = Json::parse(s.value("signedText", ""), nullptr, false);
  if (!statement.is_object()) return out.problem = "签署内容不是 JSON", out;
  if (statement.value("digest", "") != digest)
    return out.problem = "签署的摘要与文档内容的摘要不同（内容被改动过）", out;
  if (statement.value("year", 0) != year || statement.value("org", "") != org ||
      statement.value("action", "") != out.action || statement.value("account", "") != out.account)
    return out.problem = "签署内容与签名记录不符", out;
  const Json& certificate = s.value("certificate", Json());
  out.problem = CertificateProblem(certificate, authority);
  if (!out.problem.empty()) return out;
  if (certificate.value("subject", "") != out.account)
    return out.problem = "证书属于 " + certificate.value("subject", "") + "，不是签名人", out;
  auto key = crypto::Sm2PublicKey::FromPem(certificate.value("publicKey", ""));
  auto signature = crypto::Base64Decode(s.value("signature", ""));
  if (!key.ok() || !signature.ok() || !key->Verify(s.value("signedText", ""), *signature))
    out.problem = "SM2 签名验证失败";
  return out;
}

}  // namespace

std::string SignedStatement(const std::string& action, int year, const std::string& org_code,
                            const std::string& digest, const std::string& account,
                            const std::string& at) {
  return Json{{"action", action}, {"year", year},       {"org", org_code},
              {"digest", digest}, {"account", account}, {"at", at}}
      .dump();
}

Json SignedSubmissionDocument(int year, const std::string& org_code, const std::string& state,
                              const Json& snapshot,
                              const std::map<std::string, std::string>& explanations,
                              const std::vector<SubmissionSignature>& signatures,
                              const std::string& authority_public_pem) {
  Json signed_by = Json::array();
  for (const auto& s : signatures)
    signed_by.push_back({{"action", s.action},
                         {"account", s.account},
                         {"at", s.at},
                         {"signedText", s.signed_text},
                         {"signature", crypto::Base64Encode(s.signature)},
                         {"certificate", s.certificate}});
  return {{"format", kSignedSubmissionFormat},
          {"year", year},
          {"org", org_code},
          {"state", state},
          {"snapshot", snapshot},
          {"explanations", explanations},
          {"digest", SubmissionDigest(snapshot, explanations)},
          {"signatures", std::move(signed_by)},
          {"authority",
           {{"publicKey", authority_public_pem},
            {"fingerprint", KeyFingerprint(authority_public_pem)}}}};
}

bool DocumentCheck::ok() const {
  if (!problems.empty() || signatures.empty()) return false;
  for (const auto& s : signatures)
    if (!s.problem.empty()) return false;
  return true;
}

DocumentCheck VerifySignedSubmission(const Json& doc,
                                     const std::optional<std::string>& trusted_authority_pem) {
  DocumentCheck out;
  if (!doc.is_object() || doc.value("format", "") != kSignedSubmissionFormat) {
    out.problems.emplace_back("不是统计上报签章文档（format 应为 " +
                              std::string(kSignedSubmissionFormat) + "）");
    return out;
  }
  const int year = doc.value("year", 0);
  const std::string org = doc.value("org", "");
  const Json& snapshot = doc.value("snapshot", Json());
  std::map<std::string, std::string> explanations;
  if (doc.contains("explanations") && doc["explanations"].is_object())
    for (const auto& [id, text] : doc["explanations"].items())
      explanations[id] = text.is_string() ? text.get<std::string>() : text.dump();
  out.digest = SubmissionDigest(snapshot, explanations);
  if (doc.value("digest", "") != out.digest)
    out.problems.emplace_back("文档记载的摘要与内容重新计算的摘要不同");
  if (snapshot.value("year", 0) != year || snapshot.value("org", "") != org)
    out.problems.emplace_back("快照的学年或机构与文档不符");
  if (auto parsed = SnapshotFromJson(snapshot); !parsed.ok())
    out.problems.emplace_back("快照无法读取：" + parsed.error().message);
  const std::string document_key = doc.value("authority", Json::object()).value("publicKey", "");
  if (trusted_authority_pem && Trim(*trusted_authority_pem) != Trim(document_key))
    out.problems.emplace_back("文档的签章机构公钥不是所信任的公钥");
  auto authority = crypto::Sm2PublicKey::FromPem(trusted_authority_pem.value_or(document_key));
  if (!authority.ok()) {
    out.problems.emplace_back("签章机构公钥不是 SM2 公钥");
    return out;
  }
  const Json& signatures = doc.value("signatures", Json::array());
  for (const Json& s : signatures)
    out.signatures.push_back(CheckSignature(s, year, org, out.digest, *authority));
  if (out.signatures.empty() || out.signatures.front().action != "submit")
    out.problems.emplace_back("缺少上报人的签名");
  return out;
}

std::string KeyFingerprint(const std::string& public_pem) {
  return crypto::ToHex(crypto::Sm3(Trim(public_pem))).substr(0, 16);
}

}  // namespace nemis::stats
