#include "cli/cli_common.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "audit/audit_log.hpp"
#include "base/date.hpp"
#include "base/log.hpp"
#include "base/text.hpp"
#include "crypto/field_key_store.hpp"
#include "db/migrations/migrate.hpp"
#include "exchange/shard_columns.hpp"
#include "identity/builtin_roles.hpp"
#include "org/division_change_store.hpp"
#include "org/org_store.hpp"
#include "registry/legacy_personal.hpp"

namespace nemis::cli {
namespace {

// Students stored before their personal data was sealed (migration 4) are sealed now.
bool SealLegacyPersonalData(const Config& config, db::Database& db) {
  auto fail = [](const Error& e) {
    std::cerr << "无法加密已有学生的个人信息: " << e.message << "\n";
    return false;
  };
  auto pending = registry::HasLegacyPersonalData(db);
  if (!pending.ok()) return fail(pending.error());
  if (!*pending) return true;
  auto cipher = LoadFieldCipher(config);
  if (!cipher) return false;
  auto sealed = registry::SealLegacyPersonalData(db, *cipher);
  if (!sealed.ok()) return fail(sealed.error());
  log::Info("personal_data_sealed", {{"students", *sealed}});
  return true;
}

}  // namespace

void AddCommonFlags(CLI::App& command, CommonFlags& flags) {
  command.add_option("--config", flags.config_file, "Configuration file (TOML); missing is fine")
      ->capture_default_str();
  command.add_option("--db", flags.db_url,
                     "Store URL: sqlite:PATH or postgresql://... (overrides store.url)");
  command
      .add_option("--set", flags.settings,
                  "Override configuration keys: --set server.workers=8,log.level=debug")
      ->delimiter(',')
      ->type_name("KEY=VALUE");
}

std::unique_ptr<Config> LoadConfig(const CommonFlags& flags) {
  auto overrides = flags.overrides;
  for (const auto& setting : flags.settings) {
    size_t eq = setting.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "--set 应为 键=值，例如 --set server.workers=8（收到 \"" << setting << "\"）\n";
      return nullptr;
    }
    overrides[setting.substr(0, eq)] = setting.substr(eq + 1);
  }
  if (!flags.db_url.empty()) overrides["store.url"] = flags.db_url;
  auto config = Config::Load(flags.config_file, false, overrides);
  if (!config.ok()) {
    std::cerr << "配置错误: " << config.error().message << "\n";
    return nullptr;
  }
  log::Level level = log::Level::kInfo;
  if (!log::ParseLevel(config->GetString("log.level"), &level)) {
    std::cerr << "配置错误: log.level 应为 debug、info、warn 或 error\n";
    return nullptr;
  }
  log::Init(level, config->GetString("log.file"));
  return std::make_unique<Config>(std::move(*config));
}

std::optional<crypto::FieldCipher> LoadFieldCipher(const Config& config) {
  auto cipher = crypto::LoadOrCreateFieldKeys(config.GetString("security.field_key_file"));
  if (!cipher.ok()) {
    std::cerr << "无法读取字段密钥: " << cipher.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*cipher);
}

audit::AuditEntry CliAuditEntry(std::string command, std::string action, std::string target,
                                std::string details, bool succeeded) {
  audit::AuditEntry e;
  e.time = FormatUtc(Clock::System().Now());
  e.account = "(" + std::move(command) + ")";
  e.action = std::move(action);
  e.target = std::move(target);
  e.outcome = std::string(succeeded ? audit::kSuccess : audit::kFailure);
  e.details = std::move(details);
  return e;
}

Status AppendCliAudit(db::Database& db, const audit::AuditEntry& entry) {
  if (audit::Append(db, entry).ok()) return {};
  return Error::Unavailable("审计日志写入失败");
}

db::Options StoreOptions(const Config& config) {
  db::Options o;
  o.readers = static_cast<int>(config.GetInt("store.sqlite_readers"));
  o.pool_size = static_cast<int>(config.GetInt("store.pg_pool_size"));
  o.sqlite_cache_mb = static_cast<int>(config.GetInt("store.sqlite_cache_mb"));
  o.sqlite_mmap_mb = static_cast<int>(config.GetInt("store.sqlite_mmap_mb"));
  o.group_commit_max = static_cast<int>(config.GetInt("store.group_commit_max"));
  o.busy_timeout_ms = static_cast<int>(config.GetInt("store.busy_timeout_ms"));
  return o;
}

