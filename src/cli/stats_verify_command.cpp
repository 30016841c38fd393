// nemis stats verify FILE [--trust KEY.pem]: checks a signed statistics submission (GET
// /api/v1/stats/submissions/{year}/{org}/signed) offline — the SM3 digest recomputed from
// the snapshot and explanations, each SM2 signature, each signer's certificate against the
// statistics signing authority's public key (the one given with --trust, which a verifier
// got from the node, GET /api/v1/stats/signing-key; otherwise the file's own, whose
// fingerprint is printed to compare). Exit 0 if everything holds, 1 if not, 2 if the file
// cannot be read. Needs no node, no store and no network.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/cli_common.hpp"
#include "stats/signed_submission.hpp"

namespace nemis::cli {
namespace {

struct VerifyFlags {
  std::string file;
  std::string trust;
};

std::optional<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void PrintSignatures(const stats::DocumentCheck& check) {
  int n = 0;
  for (const auto& s : check.signatures) {
    std::cout << "签名 " << ++n << "：" << (s.action == "submit" ? "上报" : "审核通过") << "  "
              << s.account << "  " << s.at << "  "
              << (s.problem.empty() ? "有效" : "无效：" + s.problem) << "\n";
  }
}

int RunVerify(const VerifyFlags& flags) {
  auto text = ReadText(flags.file);
  if (!text) return std::cerr << "无法读取 " << flags.file << "\n", kExitUsage;
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return std::cerr << flags.file << " 不是 JSON 文件\n", kExitUsage;
  std::optional<std::string> trusted;
  if (!flags.trust.empty()) {
    trusted = ReadText(flags.trust);
    if (!trusted) return std::cerr << "无法读取公钥文件 " << flags.trust << "\n", kExitUsage;
  }
  const stats::DocumentCheck check = stats::VerifySignedSubmission(doc, trusted);
  std::cout << "单位 " << doc.value("org", "") << "，" << doc.value("year", 0) << " 学年，状态 "
            << doc.value("state", "") << "\n";
  std::cout << "摘要（SM3）：" << check.digest << "\n";
  const std::string key =
      trusted ? *trusted : doc.value("authority", nlohmann::json::object()).value("publicKey", "");
  std::cout << "签章机构公钥指纹：" << stats::KeyFingerprint(key)
            << (trusted ? "（所信任的公钥）"
                        : "（文件自带的公钥：请与节点公布的指纹核对，或用 --trust）")
            << "\n";
  PrintSignatures(check);
  for (const auto& problem : check.problems) std::cout << "问题：" << problem << "\n";
  if (!check.ok()) return std::cout << "核验未通过\n", kExitFailed;
  std::cout << "核验通过\n";
  return 0;
}

}  // namespace

void AddStatsVerifyCommand(CLI::App& stats, int& exit_code) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* verify = stats.add_subcommand(
      "verify", "Verify a signed statistics submission file offline (SM3 digest, SM2 signatures)");
  verify->add_option("file", flags->file, "The signed file (GET .../signed)")->required();
  verify->add_option("--trust", flags->trust,
                     "PEM file of the node's statistics signing authority public key");
  verify->callback([flags, &exit_code] { exit_code = RunVerify(*flags); });
}

}  // namespace nemis::cli
