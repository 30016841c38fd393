// nemis audit verify / checkpoint / purge: checking the audit log's chain and signed
// checkpoints (in the store, and their copies in the checkpoint file outside it) against
// the node's SM2 key, with the store opened read-only; signing a checkpoint now; and
// deleting entries past the retention period (never younger than 184 days).
#include <filesystem>
#include <iostream>

#include "audit/audit_entry.hpp"
#include "audit/audit_log.hpp"
#include "audit/audit_settings.hpp"
#include "audit/checkpoint.hpp"
#include "audit/checkpoint_file.hpp"
#include "audit/purge.hpp"
#include "audit/signing_key.hpp"
#include "audit/verify.hpp"
#include "base/date.hpp"
#include "cli/cli_common.hpp"
#include "db/migrations/migrate.hpp"
#include "db/write_attachment.hpp"

namespace nemis::cli {
namespace {

struct VerifyFlags : CommonFlags {
  std::string checkpoint_file;  // overrides audit.checkpoint_file
  bool db_only = false;         // without the checkpoint file
};

constexpr std::string_view kSchemaVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

// The store, opened read-only: verifying never writes (it checks a copy kept as
// evidence, a read-only replica, a store on a full disk), so it neither migrates nor
// seeds, and refuses a schema other than this binary's instead of migrating it.
std::unique_ptr<db::Database> OpenStoreToVerify(const Config& config) {
  db::Options options = StoreOptions(config);
  options.read_only = true;
  auto db = db::Database::Open(config.GetString("store.url"), options);
  if (!db.ok())
    return std::cerr << "无法以只读方式打开数据库: " << db.error().message << "\n", nullptr;
  auto version = (*db)->Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSchemaVersion));
    return rs.rows.at(0).Int(0);
  });
  if (!version.ok()) {
    return std::cerr << "无法读取数据库结构版本（不是 NEMIS 数据库，或从未迁移）: "
                     << version.error().message << "\n",
           nullptr;
  }
  const int64_t latest = db::Migrations().back().version;
  if (*version < latest) {
    std::cerr << "数据库结构版本 " << *version << " 低于本程序的版本 " << latest
              << "：校验以只读方式打开数据库，不做迁移。请先对可写的数据库运行 nemis migrate，"
                 "或用与该数据库版本相同的 nemis 校验\n";
    return nullptr;
  }
  if (*version > latest) {
    std::cerr << "数据库结构版本 " << *version << " 高于本程序支持的版本 " << latest
              << "：请用更新的 nemis 校验\n";
    return nullptr;
  }
  return std::move(*db);
}

void PrintFailure(const audit::VerifyReport& report) {
  std::cout << "审计日志校验失败：";
  if (*report.bad_seq > 0) std::cout << "第 " << *report.bad_seq << " 条 — ";
  std::cout << report.problem << "\n";
}

int VerifyLog(const VerifyFlags& flags) {
  auto config = LoadConfig(flags);
  if (!config) return kExitUsage;
  audit::AuditSettings settings = audit::AuditSettings::FromConfig(*config);
  // Verifying must never make a key: a new key would call every checkpoint forged.
  if (!std::filesystem::exists(settings.signing_key_file))
    return std::cerr << "找不到审计签名密钥文件 " << settings.signing_key_file
                     << "（audit.signing_key_file；请在本节点的工作目录运行）\n",
           kExitUsage;
  auto db = OpenStoreToVerify(*config);
  if (!db) return kExitFailed;
  auto key = audit::LoadOrCreateSigningKey(settings.signing_key_file);
  if (!key.ok())
    return std::cerr << "无法读取审计签名密钥: " << key.error().message << "\n", kExitFailed;
  audit::CheckpointFile file(flags.checkpoint_file.empty() ? settings.checkpoint_file
                                                           : flags.checkpoint_file);
  audit::VerifyOptions options;
  if (!flags.db_only) options.checkpoint_file = &file;
  auto report = audit::Verify(*db, key->PublicKey(), options);
  if (!report.ok())
    return std::cerr << "无法校验审计日志: " << report.error().message << "\n", kExitFailed;
  if (flags.db_only) {
    std::cerr
        << "注意：未对照检查点副本文件（--db-only）：数据库中最后一个签名检查点之后的截断、回退或重算"
           "，以及被删除的检查点，都无法发现\n";
  }
  if (!report->ok()) return PrintFailure(*report), kExitFailed;
  if (report->entries == 0) return std::cout << "审计日志为空\n", 0;
  std::cout << "审计日志完整：" << report->entries << " 条记录（第 " << report->first_seq + 1 << "–"
            << report->last_seq << " 条），" << report->checkpoints << " 个签名检查点有效";
  if (!flags.db_only)
    std::cout << "，与检查点副本文件的 " << report->file_checkpoints << " 个检查点相符";
  std::cout << "\n";
  return 0;
}

