// nemis registry promote --year 2026 [--dry-run] [--org CODE]: the annual promotion and
// graduation of the node or a subtree (registry/promotion.hpp), with progress on standard
// error and the report per school on standard output. Safe to run again: a run killed
// half-way finishes on the next.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/cli_common.hpp"
#include "org/org_store.hpp"
#include "registry/promotion.hpp"

namespace nemis::cli {
namespace {

struct PromoteFlags {
  CommonFlags common;
  int year = 0;
  bool dry_run = false;
  std::string org;
};

void PrintReport(const registry::PromotionReport& r) {
  std::cout << (r.dry_run ? "试运行（未作任何改变）" : "升级完成") << "：升级 " << r.total.promoted
            << "，毕业 " << r.total.graduated << "，因有在办案件暂缓毕业 " << r.total.held << "\n";
  std::cout << "学校标识码,升级,毕业,暂缓毕业\n";
  for (const auto& [school, t] : r.schools)
    std::cout << school << "," << t.promoted << "," << t.graduated << "," << t.held << "\n";
}

int RunPromote(const PromoteFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  registry::PromotionOptions options;
  options.year = flags.year;
  options.dry_run = flags.dry_run;
  options.where = org::Scope::Everything();
  if (!flags.org.empty()) {
    auto at = org::OrgStore(*db).Get(org::Scope::Everything(), flags.org);
    if (!at.ok()) {
      std::cerr << "机构 " << flags.org << "：" << at.error().message << "\n";
      return kExitUsage;
    }
    options.where = org::Scope::Of(*at);
  }
  const bool tty = isatty(STDERR_FILENO) != 0;
  auto report = registry::Promote(*db, Clock::System(), options, [tty](int64_t done, int64_t of) {
    std::fprintf(stderr, "%s升级 %5.1f%%%s", tty ? "\r" : "",
                 of ? 100.0 * static_cast<double>(done) / static_cast<double>(of) : 100.0,
                 tty ? "" : "\n");
  });
  if (tty) std::fprintf(stderr, "\n");
  if (!report.ok()) {
    std::cerr << "升级未完成：" << report.error().message << "（可再次运行以继续）\n";
    return report.error().kind == ErrorKind::kInvalid ? kExitUsage : kExitFailed;
  }
  PrintReport(*report);
  return 0;
}

}  // namespace

void AddRegistryCommand(CLI::App& app, int& exit_code) {
  CLI::App* registry = app.add_subcommand("registry", "Registry batch operations (学籍批量业务)");
  registry->require_subcommand(1);
  auto flags = std::make_shared<PromoteFlags>();
  CLI::App* promote = registry->add_subcommand(
      "promote", "Annual promotion and graduation (升级、毕业) of the node or a subtree");
  AddCommonFlags(*promote, flags->common);
  promote->add_option("--year", flags->year, "The school year that ends, e.g. 2026")->required();
  promote->add_flag("--dry-run", flags->dry_run, "Count what would change, change nothing");
  promote->add_option("--org", flags->org,
                      "Only this institution's subtree (a division or school code)");
  promote->callback([flags, &exit_code] { exit_code = RunPromote(*flags); });
  AddRegistryScanCommand(*registry, exit_code);
}

}  // namespace nemis::cli
