// The staff basic database, from the human-resources department:
//   nemis staff hr-sync
//     reads HR's change feed of staff records (hr.url; exchange/hr_office.hpp) from where the
//     node stopped to its end and keeps them (staff/hr_sync.hpp); audited (staff.hr_sync).
//   nemis staff status [--org CODE]
//     staff by status and post.
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/date.hpp"
#include "cli/cli_common.hpp"
#include "exchange/hr_office.hpp"
#include "staff/hr_sync.hpp"
#include "staff/staff_tally.hpp"

namespace nemis::cli {
namespace {

struct StaffFlags {
  CommonFlags common;
  std::string org;
};

int Fail(const Error& e) {
  std::cerr << e.message << "（" << e.code << "）\n";
  return e.kind == ErrorKind::kBadRequest ? kExitUsage : kExitFailed;
}

std::string Rejected(const std::map<std::string, int64_t>& rejected) {
  int64_t total = 0;
  std::string reasons;
  for (const auto& [reason, n] : rejected) {
    total += n;
    reasons += (reasons.empty() ? "" : "，") + reason + " " + std::to_string(n);
  }
  return std::to_string(total) + (reasons.empty() ? "" : "（" + reasons + "）");
}

int RunHrSync(const StaffFlags& flags) {
  int code = 0;
  auto o = OpenScopedStore(flags.common, "", code);
  if (!o) return code;
  auto endpoint = ReadDepartmentEndpoint(*o->config, "hr", exchange::kHrOfficeName);
  if (!endpoint.ok()) return Fail(endpoint.error());
  staff::HrSyncOptions options;
  options.limit = static_cast<int>(std::clamp<int64_t>(o->config->GetInt("hr.batch"), 1, 5000));
  options.now = FormatUtc(Clock::System().Now());
  options.today = Clock::System().TodayInChina();
  const auto r =
      staff::SyncStaffFromHr(*o->db, *o->cipher, exchange::HttpHrOffice(*endpoint), options);
  if (Status audited =
          AppendCliAudit(*o->db, CliAuditEntry("nemis staff hr-sync", "staff.hr_sync", "node",
                                               nlohmann::json{{"pages", r.pages},
                                                              {"records", r.records},
                                                              {"added", r.added},
                                                              {"updated", r.updated},
                                                              {"unchanged", r.unchanged},
                                                              {"older", r.older},
                                                              {"rejected", r.rejected},
                                                              {"finished", r.stopped.ok()}}
                                                   .dump()));
      !audited.ok())
    return Fail(audited.error());
  std::cout << (r.stopped.ok() ? "已同步：" : "同步中断：") << r.pages << " 页，收到 " << r.records
            << " 条；新增 " << r.added << "，更新 " << r.updated << "，未变 " << r.unchanged
            << "，较旧已略过 " << r.older << "；拒收 " << Rejected(r.rejected) << "\n";
  if (!r.stopped.ok()) {
    std::cerr << "同步未完成（已保存的页保留，再次运行从中断处继续）：";
    return Fail(r.stopped.error());
  }
  return 0;
}

int RunStatus(const StaffFlags& flags) {
  int code = 0;
  auto o = OpenScopedStore(flags.common, flags.org, code);
  if (!o) return code;
  auto tallies = staff::TallyStaff(*o->db, o->scope);
  if (!tallies.ok()) return Fail(tallies.error());
  if (tallies->empty()) std::cout << "没有教职工记录\n";
  for (const staff::StaffTally& t : *tallies)
    std::cout << t.status << "\t" << t.post << "\t" << t.staff << " 人\n";
  return 0;
}

}  // namespace

void AddStaffCommand(CLI::App& app, int& exit_code) {
  CLI::App* staff = app.add_subcommand("staff", "The staff basic database (教职工)");
  staff->require_subcommand(1);
  auto flags = std::make_shared<StaffFlags>();
  CLI::App* sync = staff->add_subcommand(
      "hr-sync", "Take in the human-resources department's staff records (hr.url)");
  AddCommonFlags(*sync, flags->common);
  sync->callback([flags, &exit_code] { exit_code = RunHrSync(*flags); });
  CLI::App* status = staff->add_subcommand("status", "Staff by status and post");
  AddCommonFlags(*status, flags->common);
  status->add_option("--org", flags->org, "only this institution's subtree (default: all)");
  status->callback([flags, &exit_code] { exit_code = RunStatus(*flags); });
}

}  // namespace nemis::cli
