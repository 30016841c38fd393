// nemis exchange: offline bundles between nodes (exchange/bundle.hpp).
//   export --after SEQ --to FILE --receiver CERT   this node's changes after SEQ, sealed for
//                                                  the node holding CERT
//   import FILE                                    verified whole, then applied in order
//   reset --source CODE                            forget a source's checkpoint (after it was
//                                                  restored from an older backup)
//   dump --table students|institutions|changes [--org CODE] [--format csv|json] --to FILE
//                                                  a table in scope for older local systems
//                                                  (exchange/table_dump.hpp); audited
//   lookup --national URL (--id-number X [--id-type T] | --student-number N)
//                                                  (province) the national view of a student:
//                                                  where the country holds it, if anywhere
//   poll --national URL                            (province) one round of what serve does with
//   (or conflicts)                                 exchange.national: the national node's
//                                                  conflicts about this province's students
//                                                  opened as cases (exchange/conflict_cases.hpp),
//                                                  cross-province transfers carried
//                                                  (exchange/transfer_handover.hpp)
//   recover --national URL                         (province) after a restore: what the national
//                                                  node holds of this province and this node
//                                                  lacks or holds older, written back
//                                                  (exchange/recovery.hpp); audited
//   digest --province CODE                         SM3 of what this node holds of a province
//                                                  (equal on both nodes when in step)
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/audit_entry.hpp"
#include "audit/audit_log.hpp"
#include "base/date.hpp"
#include "cli/cli_common.hpp"
#include "cli/national_client.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/bundle.hpp"
#include "exchange/change_applier.hpp"
#include "exchange/national_poller.hpp"
#include "exchange/replica_digest.hpp"
#include "exchange/table_dump.hpp"
#include "org/org_store.hpp"
#include "workflow/working_calendar.hpp"

