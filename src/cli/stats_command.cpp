// nemis stats check [--org CODE] [--by DIMS] [--all]: loads the statistics engine from the
// store as `nemis serve` does (stats/stats_engine.hpp), prints what the load took, then
// counts the same query from the engine and with the store's SQL, timing both, and says
// whether they agree (exit 1 if not). For operators who want to see the engine is exact
// on their node, and for bench/.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/cli_common.hpp"
#include "registry/student_stats.hpp"
#include "stats/stats_engine.hpp"

namespace nemis::cli {
namespace {

struct CheckFlags {
  CommonFlags common;
  std::string org;
  std::string by = "grade";
  bool all = false;
};

template <class F>
auto Timed(double& seconds, const F& work) {
  const auto start = std::chrono::steady_clock::now();
  auto out = work();
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

bool SameCounts(const registry::StatsResult& a, const registry::StatsResult& b) {
  if (a.total != b.total || a.rows.size() != b.rows.size()) return false;
  std::vector<std::pair<std::vector<db::Value>, int64_t>> x, y;
  for (const auto& r : a.rows) x.emplace_back(r.keys, r.count);
  for (const auto& r : b.rows) y.emplace_back(r.keys, r.count);
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  return x == y;
}

int RunCheck(const CheckFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto by = registry::ParseDimensions(flags.by);
  if (!by.ok()) {
    std::cerr << "--by：" << by.error().message << "\n";
    return kExitUsage;
  }
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  stats::StatsEngine engine(*db);
  double load_seconds = 0;
  Status loaded = Timed(load_seconds, [&] { return engine.Load(); });
  if (!loaded.ok()) {
    std::cerr << "统计引擎加载失败：" << loaded.error().message << "\n";
    return kExitFailed;
  }
  const stats::EngineFigures figures = engine.Figures();
  std::printf("统计引擎：学生 %lld，加载 %.2f 秒，内存 %.1f MiB\n",
              static_cast<long long>(figures.students), load_seconds,
              static_cast<double>(figures.memory_bytes) / (1 << 20));
  const registry::StatsQuery query{flags.org, *by, flags.all};
  const org::Scope everything = org::Scope::Everything();
  double engine_seconds = 0, sql_seconds = 0;
  auto from_engine = Timed(engine_seconds, [&] { return engine.CountStudents(everything, query); });
  auto from_store =
      Timed(sql_seconds, [&] { return registry::CountStudents(*db, everything, query); });
  if (!from_engine.ok() || !from_store.ok()) {
    std::cerr << "统计失败："
              << (!from_engine.ok() ? from_engine.error() : from_store.error()).message << "\n";
    return kExitFailed;
  }
  const bool same = SameCounts(*from_engine, *from_store);
  std::printf("%s 按 %s：引擎 %.4f 秒，数据库 SQL %.3f 秒，%s（%zu 行，合计 %lld）\n",
              from_engine->org_code.c_str(), flags.by.c_str(), engine_seconds, sql_seconds,
              same ? "结果一致" : "结果不一致", from_engine->rows.size(),
              static_cast<long long>(from_engine->total));
  return same ? 0 : kExitFailed;
}

}  // namespace

void AddStatsCommand(CLI::App& app, int& exit_code) {
  CLI::App* stats = app.add_subcommand("stats", "Education statistics (教育统计)");
  stats->require_subcommand(1);
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* check = stats->add_subcommand(
      "check", "Load the statistics engine and check one count against the store's SQL");
  AddCommonFlags(*check, flags->common);
  check->add_option("--org", flags->org, "Root institution (default: the whole node)");
  check->add_option("--by", flags->by, "Dimensions, comma-separated (default: grade)");
  check->add_flag("--all", flags->all, "Students of every status (default: in school, 01)");
  check->callback([flags, &exit_code] { exit_code = RunCheck(*flags); });
}

}  // namespace nemis::cli