namespace {

// A national node partitioned by province carries its migrations' columns to the shards'
// tables (exchange/shard_columns.hpp); a shard it cannot change is said, not fatal: the other
// provinces go on, and `nemis national shards` shows the one behind.
void FollowMigrationsOnShards(db::Database& db) {
  auto followed = exchange::FollowColumnsOnShards(db);
  if (!followed.ok()) {
    log::Warn("shard_columns_unchecked", {{"error", followed.error().message}});
    return;
  }
  for (const exchange::ShardColumnsFollowed& shard : *followed) {
    if (!shard.problem.empty()) {
      log::Warn("shard_columns_behind", {{"province", shard.province}, {"problem", shard.problem}});
    }
    for (const std::string& change : shard.changes) {
      log::Info("shard_column_followed", {{"province", shard.province}, {"change", change}});
    }
  }
}

}  // namespace

std::unique_ptr<db::Database> OpenStore(const Config& config) {
  auto db = db::Database::Open(config.GetString("store.url"), StoreOptions(config));
  if (!db.ok()) {
    std::cerr << "无法打开数据库: " << db.error().message << "\n";
    return nullptr;
  }
  if (auto applied = db::Migrate(**db); !applied.ok()) {
    std::cerr << "数据库迁移失败: " << applied.error().message << "\n";
    return nullptr;
  }
  if (config.GetString("node.role") == "national") FollowMigrationsOnShards(**db);
  if (!SealLegacyPersonalData(config, **db)) return nullptr;
  // Before the seeding: a division the national node added since the build is seeded too.
  if (Status installed = org::InstallStoredDivisionChanges(**db); !installed.ok()) {
    std::cerr << "无法读取行政区划变更: " << installed.error().message << "\n";
    return nullptr;
  }
  org::OrgStore orgs(**db);
  if (auto seeded = orgs.SeedDivisions(config.GetString("node.code")); !seeded.ok()) {
    std::cerr << "无法写入行政区划: " << seeded.error().message << "\n";
    return nullptr;
  }
  std::string now = FormatUtc(Clock::System().Now());
  if (Status roles =
          (*db)->WithWriter([&](db::Connection& c) { return identity::SeedBuiltinRoles(c, now); });
      !roles.ok()) {
    std::cerr << "无法写入内置角色: " << roles.error().message << "\n";
    return nullptr;
  }
  return std::move(*db);
}

Result<exchange::DepartmentEndpoint> ReadDepartmentEndpoint(const Config& config,
                                                            const std::string& section,
                                                            std::string_view what) {
  exchange::DepartmentEndpoint e;
  e.url = config.GetString(section + ".url");
  if (e.url.empty())
    return Error::BadRequest("not_configured",
                             "未配置" + std::string(what) + "（" + section + ".url）");
  e.timeout = std::chrono::milliseconds(config.GetInt(section + ".timeout_ms"));
  if (const std::string& file = config.GetString(section + ".token_file"); !file.empty()) {
    std::ifstream in(file);
    std::stringstream token;
    if (!in || !(token << in.rdbuf()))
      return Error::BadRequest("not_configured", "无法读取 " + section + ".token_file：" + file);
    e.token = std::string(TrimSpaces(token.str()));
  }
  return e;
}

std::optional<ScopedStore> OpenScopedStore(const CommonFlags& flags, const std::string& org,
                                           int& exit_code) {
  ScopedStore o;
  exit_code = kExitUsage;
  if (!(o.config = LoadConfig(flags))) return std::nullopt;
  exit_code = kExitFailed;
  if (!(o.db = OpenStore(*o.config)) || !(o.cipher = LoadFieldCipher(*o.config)))
    return std::nullopt;
  if (!org.empty()) {
    auto root = org::OrgStore(*o.db).Get(org::Scope::Everything(), org);
    if (!root.ok()) {
      std::cerr << "没有机构 " << org << "（unknown_org）\n";
      exit_code = kExitUsage;
      return std::nullopt;
    }
    o.scope = org::Scope::Of(*root);
  }
  return o;
}

}  // namespace nemis::cli
