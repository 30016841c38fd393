// nemis stats form ID [--org CODE] [--as-of DATE] [--format csv|json|xlsx] [--out FILE]: a
// statistical form (stats/forms/*.json, e.g. 教基3112 or its old name 基础基312) filled in
// for an institution or region as of a point in time (default: the last 1 September).
//
// nemis stats check [--org CODE] [--by DIMS] [--all]: loads the statistics engine from the
// store as `nemis serve` does (stats/stats_engine.hpp), prints what the load took, then
// counts the same query from the engine (best of three) and with the store's SQL, timing both, and
// says whether they agree (exit 1 if not). For operators who want to see the engine is exact on
// their node, and for bench/.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "base/log.hpp"
#include "cli/cli_common.hpp"
#include "registry/student_stats.hpp"
#include "stats/form_output.hpp"
#include "stats/form_xlsx.hpp"
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
  // The engine's best of three (it takes milliseconds; the first may pay for page faults).
  auto from_engine = Timed(engine_seconds, [&] { return engine.CountStudents(everything, query); });
  for (int i = 0; i < 2; ++i) {
    double again = 0;
    (void)Timed(again, [&] { return engine.CountStudents(everything, query); });
    engine_seconds = std::min(engine_seconds, again);
  }
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

struct FormFlags {
  CommonFlags common;
  std::string form, org, as_of, out;
  std::string format = "csv";
  int repeat = 1;
};

int RunForm(const FormFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  const stats::FormDefinition* form = stats::FindForm(flags.form);
  if (form == nullptr) {
    std::cerr << "没有报表 " << flags.form << "；可用：";
    for (const auto& f : stats::Forms()) std::cerr << " " << f.id;
    std::cerr << "\n";
    return kExitUsage;
  }
  const Date yesterday =
      Date::FromDaysSinceEpoch(Clock::System().TodayInChina().DaysSinceEpoch() - 1);
  std::optional<Date> as_of =
      flags.as_of.empty() ? stats::PointInTimeOf(*form, yesterday) : ParseIsoDate(flags.as_of);
  if (!as_of) {
    std::cerr << "--as-of 应为日期 YYYY-MM-DD：" << flags.as_of << "\n";
    return kExitUsage;
  }
  if (flags.format != "csv" && flags.format != "json" && flags.format != "xlsx") {
    std::cerr << "--format 应为 csv、json 或 xlsx\n";
    return kExitUsage;
  }
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  stats::StatsEngine engine(*db);
  if (*as_of >= Clock::System().TodayInChina()) {  // the registry now: load it
    Status loaded = engine.Load();
    if (!loaded.ok()) {
      std::cerr << "统计引擎加载失败：" << loaded.error().message << "\n";
      return kExitFailed;
    }
  }
  // Each fill is timed in the log (stats_form_filled): --repeat shows what a running node
  // answers once the first fill has read what it needs.
  Result<stats::FormTable> table = Error::Internal("not filled");
  for (int i = 0; i < std::max(flags.repeat, 1); ++i) {
    double seconds = 0;
    table = Timed(seconds, [&] {
      return engine.FillForm(org::Scope::Everything(), *form, flags.org, *as_of);
    });
    if (!table.ok()) break;
    log::Info("stats_form_filled", {{"form", form->id},
                                    {"org", table->org_code},
                                    {"as_of", as_of->ToIso()},
                                    {"seconds", seconds}});
  }
  if (!table.ok()) {
    std::cerr << "报表未生成：" << table.error().message << "\n";
    return table.error().kind == ErrorKind::kNotFound ||
                   table.error().kind == ErrorKind::kBadRequest
               ? kExitUsage
               : kExitFailed;
  }
  std::string text;
  if (flags.format == "xlsx") {
    auto book = stats::FormXlsx(*table, std::filesystem::temp_directory_path().string());
    if (!book.ok()) {
      std::cerr << book.error().message << "\n";
      return kExitFailed;
    }
    text = std::move(*book);
  } else {
    text = flags.format == "json" ? stats::FormJson(*table).dump(2) + "\n" : stats::FormCsv(*table);
  }
  if (flags.out.empty()) {
    std::cout << text;
  } else {
    std::ofstream file(flags.out, std::ios::binary);
    file << text;
    if (!file.flush()) {
      std::cerr << "无法写入 " << flags.out << "\n";
      return kExitFailed;
    }
  }
  for (const auto& outcome : table->checks)
    for (const auto& failure : outcome.failures)
      std::cerr << "校验未通过 " << outcome.check->rule << "：" << failure << "\n";
  return 0;
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
  auto form_flags = std::make_shared<FormFlags>();
  CLI::App* form = stats->add_subcommand(
      "form", "Fill in a statistical form (e.g. 教基3112 / 基础基312) for an institution");
  AddCommonFlags(*form, form_flags->common);
  form->add_option("form", form_flags->form, "Form id or old name")->required();
  form->add_option("--org", form_flags->org, "Institution or region (default: the whole node)");
  form->add_option("--as-of", form_flags->as_of,
                   "Point in time (default: the last 1 September; today: the registry now)");
  form->add_option("--format", form_flags->format, "csv (default), json or xlsx");
  form->add_option("--out", form_flags->out, "Write to this file instead of standard output");
  form->add_option("--repeat", form_flags->repeat,
                   "Fill the form this many times, each timed in the log (default 1)");
  form->callback([form_flags, &exit_code] { exit_code = RunForm(*form_flags); });
  AddStatsVerifyCommand(*stats, exit_code);
}

}  // namespace nemis::cli
