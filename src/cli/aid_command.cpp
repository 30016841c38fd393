// Student aid lists and their payment by the finance department:
//   nemis aid import FILE [--org CODE]
//     keeps the award list in FILE (aid/award_list.hpp) for the students of --org's subtree
//     (default: the node), all rows or none; audited (aid.import).
//   nemis aid pay [--org CODE] [--year YYYY]
//     sends the awards still to be paid to the finance department (finance.url;
//     exchange/finance_office.hpp) and keeps its answers (aid/award_payment.hpp); audited
//     (aid.pay) whether or not the run finished, since personal data left the node.
//   nemis aid status [--org CODE] [--year YYYY]
//     awards and amounts by programme, school year and state.
#include <iostream>
#include <nlohmann/json.hpp>

#include "aid/aid_programme.hpp"
#include "aid/award_fields.hpp"
#include "aid/award_list.hpp"
#include "aid/award_payment.hpp"
#include "aid/award_tally.hpp"
#include "base/date.hpp"
#include "cli/cli_common.hpp"
#include "exchange/finance_office.hpp"

namespace nemis::cli {
namespace {

struct AidFlags {
  CommonFlags common;
  std::string file, org;
  int year = 0;  // 0: every school year
};

int Fail(const Error& e) {
  std::cerr << e.message << "（" << e.code << "）\n";
  return e.kind == ErrorKind::kBadRequest || e.kind == ErrorKind::kInvalid ? kExitUsage
                                                                           : kExitFailed;
}

std::optional<ScopedStore> Open(const AidFlags& flags, int& exit_code) {
  return OpenScopedStore(flags.common, flags.org, exit_code);
}

Status Audit(db::Database& db, const std::string& action, const AidFlags& flags,
             const nlohmann::json& details) {
  return AppendCliAudit(db,
                        CliAuditEntry("nemis aid " + action.substr(action.find('.') + 1), action,
                                      flags.org.empty() ? "node" : flags.org, details.dump()));
}

std::optional<int> Year(const AidFlags& flags) {
  return flags.year ? std::optional<int>(flags.year) : std::nullopt;
}

void PrintErrors(const aid::AwardListReport& report) {
  for (const aid::AwardRowError& e : report.errors)
    std::cerr << "第 " << e.line << " 行" << (e.column.empty() ? "" : " " + e.column) << "："
              << e.message << "\n";
  if (report.more_errors) std::cerr << "……还有更多错误未列出\n";
}

int RunImport(const AidFlags& flags) {
  int code = 0;
  auto o = Open(flags, code);
  if (!o) return code;
  aid::AwardListOptions options;
  options.now = FormatUtc(Clock::System().Now());
  options.today = Clock::System().TodayInChina();
  auto report = aid::KeepAwardList(*o->db, *o->cipher, o->scope, flags.file, options);
  if (!report.ok()) return Fail(report.error());
  const bool kept = report->errors.empty();
  if (Status audited = Audit(*o->db, "aid.import", flags,
                             {{"file", flags.file},
                              {"rows", report->rows},
                              {"added", report->added},
                              {"replaced", report->replaced},
                              {"unchanged", report->unchanged},
                              {"errors", report->errors.size()}});
      !audited.ok())
    return Fail(audited.error());
  if (!kept) {
    PrintErrors(*report);
    std::cerr << "名单有错误，未保存任何一行：改正后重新导入\n";
    return kExitFailed;
  }
  std::cout << "已保存资助名单：" << report->rows << " 行；新增 " << report->added << "，更新 "
            << report->replaced << "，未变 " << report->unchanged << "\n";
  return 0;
}

int RunPay(const AidFlags& flags) {
  int code = 0;
  auto o = Open(flags, code);
  if (!o) return code;
  auto endpoint = ReadDepartmentEndpoint(*o->config, "finance", exchange::kFinanceOfficeName);
  if (!endpoint.ok()) return Fail(endpoint.error());
  aid::PaymentRunOptions options;
  options.batch =
      static_cast<int>(std::clamp<int64_t>(o->config->GetInt("finance.batch"), 1, 10000));
  options.school_year = Year(flags);
  options.now = FormatUtc(Clock::System().Now());
  const auto r = aid::SendAwardsForPayment(*o->db, *o->cipher, o->scope,
                                           exchange::HttpFinanceOffice(*endpoint), options);
  if (Status audited = Audit(*o->db, "aid.pay", flags,
                             {{"sent", r.sent},
                              {"paid", r.paid},
                              {"refused", r.refused},
                              {"pending", r.pending},
                              {"unanswered", r.unanswered},
                              {"skipped", r.skipped},
                              {"finished", r.stopped.ok()}});
      !audited.ok())
    return Fail(audited.error());
  std::cout << (r.stopped.ok() ? "已报送：" : "报送中断：") << "发送 " << r.sent << " 笔；已发放 "
            << r.paid << "，未发放 " << r.refused << "，处理中 " << r.pending << "，未获答复 "
            << r.unanswered << "；学生已无居民身份证号或已不在册、未发送 " << r.skipped << "\n";
  if (!r.stopped.ok()) {
    std::cerr
        << "报送未完成（已保存的结果保留；再次运行会以相同的支付编号重新报送，不会重复发放）：";
    return Fail(r.stopped.error());
  }
  return 0;
}

std::string_view StateName(std::string_view status) {
  if (status == "listed") return "待报送";
  if (status == "sent") return "已报送待结果";
  if (status == "paid") return "已发放";
  return "未发放";
}

int RunStatus(const AidFlags& flags) {
  int code = 0;
  auto o = Open(flags, code);
  if (!o) return code;
  auto tallies = aid::TallyAwards(*o->db, o->scope, Year(flags));
  if (!tallies.ok()) return Fail(tallies.error());
  if (tallies->empty()) std::cout << "没有资助名单\n";
  for (const aid::AwardTally& t : *tallies) {
    const aid::AidProgramme* p = aid::FindAidProgramme(t.programme);
    std::cout << t.programme << " " << (p ? p->name : "") << "\t" << t.school_year << " 学年\t"
              << StateName(t.status) << "\t" << t.awards << " 人\t" << aid::FormatYuan(t.amount_fen)
              << " 元\n";
  }
  return 0;
}

void AddScopeFlags(CLI::App& command, AidFlags& flags, bool year) {
  AddCommonFlags(command, flags.common);
  command.add_option("--org", flags.org, "only this institution's subtree (default: all)");
  if (year)
    command.add_option("--year", flags.year, "only this school year (2026: 2026-2027)")
        ->check(CLI::Range(2000, 2100));
}

}  // namespace

void AddAidCommand(CLI::App& app, int& exit_code) {
  CLI::App* aid = app.add_subcommand("aid", "Student aid lists and their payment (学生资助)");
  aid->require_subcommand(1);
  auto flags = std::make_shared<AidFlags>();
  CLI::App* import = aid->add_subcommand(
      "import", "Keep an award list (CSV: 学籍号, 姓名, 资助项目, 学年, 金额), all rows or none");
  AddScopeFlags(*import, *flags, false);
  import->add_option("file", flags->file, "the list, UTF-8 or GB18030 CSV")->required();
  import->callback([flags, &exit_code] { exit_code = RunImport(*flags);
});
CLI::App* pay = aid->add_subcommand(
    "pay", "Send the awards still to be paid to the finance department (finance.url)");
AddScopeFlags(*pay, *flags, true);
pay->callback([flags, &exit_code] { exit_code = RunPay(*flags); });
CLI::App* status =
    aid->add_subcommand("status", "Awards and amounts by programme, school year and state");
AddScopeFlags(*status, *flags, true);
status->callback([flags, &exit_code] { exit_code = RunStatus(*flags); });
}  // namespace nemis::cli

}  // namespace nemis::cli
