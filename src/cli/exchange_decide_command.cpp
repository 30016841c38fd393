// The ministry's registry office on the national node (exchange/conflict_resolution.hpp):
//   nemis exchange disputes                       the conflicts not resolved: id, kind, the two
//                                                 provinces and their verdicts, state, since
//                                                 (no personal data)
//   nemis exchange decide --conflict ID --winner CODE --reason TEXT
//                                                 settles one: CODE's registration stays; the
//                                                 provinces learn it at their next poll; audited
//                                                 (exchange.decide)
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/audit_entry.hpp"
#include "audit/audit_log.hpp"
#include "base/date.hpp"
#include "cli/cli_common.hpp"
#include "exchange/conflict_resolution.hpp"

namespace nemis::cli {
namespace {

constexpr std::string_view kUnresolved =
    "SELECT id, kind, source, holder_province, COALESCE(incoming_verdict, '-'), "
    "COALESCE(holder_verdict, '-'), state, created_at FROM exchange_conflict "
    "WHERE state IN ('open', 'disputed') ORDER BY created_at, id";

struct DecideFlags {
  CommonFlags common;
  int64_t conflict = 0;
  std::string winner, reason;
};

int Fail(const char* what, const Error& e) {
  std::cerr << what << e.message << "（" << e.code << "）\n";
  for (const FieldError& f : e.fields)
    std::cerr << "  " << f.field << "：" << f.message << "（" << f.code << "）\n";
  return e.kind == ErrorKind::kBadRequest || e.kind == ErrorKind::kInvalid ? kExitUsage
                                                                           : kExitFailed;
}

int Disputes(const CommonFlags& common) {
  auto config = LoadConfig(common);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto rows = db->Read<db::ResultSet>([](db::Connection& c) { return c.Query(kUnresolved); });
  if (!rows.ok()) return Fail("", rows.error());
  std::cout << "冲突,类型,后到的省,后到省结论,先到的省,先到省结论,状态,发现时间\n";
  for (const db::Row& r : rows->rows)
    std::cout << r.Int(0) << "," << r.Text(1) << "," << r.Text(2) << "," << r.Text(4) << ","
              << r.Text(3) << "," << r.Text(5) << "," << r.Text(6) << "," << r.Text(7) << "\n";
  return 0;
}

int Decide(const DecideFlags& flags) {
  if (flags.reason.empty()) {
    std::cerr << "请用 --reason 写明裁定依据\n";
    return kExitUsage;
  }
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto cipher = LoadFieldCipher(*config);
  if (!cipher) return kExitFailed;
  const std::string now = FormatUtc(Clock::System().Now());
  if (Status decided = exchange::DecideDispute(*db, *cipher, flags.conflict, flags.winner, now);
      !decided.ok())
    return Fail("未能裁定：", decided.error());
  if (Status audited = AppendCliAudit(
          *db,
          CliAuditEntry("nemis exchange decide", "exchange.decide", std::to_string(flags.conflict),
                        nlohmann::json{{"winner", flags.winner}, {"reason", flags.reason}}.dump()));
      !audited.ok())
    return Fail("", audited.error());
  std::cout << "已裁定冲突 " << flags.conflict << "：保留 " << flags.winner
            << " 的学籍；两省节点下次查询时办结\n";
  return 0;
}

}  // namespace

void AddExchangeDecideCommands(CLI::App& exchange, int& exit_code) {
  auto flags = std::make_shared<DecideFlags>();
  CLI::App* disputes = exchange.add_subcommand(
      "disputes", "National node: the one-person-one-number conflicts not resolved yet");
  AddCommonFlags(*disputes, flags->common);
  disputes->callback([flags, &exit_code] { exit_code = Disputes(flags->common); });
  CLI::App* decide = exchange.add_subcommand(
      "decide", "National node: settle a conflict for one province's registration");
  AddCommonFlags(*decide, flags->common);
  decide->add_option("--conflict", flags->conflict, "the conflict's id (nemis exchange disputes)")
      ->required();
  decide
      ->add_option("--winner", flags->winner, "the province whose registration stays, e.g. 440000")
      ->required();
  decide->add_option("--reason", flags->reason, "the grounds, kept in the audit log")->required();
  decide->callback([flags, &exit_code] { exit_code = Decide(*flags); });
}

}  // namespace nemis::cli
