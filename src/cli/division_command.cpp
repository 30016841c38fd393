// The GB/T 2260 division changes (org/division_change_store.hpp):
//   nemis division record --kind add|rename|retire --code CODE [--name NAME]
//         [--successor CODE] [--school SCHOOL=CODE ...] --effective YYYY-MM-DD --reference TEXT
//       national node only: records a change (新设, 更名, 撤销) and carries it into the
//       organisation tree; the provinces receive it at their next poll of the national node.
//       --school: a retired division split between several successors, the schools that go
//       elsewhere than --successor.
//       Audited (division.record) in the same transaction.
//   nemis division list   the changes this node holds, in order
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "audit/audit_entry.hpp"
#include "audit/audit_log.hpp"
#include "base/date.hpp"
#include "cli/cli_common.hpp"
#include "db/write_attachment.hpp"
#include "org/division_change_store.hpp"

namespace nemis::cli {
namespace {

struct RecordFlags {
  CommonFlags common;
  std::string kind, code, name, successor, effective, reference;
  std::vector<std::string> schools;  // SCHOOL=CODE
};

// --school SCHOOL=CODE as a map; the bad one, or "".
std::string SchoolsOf(const std::vector<std::string>& flags, org::SchoolSuccessors& out) {
  for (const std::string& flag : flags) {
    const size_t eq = flag.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == flag.size()) return flag;
    out[flag.substr(0, eq)] = flag.substr(eq + 1);
  }
  return {};
}

int Fail(const Error& e) {
  std::cerr << "未能记录行政区划变更：" << e.message << "（" << e.code << "）\n";
  for (const FieldError& f : e.fields)
    std::cerr << "  " << f.field << "：" << f.message << "（" << f.code << "）\n";
  return e.kind == ErrorKind::kInvalid || e.kind == ErrorKind::kBadRequest ? kExitUsage
                                                                           : kExitFailed;
}

int Record(const RecordFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  if (config->GetString("node.role") != "national") {
    std::cerr << "行政区划变更由国家节点发布（node.role = national），本节点从国家节点接收\n";
    return kExitUsage;
  }
  auto kind = codes::ParseDivisionChangeKind(flags.kind);
  if (!kind) {
    std::cerr << "--kind 须为 add（新设）、rename（更名）或 retire（撤销）\n";
    return kExitUsage;
  }
  org::DivisionChangeInput input{
      {*kind, flags.code, flags.name, flags.successor}, flags.effective, flags.reference};
  if (const std::string bad = SchoolsOf(flags.schools, input.school_successors); !bad.empty()) {
    std::cerr << "--school 须为 学校标识码=承继区划代码，如 2144018301=440118：" << bad << "\n";
    return kExitUsage;
  }
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  const std::string now = FormatUtc(Clock::System().Now());
  const audit::AuditEntry entry =
      CliAuditEntry("nemis division record", "division.record", flags.code,
                    nlohmann::json{{"kind", flags.kind},
                                   {"name", flags.name},
                                   {"successor", flags.successor},
                                   {"schoolSuccessors", input.school_successors},
                                   {"reference", flags.reference}}
                        .dump());
  db::WriteAttachment audited([&entry](db::Connection& c) { return audit::Append(c, entry); });
  auto recorded = org::RecordDivisionChange(*db, std::move(input), config->GetString("node.code"),
                                            now, &audited);
  if (!recorded.ok()) return Fail(recorded.error());
  std::cout << "已记录第 " << recorded->seq << " 号区划变更："
            << codes::DivisionChangeKindName(recorded->change.kind) << " " << recorded->change.code
            << " " << recorded->change.name
            << (recorded->applied_at.empty() ? "，" + recorded->effective_on + " 起生效"
                                             : "，已生效")
            << "；各省节点下次查询国家节点时接收\n";
  return 0;
}

int List(const CommonFlags& common) {
  auto config = LoadConfig(common);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto records = org::DivisionChangesAfter(*db, 0, std::numeric_limits<int>::max());
  if (!records.ok()) return Fail(records.error());
  std::cout << "序号,类型,代码,名称,承继区划,生效日期,批准文号,发布时间,接收时间,生效时间\n";
  for (const org::DivisionChangeRecord& r : *records)
    std::cout << r.seq << "," << codes::DivisionChangeKindId(r.change.kind) << "," << r.change.code
              << "," << r.change.name << "," << r.change.successor << "," << r.effective_on << ","
              << r.reference << "," << r.recorded_at << "," << r.received_at << ","
              << (r.applied_at.empty() ? "待生效" : r.applied_at) << "\n";
  return 0;
}

}  // namespace

void AddDivisionCommand(CLI::App& app, int& exit_code) {
  CLI::App* division = app.add_subcommand("division", "GB/T 2260 division changes (行政区划变更)");
  division->require_subcommand(1);
  auto flags = std::make_shared<RecordFlags>();
  CLI::App* record = division->add_subcommand(
      "record", "National node: record a division added, renamed or retired");
  AddCommonFlags(*record, flags->common);
  record->add_option("--kind", flags->kind, "add, rename or retire")->required();
  record->add_option("--code", flags->code, "the division's 6-digit code")->required();
  record->add_option("--name", flags->name, "add, rename: its name from then on");
  record->add_option("--successor", flags->successor,
                     "retire: the division that took its area over");
  record->add_option("--school", flags->schools,
                     "retire, split: SCHOOL=CODE, a school going elsewhere than --successor "
                     "(repeatable)");
  record->add_option("--effective", flags->effective, "the date it takes effect, YYYY-MM-DD")
      ->required();
  record->add_option("--reference", flags->reference, "the approval (批准文号)")->required();
  record->callback([flags, &exit_code] { exit_code = Record(*flags); });
  auto list_flags = std::make_shared<CommonFlags>();
  CLI::App* list = division->add_subcommand("list", "The division changes this node holds");
  AddCommonFlags(*list, *list_flags);
  list->callback([list_flags, &exit_code] { exit_code = List(*list_flags); });
}

}  // namespace nemis::cli
