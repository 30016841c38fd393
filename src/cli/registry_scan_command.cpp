// nemis registry scan [--org CODE] [--by-school]: the record-quality scan (一人一籍,
// 问题学籍; registry/quality/quality_scan.hpp) of the node or a subtree, with progress on
// standard error and the findings per kind (and, with --by-school, per school) on
// standard output. Safe to run again: decisions on findings are kept.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/cli_common.hpp"
#include "org/org_store.hpp"
#include "registry/quality/quality_scan.hpp"

namespace nemis::cli {
namespace {

namespace quality = registry::quality;

struct ScanFlags {
  CommonFlags common;
  std::string org;
  bool by_school = false;
};

void PrintReport(const quality::ScanReport& r, bool by_school) {
  std::cout << "扫描完成：学生 " << r.students << "，新增问题 " << r.saved.added << "，已消除 "
            << r.saved.gone << "\n";
  std::cout << "类别,说明,数量\n";
  for (quality::ProblemKind kind : quality::AllProblemKinds()) {
    auto it = r.kinds.find(kind);
    std::cout << quality::ProblemKindId(kind) << "," << quality::ProblemKindName(kind) << ","
              << (it == r.kinds.end() ? 0 : it->second) << "\n";
  }
  if (!by_school) return;
  std::cout << "\n学校标识码,类别,数量\n";
  for (const auto& [school, kinds] : r.schools)
    for (const auto& [kind, n] : kinds)
      std::cout << school << "," << quality::ProblemKindId(kind) << "," << n << "\n";
}

// The scan's options from the config; the subtree from --org.
std::optional<quality::ScanOptions> OptionsOf(const Config& config, db::Database& db,
                                              const std::string& org) {
  quality::ScanOptions options;
  options.duplicate_threshold = static_cast<int>(config.GetInt("registry.duplicate_threshold"));
  options.temp_number_max_days = static_cast<int>(config.GetInt("registry.temp_number_max_days"));
  options.age_tolerance_years = static_cast<int>(config.GetInt("registry.age_tolerance_years"));
  options.where = org::Scope::Everything();
  if (org.empty()) return options;
  auto at = org::OrgStore(db).Get(org::Scope::Everything(), org);
  if (!at.ok()) {
    std::cerr << "机构 " << org << "：" << at.error().message << "\n";
    return std::nullopt;
  }
  options.where = org::Scope::Of(*at);
  return options;
}

void ShowProgress(bool tty, std::string_view stage, int64_t done, int64_t of) {
  static constexpr std::pair<std::string_view, const char*> kStages[] = {
      {"backfill", "补建索引"}, {"read", "读取"}, {"match", "比对"}, {"save", "保存"}};
  const char* label = "扫描";
  for (const auto& [id, name] : kStages)
    if (id == stage) label = name;
  std::fprintf(stderr, "%s%s %5.1f%%%s", tty ? "\r" : "", label,
               of ? 100.0 * static_cast<double>(done) / static_cast<double>(of) : 100.0,
               tty && stage == "read" ? "" : "\n");
}

int RunScan(const ScanFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto cipher = LoadFieldCipher(*config);
  if (!cipher) return kExitFailed;
  auto options = OptionsOf(*config, *db, flags.org);
  if (!options) return kExitUsage;
  const bool tty = isatty(STDERR_FILENO) != 0;
  auto report = quality::ScanRecords(*db, *cipher, Clock::System(), *options,
                                     [tty](std::string_view stage, int64_t done, int64_t of) {
                                       ShowProgress(tty, stage, done, of);
                                     });
  if (!report.ok()) {
    std::cerr << "扫描未完成：" << report.error().message << "（可再次运行）\n";
    return report.error().kind == ErrorKind::kInvalid ? kExitUsage : kExitFailed;
  }
  PrintReport(*report, flags.by_school);
  return 0;
}

}  // namespace

void AddRegistryScanCommand(CLI::App& registry, int& exit_code) {
  auto flags = std::make_shared<ScanFlags>();
  CLI::App* scan = registry.add_subcommand(
      "scan", "Record-quality scan (一人一籍, 问题学籍) of the node or a subtree");
  AddCommonFlags(*scan, flags->common);
  scan->add_option("--org", flags->org,
                   "Only this institution's subtree (a division or school code)");
  scan->add_flag("--by-school", flags->by_school, "Also print the findings per school");
  scan->callback([flags, &exit_code] { exit_code = RunScan(*flags); });
}

}  // namespace nemis::cli