namespace nemis::cli {
namespace {

struct ExchangeFlags {
  CommonFlags common;
  int64_t after = 0;
  bool compress = false;
  std::string to, receiver, file, province, source, table = "students", org, format = "csv";
  std::string national, id_type, id_number, student_number;
};

int Fail(const char* what, const Error& e) {
  std::cerr << what << e.message << "（" << e.code << "）\n";
  return e.kind == ErrorKind::kBadRequest ? kExitUsage : kExitFailed;
}

struct Opened {
  std::unique_ptr<Config> config;
  std::unique_ptr<db::Database> db;
  std::optional<crypto::FieldCipher> cipher;
  std::optional<exchange::NodeIdentity> self;
};

// The configuration, store and field keys, and the node identity when `identity`; nullopt
// after printing why not (`exit_code` says how to exit).
std::optional<Opened> Open(const CommonFlags& flags, int& exit_code, bool identity = true) {
  Opened o;
  exit_code = kExitUsage;
  o.config = LoadConfig(flags);
  if (!o.config) return std::nullopt;
  if (identity) {
    auto self = exchange::LoadNodeIdentity(o.config->GetString("node.key_dir"));
    if (!self.ok()) return Fail("", self.error()), std::nullopt;
    o.self = std::move(*self);
  }
  exit_code = kExitFailed;
  o.db = OpenStore(*o.config);
  if (!o.db) return std::nullopt;
  o.cipher = LoadFieldCipher(*o.config);
  if (!o.cipher) return std::nullopt;
  return o;
}

int Export(const ExchangeFlags& flags) {
  int code = 0;
  auto o = Open(flags.common, code);
  if (!o) return code;
  std::ifstream in(flags.receiver, std::ios::binary);
  std::stringstream pem;
  pem << in.rdbuf();
  auto receiver = crypto::Sm2Certificate::FromPem(pem.str());
  if (!in || !receiver.ok()) {
    std::cerr << "无法读取接收节点的证书 " << flags.receiver << "\n";
    return kExitUsage;
  }
  auto summary = exchange::ExportBundle(
      *o->db, *o->cipher, *o->self, *receiver, flags.after, flags.to,
      o->config->GetInt("exchange.batch_changes"),
      flags.compress ? exchange::PayloadEncoding::kZstd : exchange::PayloadEncoding::kPlain);
  if (!summary.ok()) return Fail("未能导出交换包：", summary.error());
  std::cout << "已导出 " << summary->batches << " 个批次、" << summary->records
            << " 条记录（变更序号 " << summary->after << " 之后至 " << summary->last << "）到 "
            << flags.to << "\n";
  return 0;
}

int Import(const ExchangeFlags& flags) {
  int code = 0;
  auto o = Open(flags.common, code);
  if (!o) return code;
  auto summary = exchange::ImportBundle(*o->db, *o->cipher, *o->self, flags.file);
  if (!summary.ok()) return Fail("交换包未导入：", summary.error());
  std::cout << "已导入 " << summary->batches << " 个批次（其中 " << summary->repeated
            << " 个此前已导入），写入 " << summary->records << " 条记录，冲突 "
            << summary->conflicts << " 条；已应用至变更序号 " << summary->last << "\n";
  return 0;
}

int Reset(const ExchangeFlags& flags) {
  int code = 0;
  auto o = Open(flags.common, code, /*identity=*/false);
  if (!o) return code;
  auto reset = exchange::ResetCheckpoint(*o->db, flags.source);
  if (!reset.ok()) return Fail("未能重置：", reset.error());
  std::cout << (*reset ? "已清除 " + flags.source + " 的检查点：下次将从其第一条变更重新同步\n"
                       : "本节点没有 " + flags.source + " 的检查点\n");
  return 0;
}

// Who exported what, in the audit log: a bulk export of personal data is an operator's act.
Status AuditDump(db::Database& db, const ExchangeFlags& flags, int64_t rows) {
  return AppendCliAudit(
      db, CliAuditEntry(
              "nemis exchange dump", "exchange.dump",
              flags.table + (flags.org.empty() ? "" : "@" + flags.org),
              nlohmann::json{{"rows", rows}, {"format", flags.format}, {"file", flags.to}}.dump()));
}

int Dump(const ExchangeFlags& flags) {
  auto table = exchange::ParseDumpTable(flags.table);
  auto format = exchange::ParseDumpFormat(flags.format);
  if (!table.ok()) return Fail("", table.error());
  if (!format.ok()) return Fail("", format.error());
  int code = 0;
  auto o = Open(flags.common, code, /*identity=*/false);
  if (!o) return code;
  db::Database& db = *o->db;
  org::Scope scope = org::Scope::Everything();
  if (!flags.org.empty()) {
    auto root = org::OrgStore(db).Get(org::Scope::Everything(), flags.org);
    if (!root.ok())
      return Fail("无法导出：", Error::BadRequest("unknown_org", "没有机构 " + flags.org));
    scope = org::Scope::Of(*root);
  }
  // A new file, readable by its owner only: it holds personal data.
  const int fd = ::open(flags.to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::cerr << "无法创建 " << flags.to << "（已存在或无权写入）\n";
    return kExitUsage;
  }
  ::close(fd);
  std::ofstream out(flags.to, std::ios::binary | std::ios::trunc);
  auto rows = exchange::DumpRows(db, *o->cipher, *table, *format, scope, out);
  out.close();
  if (!rows.ok()) {
    std::filesystem::remove(flags.to);
    return Fail("导出失败：", rows.error());
  }
  if (Status audited = AuditDump(db, flags, *rows); !audited.ok()) {
    std::filesystem::remove(flags.to);
    return Fail("导出失败：", audited.error());
  }
  std::cout << "已导出 " << *rows << " 行到 " << flags.to << "\n";
  return 0;
}

int Lookup(const ExchangeFlags& flags) {
  int code = 0;
  auto o = Open(flags.common, code);
  if (!o) return code;
  const nlohmann::json query = {{"idType", flags.id_type},
                                {"idNumber", flags.id_number},
                                {"studentNumber", flags.student_number}};
  auto answer = AskNationalNode(*o->db, *o->self, flags.national, query);
  if (!answer.ok()) return Fail("", answer.error());
  if (!*answer) {
    std::cout << "全国学籍中没有该学生\n";
    return 0;
  }
  const nlohmann::json& s = **answer;
  std::cout << "全国学籍中已有：" << s.value("name", "") << "，" << s.value("provinceCode", "")
            << " " << s.value("schoolName", "") << "（" << s.value("schoolCode", "") << "），"
            << s.value("stage", "") << " " << s.value("grade", 0) << " 年级，学籍状态 "
            << s.value("status", "") << "\n";
  return 0;
}

int Poll(const ExchangeFlags& flags) {
  int code = 0;
  auto o = Open(flags.common, code);
  if (!o) return code;
  auto national_url = NationalNodeUrl(flags.national, *o->config);
  if (!national_url.ok()) return Fail("", national_url.error());
  const std::string& national = *national_url;
  workflow::CaseStore cases(*o->db, Clock::System(), workflow::WorkingCalendar::Shipped());
  exchange::NationalPoller poller(*o->db, *o->cipher, cases, o->self->code,
                                  NationalCalls(*o->db, *o->self, national),
                                  std::chrono::milliseconds(0));
  auto report = poller.RunOnce();
  if (!report.ok()) return Fail("未完成：", report.error());
  const exchange::ConflictSyncReport& c = report->conflicts;
  std::cout << "新建重复学籍核查案件 " << c.opened << " 件，关闭 " << c.closed
            << " 件；已裁定保留本省学籍 " << c.kept << " 起，由他省保留（本省学籍已注销） "
            << c.yielded << " 起；本节点已无此学籍号 " << c.unknown << " 起\n";
  const exchange::TransferSyncReport& t = report->transfers;
  std::cout << "跨省转出：新建审核案件 " << t.opened << " 件，当即退回 " << t.refused_here
            << " 件，因转入方撤回而关闭 " << t.closed_on_withdrawal << " 件；跨省转入：已转入学生 "
            << t.enrolled << " 名，被转出省退回 " << t.refused << " 件，已撤回 " << t.withdrawn
            << " 件；本轮未能办理 " << t.failed << " 项（下轮重试）\n";
  return t.failed == 0 ? 0 : 1;
}

// Every page of `kind` from the national node, written back (exchange/recovery.hpp).
Status RecoverKind(Opened& o, const std::string& national, std::string_view kind,
                   exchange::RecoveryReport& report) {
  for (int64_t after = 0;;) {
    NEMIS_ASSIGN_OR_RETURN(auto page, FetchRecoveryPage(*o.db, *o.self, national, kind, after));
    NEMIS_TRY(exchange::ApplyRecoveryPage(*o.db, *o.cipher, o.self->code, page, report,
                                          FormatUtc(Clock::System().Now())));
    if (page.next == 0) return {};
    after = page.next;
  }
}

int Recover(const ExchangeFlags& flags) {
  int code = 0;
  auto o = Open(flags.common, code);
  if (!o) return code;
  auto national_url = NationalNodeUrl(flags.national, *o->config);
  if (!national_url.ok()) return Fail("", national_url.error());
  const std::string& national = *national_url;
  exchange::RecoveryReport report;
  Status recovered = RecoverKind(*o, national, "institutions", report);
  if (recovered.ok()) recovered = RecoverKind(*o, national, "students", report);
  const std::string details = nlohmann::json{
      {"institutions", report.institutions},
      {"studentsInserted", report.students_inserted},
      {"studentsUpdated", report.students_updated},
      {"unchanged", report.unchanged},
      {"heldElsewhere",
       report.held_elsewhere}}.dump();
  if (Status audited =
          AppendCliAudit(*o->db, CliAuditEntry("nemis exchange recover", "exchange.recover",
                                               national, details, recovered.ok()));
      !audited.ok())
    return Fail("", audited.error());
  std::cout << "机构恢复或更新 " << report.institutions << " 个；学生恢复 "
            << report.students_inserted << " 名、更新 " << report.students_updated << " 名、相同 "
            << report.unchanged << " 名；本节点另有学生持有其学籍号或证件而未写入 "
            << report.held_elsewhere << " 名\n";
  if (!recovered.ok()) return Fail("未完成（已写入的各页保留，可再次运行）：", recovered.error());
  return 0;
}

int Digest(const ExchangeFlags& flags) {
  int code = 0;
  auto o = Open(flags.common, code, /*identity=*/false);
  if (!o) return code;
  auto digest = exchange::DigestProvince(*o->db, *o->cipher, flags.province);
  if (!digest.ok()) return Fail("无法计算摘要：", digest.error());
  std::cout << "institutions " << digest->institutions << " " << digest->institutions_sm3 << "\n"
            << "students " << digest->students << " " << digest->students_sm3 << "\n";
  return 0;
}

}  // namespace

void AddExchangeCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ExchangeFlags>();
  CLI::App* exchange = app.add_subcommand("exchange", "Offline exchange bundles between nodes");
  exchange->require_subcommand(1);
  CLI::App* out = exchange->add_subcommand("export", "Write this node's changes to a bundle");
  AddCommonFlags(*out, flags->common);
  out->add_option("--after", flags->after, "the last change the receiver has (0: all)");
  out->add_option("--to", flags->to, "the bundle file to write")->required();
  out->add_option("--receiver", flags->receiver, "the receiving node's certificate (PEM)")
      ->required();
  out->add_flag("--compress", flags->compress,
                "compress the batches (format nemis.exchange.batch.v2, about a tenth of the "
                "size; the receiver must read v2)");
  out->callback([flags, &exit_code] { exit_code = Export(*flags); });
  CLI::App* in = exchange->add_subcommand("import", "Verify and apply a bundle sent to this node");
  AddCommonFlags(*in, flags->common);
  in->add_option("file", flags->file, "the bundle")->required();
  in->callback([flags, &exit_code] { exit_code = Import(*flags); });
  CLI::App* dump = exchange->add_subcommand(
      "dump", "Export a table in scope (roster format, JY/T 1002 names) for older local systems");
  AddCommonFlags(*dump, flags->common);
  dump->add_option("--table", flags->table,
                   "students (default), institutions or changes (学籍异动)");
  dump->add_option("--org", flags->org, "only this institution's subtree (default: all)");
  dump->add_option("--format", flags->format, "csv (default) or json (JSON lines)");
  dump->add_option("--to", flags->to, "the file to create")->required();
  dump->callback([flags, &exit_code] { exit_code = Dump(*flags); });
  AddExchangeDecideCommands(*exchange, exit_code);
  CLI::App* poll = exchange->add_subcommand(
      "poll",
      "Province: one round with the national node: conflicts about this province's students "
      "opened as cases, cross-province transfers carried");
  poll->alias("conflicts");
  AddCommonFlags(*poll, flags->common);
  poll->add_option("--national", flags->national,
                   "the national node, http://host:port (default exchange.national)");
  poll->callback([flags, &exit_code] { exit_code = Poll(*flags); });
  CLI::App* recover = exchange->add_subcommand(
      "recover",
      "Province: after a restore, write back what the national node holds of this province and "
      "this node lacks or holds older");
  AddCommonFlags(*recover, flags->common);
  recover->add_option("--national", flags->national,
                      "the national node, http://host:port (default exchange.national)");
  recover->callback([flags, &exit_code] { exit_code = Recover(*flags); });
  CLI::App* lookup = exchange->add_subcommand(
      "lookup", "Province: ask the national node where the country holds a student");
  AddCommonFlags(*lookup, flags->common);
  lookup->add_option("--national", flags->national, "the national node, http://host:port")
      ->required();
  lookup->add_option("--id-type", flags->id_type, "identity document type (default 1)");
  lookup->add_option("--id-number", flags->id_number, "identity document number");
  lookup->add_option("--student-number", flags->student_number, "or the student number");
  lookup->callback([flags, &exit_code] { exit_code = Lookup(*flags); });
  CLI::App* reset = exchange->add_subcommand(
      "reset", "Forget a source's checkpoint so that its whole log is applied again");
  AddCommonFlags(*reset, flags->common);
  reset->add_option("--source", flags->source, "the source node's code")->required();
  reset->callback([flags, &exit_code] { exit_code = Reset(*flags); });
  CLI::App* digest = exchange->add_subcommand(
      "digest", "SM3 digests of a province's institutions and students as this node holds them");
  AddCommonFlags(*digest, flags->common);
  digest->add_option("--province", flags->province, "the province's code, e.g. 440000")->required();
  digest->callback([flags, &exit_code] { exit_code = Digest(*flags); });
}

}  // namespace nemis::cli
