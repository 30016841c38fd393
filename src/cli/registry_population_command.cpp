// nemis registry population-verdicts FILE [--dry-run]: takes in the population department's
// answers about students' resident IDs (人口信息比对; registry/quality/population_verdicts.hpp).
// Bad rows are listed by line on standard error and nothing is kept; otherwise the counts go
// to standard output. The next `nemis registry scan` turns 查无此人 and 姓名不符 into problem
// records.
#include <fstream>
#include <iostream>

#include "base/date.hpp"
#include "cli/cli_common.hpp"
#include "registry/quality/population_verdicts.hpp"

namespace nemis::cli {
namespace {

struct PopulationFlags {
  CommonFlags common;
  std::string file;
  bool dry_run = false;
};

void PrintReport(const registry::quality::VerdictReport& r) {
  std::cout << (r.dry_run ? "试运行（未保存）：" : "已保存：") << "共 " << r.rows << " 行；一致 "
            << r.match << "，查无此人 " << r.unknown << "，姓名不符 " << r.name_mismatch
            << "；本节点无此证件号 " << r.not_registered << "，姓名已更正（须重新比对） "
            << r.renamed << "\n";
}

int RunPopulationVerdicts(const PopulationFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  std::ifstream in(flags.file, std::ios::binary);
  if (!in) {
    std::cerr << "无法读取文件 " << flags.file << "\n";
    return kExitUsage;
  }
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto cipher = LoadFieldCipher(*config);
  if (!cipher) return kExitFailed;
  auto report = registry::quality::ApplyPopulationVerdicts(
      *db, *cipher, in, Clock::System().TodayInChina().ToIso(), flags.dry_run);
  if (!report.ok()) {
    std::cerr << "比对结果未全部保存：" << report.error().message << "（可再次运行）\n";
    return kExitFailed;
  }
  if (!report->errors.empty()) {
    std::cerr << "文件有误，未保存任何结果：\n";
    for (const auto& e : report->errors)
      std::cerr << "第 " << e.line << " 行" << (e.column.empty() ? "" : "，" + e.column) << "："
                << e.message << "（" << e.code << "）\n";
    return kExitUsage;
  }
  PrintReport(*report);
  return 0;
}

}  // namespace

void AddRegistryPopulationCommand(CLI::App& registry, int& exit_code) {
  auto flags = std::make_shared<PopulationFlags>();
  CLI::App* command = registry.add_subcommand(
      "population-verdicts",
      "Take in the population register's verdicts on resident IDs (人口信息比对结果)");
  AddCommonFlags(*command, flags->common);
  command->add_option("file", flags->file, "CSV: 身份证件号,姓名,核查结果 (一致/查无此人/姓名不符)")
      ->required();
  command->add_flag("--dry-run", flags->dry_run, "Check and count, keep nothing");
  command->callback([flags, &exit_code] { exit_code = RunPopulationVerdicts(*flags); });
}

}  // namespace nemis::cli