int SignCheckpoint(const CommonFlags& flags) {
  auto config = LoadConfig(flags);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  audit::AuditSettings settings = audit::AuditSettings::FromConfig(*config);
  auto key = audit::LoadOrCreateSigningKey(settings.signing_key_file);
  if (!key.ok())
    return std::cerr << "无法读取审计签名密钥: " << key.error().message << "\n", kExitFailed;
  audit::CheckpointFile file(settings.checkpoint_file);
  auto cp = audit::Checkpoint(*db, *key, Clock::System(), &file);
  if (!cp.ok()) return std::cerr << cp.error().message << "\n", kExitFailed;
  std::cout << "已签署检查点：第 " << cp->seq << " 条，" << cp->signed_at << "\n";
  return 0;
}

struct PurgeFlags : CommonFlags {
  std::string before;  // YYYY-MM-DD, UTC midnight
};

// The purge names itself in the log, in the purge's own transaction.
audit::AuditEntry PurgeEntry(const std::string& before) {
  return CliAuditEntry("nemis audit purge", "audit.purge", before);
}

int PurgeLog(const PurgeFlags& flags) {
  auto before = ParseUtc(flags.before + "T00:00:00.000Z");
  if (!before)
    return std::cerr << "--before 应为日期，例如 2026-01-01（UTC）：" << flags.before << "\n",
           kExitUsage;
  auto config = LoadConfig(flags);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  audit::AuditSettings settings = audit::AuditSettings::FromConfig(*config);
  if (!std::filesystem::exists(settings.signing_key_file))
    return std::cerr << "找不到审计签名密钥文件 " << settings.signing_key_file << "\n", kExitUsage;
  auto key = audit::LoadOrCreateSigningKey(settings.signing_key_file);
  if (!key.ok())
    return std::cerr << "无法读取审计签名密钥: " << key.error().message << "\n", kExitFailed;
  const audit::AuditEntry entry = PurgeEntry(flags.before);
  db::WriteAttachment logged([&entry](db::Connection& c) { return audit::Append(c, entry); });
  audit::CheckpointFile file(settings.checkpoint_file);
  auto purged =
      audit::Purge(*db, *key, *before, Clock::System(), settings.retention_days, &logged, &file);
  if (!purged.ok())
    return std::cerr << "未清理任何审计记录：" << purged.error().message << "\n", kExitFailed;
  std::cout << "已清理 " << purged->purged << " 条早于 " << flags.before
            << " 的审计记录；日志现从第 " << purged->anchor_seq + 1 << " 条开始\n";
  return 0;
}

}  // namespace

void AddAuditCommand(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("audit", "The audit log");
  cmd->require_subcommand(1);
  auto verify_flags = std::make_shared<VerifyFlags>();
  CLI::App* verify = cmd->add_subcommand(
      "verify",
      "Check every entry's SM3 chain and every SM2-signed checkpoint, in the store and in the checkpoint file "
      "outside it; names the first bad entry. Opens the store read-only");
  AddCommonFlags(*verify, *verify_flags);
  verify->add_option(
      "--checkpoint-file", verify_flags->checkpoint_file,
      "The copy of the checkpoints to check against (overrides audit.checkpoint_file)");
  verify->add_flag(
      "--db-only", verify_flags->db_only,
      "Check the store alone, without the checkpoint file (rewinds after its last checkpoint go unseen)");
  verify->callback([verify_flags, &exit_code] { exit_code = VerifyLog(*verify_flags); });
  auto sign_flags = std::make_shared<CommonFlags>();
  CLI::App* sign = cmd->add_subcommand("checkpoint", "Sign a checkpoint of the latest entry now");
  AddCommonFlags(*sign, *sign_flags);
  sign->callback([sign_flags, &exit_code] { exit_code = SignCheckpoint(*sign_flags); });
  auto purge_flags = std::make_shared<PurgeFlags>();
  CLI::App* purge = cmd->add_subcommand(
      "purge",
      "Delete the entries logged before a date, if older than the retention period (at least 184 days)");
  AddCommonFlags(*purge, *purge_flags);
  purge
      ->add_option("--before", purge_flags->before,
                   "Date (UTC) of the first entry to keep, e.g. 2026-01-01")
      ->required();
  purge->callback([purge_flags, &exit_code] { exit_code = PurgeLog(*purge_flags); });
}

}  // namespace nemis::cli
