#include "audit/audit_query.hpp"

#include <algorithm>

#include "audit/audit_log.hpp"
#include "audit/internal/audit_rows.hpp"
#include "base/date.hpp"
#include "db/sql_builder.hpp"

namespace nemis::audit {
namespace {

const std::string kSelectEntries =
    "SELECT " + std::string(internal::kEntryColumns) + " FROM audit_log WHERE 1 = 1";
constexpr std::string_view kFrom = " AND logged_at >= $1";
constexpr std::string_view kTo = " AND logged_at < $1";
constexpr std::string_view kAccount = " AND account = $1";
constexpr std::string_view kAction = " AND action = $1";
constexpr std::string_view kOutcome = " AND outcome = $1";
constexpr std::string_view kAfter = " AND seq > $1";
constexpr std::string_view kBefore = " AND seq < $1";
constexpr std::string_view kAscending = " ORDER BY seq LIMIT $1";
constexpr std::string_view kDescending = " ORDER BY seq DESC LIMIT $1";

Status CheckFilter(const AuditFilter& f) {
  std::vector<FieldError> errors;
  if (!f.outcome.empty() && f.outcome != kSuccess && f.outcome != kFailure &&
      f.outcome != kDenied) {
    errors.push_back({"outcome", "bad_outcome", "结果应为 success、failure 或 denied"});
  }
  if (f.from && f.to && *f.from > *f.to)
    errors.push_back({"to", "before_from", "结束时间早于开始时间"});
  if (errors.empty()) return {};
  return Error::Invalid(std::move(errors), "查询条件无效");
}

}  // namespace

Result<AuditPage> Query(db::Connection& c, const AuditFilter& f) {
  NEMIS_TRY(CheckFilter(f));
  int limit = std::clamp(f.limit, 1, kMaxQueryLimit);
  std::string from = f.from ? FormatUtc(*f.from) : "", to = f.to ? FormatUtc(*f.to) : "";
  db::SqlBuilder sql(kSelectEntries);
  if (f.from) sql.Add(kFrom, {from});
  if (f.to) sql.Add(kTo, {to});
  if (!f.account.empty()) sql.Add(kAccount, {f.account});
  if (!f.action.empty()) sql.Add(kAction, {f.action});
  if (!f.outcome.empty()) sql.Add(kOutcome, {f.outcome});
  if (f.after_seq) sql.Add(f.newest_first ? kBefore : kAfter, {*f.after_seq});
  sql.Add(f.newest_first ? kDescending : kAscending, {limit + 1});
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  AuditPage page;
  for (const db::Row& row : rs.rows) page.records.push_back(internal::RecordFromRow(row));
  if (static_cast<int>(page.records.size()) > limit) {
    page.records.resize(static_cast<size_t>(limit));
    page.next_after_seq = page.records.back().seq;
  }
  return page;
}

Result<AuditPage> Query(db::Database& db, const AuditFilter& filter) {
  NEMIS_TRY(SealAll(db));  // what has been written is what the auditor reads
  return db.Read<AuditPage>([&](db::Connection& c) { return Query(c, filter); });
}

}  // namespace nemis::audit
