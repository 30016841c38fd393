// nemis audit verify / nemis audit checkpoint: checking the audit log's chain and
// signed checkpoints against the node's SM2 key, and signing a checkpoint now.
#include <filesystem>
#include <iostream>

#include "audit/audit_settings.hpp"
#include "audit/checkpoint.hpp"
#include "audit/signing_key.hpp"
#include "audit/verify.hpp"
#include "cli/cli_common.hpp"

namespace nemis::cli {
namespace {

int VerifyLog(const CommonFlags& flags) {
  auto config = LoadConfig(flags);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  // Verifying must never make a key: a new key would call every checkpoint forged.
  std::string key_file = audit::AuditSettings::FromConfig(*config).signing_key_file;
  if (!std::filesystem::exists(key_file))
    return std::cerr << "找不到审计签名密钥文件 " << key_file << "（audit.signing_key_file；请在本节点的工作目录运行）\n",
           kExitUsage;
  auto key = audit::LoadOrCreateSigningKey(key_file);
  if (!key.ok()) return std::cerr << "无法读取审计签名密钥: " << key.error().message << "\n", kExitFailed;
  auto report = audit::Verify(*db, key->PublicKey());
  if (!report.ok()) return std::cerr << "无法校验审计日志: " << report.error().message << "\n", kExitFailed;
  if (!report->ok()) {
    std::cout << "审计日志校验失败：第 " << *report->bad_seq << " 条 — " << report->problem << "\n";
    return kExitFailed;
  }
  if (report->entries == 0) return std::cout << "审计日志为空\n", 0;
  std::cout << "审计日志完整：" << report->entries << " 条记录（第 " << report->first_seq + 1 << "–" << report->last_seq
            << " 条），" << report->checkpoints << " 个签名检查点有效\n";
  return 0;
}

int SignCheckpoint(const CommonFlags& flags) {
  auto config = LoadConfig(flags);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto key = audit::LoadOrCreateSigningKey(audit::AuditSettings::FromConfig(*config).signing_key_file);
  if (!key.ok()) return std::cerr << "无法读取审计签名密钥: " << key.error().message << "\n", kExitFailed;
  auto cp = audit::Checkpoint(*db, *key, Clock::System());
  if (!cp.ok()) return std::cerr << cp.error().message << "\n", kExitFailed;
  std::cout << "已签署检查点：第 " << cp->seq << " 条，" << cp->signed_at << "\n";
  return 0;
}

}  // namespace

void AddAuditCommand(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("audit", "The audit log");
  cmd->require_subcommand(1);
  auto verify_flags = std::make_shared<CommonFlags>();
  CLI::App* verify = cmd->add_subcommand(
      "verify", "Check every entry's SM3 chain and every SM2-signed checkpoint; names the first bad entry");
  AddCommonFlags(*verify, *verify_flags);
  verify->callback([verify_flags, &exit_code] { exit_code = VerifyLog(*verify_flags); });
  auto sign_flags = std::make_shared<CommonFlags>();
  CLI::App* sign = cmd->add_subcommand("checkpoint", "Sign a checkpoint of the latest entry now");
  AddCommonFlags(*sign, *sign_flags);
  sign->callback([sign_flags, &exit_code] { exit_code = SignCheckpoint(*sign_flags); });
}

}  // namespace nemis::cli
