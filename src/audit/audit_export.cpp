#include "audit/audit_export.hpp"

#include "audit/audit_log.hpp"

namespace nemis::audit {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kHeader =
    "序号,时间（UTC）,账号,角色,范围,来源IP,请求ID,操作,对象,结果,详情,哈希\r\n";
constexpr int kPageRows = 1000;

bool StartsFormula(std::string_view v) {
  return !v.empty() &&
         (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r');
}

void WriteRecord(std::ostream& out, const AuditRecord& r) {
  const AuditEntry& e = r.entry;
  out << r.seq;
  for (const std::string* f : {&e.time, &e.account, &e.roles, &e.scope, &e.source_ip, &e.request_id,
                               &e.action, &e.target, &e.outcome, &e.details, &r.entry_hash}) {
    out << ',' << CsvCell(*f);
  }
  out << "\r\n";
}

}  // namespace

std::string CsvCell(std::string_view value) {
  std::string cell = StartsFormula(value) ? "'" + std::string(value) : std::string(value);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

Status ExportCsv(db::Database& db, const AuditFilter& filter, std::ostream& out) {
  NEMIS_TRY(SealAll(db));
  AuditFilter page_filter = filter;
  page_filter.limit = kPageRows;
  out << kBom << kHeader;
  NEMIS_TRY(db.WithReader([&](db::Connection& c) -> Status {
    while (true) {
      NEMIS_ASSIGN_OR_RETURN(auto page, Query(c, page_filter));
      for (const AuditRecord& r : page.records) WriteRecord(out, r);
      if (!out) return Error::Internal("审计日志导出写出失败");
      if (!page.next_after_seq) return {};
      page_filter.after_seq = page.next_after_seq;
    }
  }));
  out.flush();
  if (!out) return Error::Internal("审计日志导出写出失败");
  return {};
}

}  // namespace nemis::audit
