// The registry's year-end batch operations, each on the node or a subtree (--org), with
// the report per school on standard output:
//   nemis registry clear-pending --year 2026 [--dry-run] [--org CODE]: 在办业务清理
//     (registry/pending_clearance.hpp), from 15 July to the promotion;
//   nemis registry promote --year 2026 [--dry-run] [--org CODE]: the annual promotion and
//     graduation (registry/promotion.hpp), after 24:00 on 10 August, with progress on
//     standard error. Safe to run again: a run killed half-way finishes on the next.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/cli_common.hpp"
#include "org/org_store.hpp"
#include "registry/pending_clearance.hpp"
#include "registry/promotion.hpp"
#include "workflow/case_store.hpp"

namespace nemis::cli {
namespace {

struct BatchFlags {
  CommonFlags common;
  int year = 0;
  bool dry_run = false;
  std::string org;
};

// What a batch operation runs on: the store, the calendar and the subtree the flags name;
// nullopt (with the reason on standard error and the exit code in `exit`) when it cannot.
struct BatchTarget {
  std::unique_ptr<Config> config;
  std::unique_ptr<db::Database> db;
  registry::RegistryCalendar calendar;
  org::Scope where;
};

std::optional<BatchTarget> OpenTarget(const BatchFlags& flags, int& exit) {
  exit = kExitUsage;
  BatchTarget t{LoadConfig(flags.common), nullptr, registry::RegistryCalendar::National(),
                org::Scope::Everything()};
  if (!t.config) return std::nullopt;
  auto calendar = registry::RegistryCalendarFromConfig(*t.config);
  if (!calendar.ok()) {
    std::cerr << calendar.error().fields.front().message << "\n";
    return std::nullopt;
  }
  t.calendar = *calendar;
  exit = kExitFailed;
  t.db = OpenStore(*t.config);
  if (!t.db) return std::nullopt;
  if (!flags.org.empty()) {
    auto at = org::OrgStore(*t.db).Get(org::Scope::Everything(), flags.org);
    if (!at.ok()) {
      std::cerr << "机构 " << flags.org << "：" << at.error().message << "\n";
      exit = kExitUsage;
      return std::nullopt;
    }
    t.where = org::Scope::Of(*at);
  }
  return t;
}

int ExitFor(const Error& error) {
  return error.kind == ErrorKind::kInvalid ? kExitUsage : kExitFailed;
}

void PrintReport(const registry::PromotionReport& r) {
  std::cout << (r.dry_run ? "试运行（未作任何改变）" : "升级完成") << "：升级 " << r.total.promoted
            << "，毕业 " << r.total.graduated << "，因有在办案件暂缓毕业 " << r.total.held << "\n";
  if (!r.dry_run)
    std::cout << "用时：毕业 " << r.graduation_seconds << " 秒，升级（各校） "
              << r.promotion_seconds << " 秒\n";
  std::cout << "学校标识码,升级,毕业,暂缓毕业\n";
  for (const auto& [school, t] : r.schools)
    std::cout << school << "," << t.promoted << "," << t.graduated << "," << t.held << "\n";
}

int RunPromote(const BatchFlags& flags) {
  int exit = 0;
  auto target = OpenTarget(flags, exit);
  if (!target) return exit;
  registry::PromotionOptions options;
  options.year = flags.year;
  options.dry_run = flags.dry_run;
  options.where = target->where;
  options.calendar = target->calendar;
  const bool tty = isatty(STDERR_FILENO) != 0;
  auto report =
      registry::Promote(*target->db, Clock::System(), options, [tty](int64_t done, int64_t of) {
        std::fprintf(stderr, "%s升级 %5.1f%%%s", tty ? "\r" : "",
                     of ? 100.0 * static_cast<double>(done) / static_cast<double>(of) : 100.0,
                     tty ? "" : "\n");
      });
  if (tty) std::fprintf(stderr, "\n");
  if (!report.ok()) {
    std::cerr << "升级未完成：" << report.error().message << "（可再次运行以继续）\n";
    return ExitFor(report.error());
  }
  PrintReport(*report);
  return 0;
}

// The clearance acts as the node itself: its closures name this command in the case
// histories and the audit log.
workflow::Actor NodeActor(const BatchFlags& flags) {
  workflow::Actor actor;
  actor.account = "system:registry-clear-pending";
  actor.scope = flags.org.empty() ? "node" : flags.org;
  return actor;
}

int RunClearPending(const BatchFlags& flags) {
  int exit = 0;
  auto target = OpenTarget(flags, exit);
  if (!target) return exit;
  registry::ClearanceOptions options;
  options.year = flags.year;
  options.dry_run = flags.dry_run;
  options.where = target->where;
  options.calendar = target->calendar;
  workflow::CaseStore cases(*target->db, Clock::System(), workflow::WorkingCalendar::Shipped());
  auto report = registry::ClearGraduatingBusiness(*target->db, cases, Clock::System(),
                                                  NodeActor(flags), options);
  if (!report.ok()) {
    std::cerr << "在办业务清理未完成：" << report.error().message << "\n";
    return ExitFor(report.error());
  }
  std::cout << (report->dry_run ? "试运行（未作任何改变）：将关闭 " : "在办业务清理完成：关闭 ")
            << report->cases << " 件在办案件，涉及毕业年级学生 " << report->students << " 人\n";
  std::cout << "学校标识码,关闭案件\n";
  for (const auto& [school, n] : report->schools) std::cout << school << "," << n << "\n";
  return 0;
}

void AddBatchFlags(CLI::App& command, BatchFlags& flags) {
  AddCommonFlags(command, flags.common);
  command.add_option("--year", flags.year, "The school year that ends, e.g. 2026")->required();
  command.add_flag("--dry-run", flags.dry_run, "Count what would change, change nothing");
  command.add_option("--org", flags.org,
                     "Only this institution's subtree (a division or school code)");
}

}  // namespace

void AddRegistryCommand(CLI::App& app, int& exit_code) {
  CLI::App* registry = app.add_subcommand("registry", "Registry batch operations (学籍批量业务)");
  registry->require_subcommand(1);
  auto promote_flags = std::make_shared<BatchFlags>();
  CLI::App* promote = registry->add_subcommand(
      "promote", "Annual promotion and graduation (升级、毕业) of the node or a subtree");
  AddBatchFlags(*promote, *promote_flags);
  promote->callback([promote_flags, &exit_code] { exit_code = RunPromote(*promote_flags); });
  auto clear_flags = std::make_shared<BatchFlags>();
  CLI::App* clear = registry->add_subcommand(
      "clear-pending",
      "Close the graduating grades' pending cases (在办业务清理), from 15 July to the promotion");
  AddBatchFlags(*clear, *clear_flags);
  clear->callback([clear_flags, &exit_code] { exit_code = RunClearPending(*clear_flags); });
  AddRegistryScanCommand(*registry, exit_code);
  AddRegistryPopulationCommand(*registry, exit_code);
  AddRegistryNumberCommands(*registry, exit_code);
}

}  // namespace nemis::cli
