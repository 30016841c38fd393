// The national node's store past one server (exchange/student_partitions.hpp), PostgreSQL only:
//   nemis national shard --province PPPPPP=postgresql://user[:password]@host:port/db ...
//       moves each province's students to a table of their own on that shard server and
//       attaches it as the province's partition of `student` (partitioning the table first;
//       the provinces not named stay in the node's own database). Audited (national.shard);
//       the URL's credentials go into the user mapping, never into the log.
//   nemis national shards   the provinces placed on shards, each read through its shard (how
//       many students it holds there, or why it cannot be read: exit 1)
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "cli/cli_common.hpp"
#include "exchange/student_partitions.hpp"

namespace nemis::cli {
namespace {

struct ShardFlags {
  CommonFlags common;
  std::vector<std::string> provinces;  // PPPPPP=URL
};

int Fail(const Error& e) {
  std::cerr << "未能按省分片：" << e.message << "（" << e.code << "）\n";
  return e.kind == ErrorKind::kBadRequest ? kExitUsage : kExitFailed;
}

// --province PPPPPP=URL as placements; the bad flag in `bad`.
std::vector<exchange::ShardPlacement> PlacementsOf(const std::vector<std::string>& flags,
                                                   std::string& bad) {
  std::vector<exchange::ShardPlacement> out;
  for (const std::string& flag : flags) {
    const size_t eq = flag.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == flag.size()) {
      bad = flag.substr(0, eq);  // no URL, no password, in the message
      return {};
    }
    out.push_back({flag.substr(0, eq), flag.substr(eq + 1)});
  }
  return out;
}

// The national node's store; null with `exit_code` set (usage: not a national node).
std::unique_ptr<db::Database> OpenNationalStore(const CommonFlags& common, int& exit_code) {
  exit_code = kExitUsage;
  auto config = LoadConfig(common);
  if (!config) return nullptr;
  if (config->GetString("node.role") != "national") {
    std::cerr << "按省分片只用于国家节点（node.role = national）\n";
    return nullptr;
  }
  exit_code = kExitFailed;
  return OpenStore(*config);
}

int Shard(const ShardFlags& flags) {
  std::string bad;
  const auto placements = PlacementsOf(flags.provinces, bad);
  if (!bad.empty()) {
    std::cerr << "--province 须为 省级区划代码=分片地址，如 "
                 "440000=postgresql://nemis@shard-gd:5432/nemis："
              << bad << "\n";
    return kExitUsage;
  }
  int code = 0;
  auto db = OpenNationalStore(flags.common, code);
  if (!db) return code;
  for (const exchange::ShardPlacement& placement : placements) {
    const std::string now = FormatUtc(Clock::System().Now());
    auto placed = exchange::PlaceProvinceOnShard(*db, placement, now);
    if (!placed.ok()) return Fail(placed.error());
    const std::string details =
        nlohmann::json{{"location", placed->location}, {"students", placed->students_moved}}.dump();
    Status audited = AppendCliAudit(
        *db, CliAuditEntry("nemis national shard", "national.shard", placed->province, details));
    if (!audited.ok()) return Fail(audited.error());
    std::cout << "省份 " << placed->province << " 的 " << placed->students_moved
              << " 名学生已移至分片 " << placed->location << "（" << placed->server << "）\n";
  }
  return 0;
}

// A message as one CSV field: its commas made full-width.
std::string CsvField(std::string text) {
  for (size_t at = text.find(','); at != std::string::npos; at = text.find(',', at)) {
    text.replace(at, 1, "，");
  }
  return text;
}

int List(const CommonFlags& common) {
  int code = 0;
  auto db = OpenNationalStore(common, code);
  if (!db) return code;
  auto states = exchange::CheckShards(*db);
  if (!states.ok()) return Fail(states.error());
  std::cout << "省份,外部服务器,分片,迁入学生数,分片时间,现有学生数,状态\n";
  int unreadable = 0;
  for (const exchange::ShardState& state : *states) {
    const exchange::PlacedProvince& p = state.placed;
    std::cout << p.province << "," << p.server << "," << p.location << "," << p.students_moved
              << "," << p.placed_at << ","
              << (state.problem.empty() ? std::to_string(state.students) : "") << ","
              << (state.problem.empty() ? "正常" : CsvField(state.problem)) << "\n";
    if (!state.problem.empty()) ++unreadable;
  }
  return unreadable == 0 ? 0 : kExitFailed;
}

}  // namespace

void AddNationalCommand(CLI::App& app, int& exit_code) {
  CLI::App* national =
      app.add_subcommand("national", "National node: its store partitioned by province");
  national->require_subcommand(1);
  auto flags = std::make_shared<ShardFlags>();
  CLI::App* shard = national->add_subcommand(
      "shard", "Move provinces' students to shard servers (PostgreSQL, postgres_fdw)");
  AddCommonFlags(*shard, flags->common);
  shard
      ->add_option("--province", flags->provinces,
                   "PPPPPP=postgresql://user@host:port/db (repeatable)")
      ->required();
  shard->callback([flags, &exit_code] { exit_code = Shard(*flags); });
  auto list_flags = std::make_shared<CommonFlags>();
  CLI::App* shards = national->add_subcommand("shards", "The provinces placed on shard servers");
  AddCommonFlags(*shards, *list_flags);
  shards->callback([list_flags, &exit_code] { exit_code = List(*list_flags); });
}

}  // namespace nemis::cli
