// The online population check and L → G:
//   nemis registry population-check [--org CODE] [--recheck] [--dry-run]
//     sends the resident IDs and names of the students in scope not yet found 一致 to the
//     population register (population.url; exchange/population_register.hpp) and keeps its
//     verdicts (registry/quality/population_check.hpp); audited (registry.population_check).
//   nemis registry convert-temporary [--org CODE] [--national URL] [--dry-run]
//     gives the L students checked 一致 their G numbers, asking the national node
//     (--national or exchange.national) whether the ID is registered in another province
//     (registry/temporary_number_conversion.hpp); audited (registry.convert_temporary).
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/audit_entry.hpp"
#include "audit/audit_log.hpp"
#include "base/date.hpp"
#include "cli/cli_common.hpp"
#include "cli/national_client.hpp"
#include "exchange/node_identity.hpp"
#include "exchange/population_register.hpp"
#include "org/org_store.hpp"
#include "registry/quality/population_check.hpp"
#include "registry/temporary_number_conversion.hpp"

namespace nemis::cli {
namespace {

struct NumberFlags {
  CommonFlags common;
  std::string org, national;
  bool recheck = false, dry_run = false;
};

int Fail(const char* what, const Error& e) {
  std::cerr << what << e.message << "（" << e.code << "）\n";
  return e.kind == ErrorKind::kBadRequest ? kExitUsage : kExitFailed;
}

std::optional<ScopedStore> Open(const NumberFlags& flags, int& exit_code) {
  return OpenScopedStore(flags.common, flags.org, exit_code);
}

Status Audit(db::Database& db, const std::string& action, const NumberFlags& flags,
             nlohmann::json details) {
  details["dryRun"] = flags.dry_run;
  return AppendCliAudit(
      db, CliAuditEntry("nemis registry " + action.substr(action.find('.') + 1), action,
                        flags.org.empty() ? "node" : flags.org, details.dump()));
}

int RunPopulationCheck(const NumberFlags& flags) {
  int code = 0;
  auto o = Open(flags, code);
  if (!o) return code;
  auto endpoint =
      ReadDepartmentEndpoint(*o->config, "population", exchange::kPopulationRegisterName);
  if (!endpoint.ok()) return Fail("", endpoint.error());
  registry::quality::PopulationCheckOptions options;
  options.batch =
      static_cast<int>(std::clamp<int64_t>(o->config->GetInt("population.batch"), 1, 10000));
  options.recheck = flags.recheck;
  options.dry_run = flags.dry_run;
  options.today = Clock::System().TodayInChina().ToIso();
  const auto report = registry::quality::CheckPopulation(
      *o->db, *o->cipher, o->scope, exchange::HttpPopulationRegister(*endpoint), options);
  // Personal data left the node: audited whether or not the run finished.
  if (Status audited = Audit(*o->db, "registry.population_check", flags,
                             {{"sent", report.sent}, {"finished", report.stopped.ok()}});
      !audited.ok())
    return Fail("", audited.error());
  const auto& k = report.kept;
  std::cout << (flags.dry_run         ? "试运行（未保存）："
                : report.stopped.ok() ? "已比对："
                                      : "比对中断：")
            << "发送 " << report.sent << " 人，未获答复 " << report.unanswered << "；一致 "
            << k.match << "，查无此人 " << k.unknown << "，姓名不符 " << k.name_mismatch
            << "；姓名已更正（须重新比对） " << k.renamed << "\n";
  if (!report.stopped.ok())
    return Fail("比对未完成（已保存的结果保留，可再次运行）：", report.stopped.error());
  return 0;
}

// Whether the national node holds the ID in another province than this node's.
registry::RegisteredElsewhere NationalCheck(db::Database& db, exchange::NodeIdentity self,
                                            std::string url) {
  return [&db, self = std::move(self), url = std::move(url)](
             const std::string& id_number) -> Result<std::optional<std::string>> {
    NEMIS_ASSIGN_OR_RETURN(
        auto found, AskNationalNode(db, self, url, {{"idType", "1"}, {"idNumber", id_number}}));
    if (!found || found->value("provinceCode", "") == self.code)
      return std::optional<std::string>();
    return std::optional<std::string>(found->value("provinceCode", "") + " " +
                                      found->value("schoolName", ""));
  };
}

int RunConvertTemporary(const NumberFlags& flags) {
  int code = 0;
  auto o = Open(flags, code);
  if (!o) return code;
  std::string national = flags.national;
  if (national.empty()) national = o->config->GetString("exchange.national");
  registry::RegisteredElsewhere elsewhere;
  if (!national.empty()) {
    auto self = exchange::LoadNodeIdentity(o->config->GetString("node.key_dir"));
    if (!self.ok()) return Fail("", self.error());
    elsewhere = NationalCheck(*o->db, std::move(*self), national);
  } else if (o->config->GetString("node.role") != "national") {
    std::cerr << "注意：未配置国家节点（--national 或 exchange.national），只核对本节点的学籍\n";
  }
  registry::ConversionOptions options;
  options.now = FormatUtc(Clock::System().Now());
  options.dry_run = flags.dry_run;
  auto report = registry::ConvertTemporaryNumbers(*o->db, *o->cipher, o->scope, elsewhere, options);
  const int64_t converted = report.ok() ? report->converted : -1;
  if (Status audited = Audit(*o->db, "registry.convert_temporary", flags,
                             {{"converted", converted}, {"finished", report.ok()}});
      !audited.ok())
    return Fail("", audited.error());
  if (!report.ok()) return Fail("转换未完成（已转换的保留，可再次运行）：", report.error());
  const auto& r = *report;
  std::cout << (flags.dry_run ? "试运行（未作任何改变）：" : "") << "临时学籍号（L）学生 "
            << r.candidates << " 人已通过人口信息比对；" << (flags.dry_run ? "可转为" : "已转为")
            << " G 字头学籍号 " << r.converted << " 人；他省已有学籍 " << r.registered_elsewhere
            << " 人，有在办案件 " << r.case_open << " 人，G 学籍号已被占用（须合并） "
            << r.number_taken << " 人（均未转换）\n";
  return 0;
}

}  // namespace

void AddRegistryNumberCommands(CLI::App& registry, int& exit_code) {
  auto flags = std::make_shared<NumberFlags>();
  CLI::App* check = registry.add_subcommand(
      "population-check",
      "Check students' resident IDs online with the population register (人口信息比对)");
  AddCommonFlags(*check, flags->common);
  check->add_option("--org", flags->org, "only this institution's subtree (default: all)");
  check->add_flag("--recheck", flags->recheck, "also students already found 一致");
  check->add_flag("--dry-run", flags->dry_run, "ask and count, keep nothing");
  check->callback([flags, &exit_code] { exit_code = RunPopulationCheck(*flags); });
  CLI::App* convert = registry.add_subcommand(
      "convert-temporary", "Give L (temporary) students checked 一致 their G numbers (L → G)");
  AddCommonFlags(*convert, flags->common);
  convert->add_option("--org", flags->org, "only this institution's subtree (default: all)");
  convert->add_option("--national", flags->national,
                      "the national node, http://host:port (default exchange.national)");
  convert->add_flag("--dry-run", flags->dry_run, "count what would change, change nothing");
  convert->callback([flags, &exit_code] { exit_code = RunConvertTemporary(*flags); });
}

}  // namespace nemis::cli
