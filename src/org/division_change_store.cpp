#include "org/division_change_store.hpp"

#include <chrono>
#include <mutex>

#include "base/date.hpp"
#include "base/log.hpp"
#include "base/text.hpp"
#include "codes/division.hpp"
#include "org/division_tree.hpp"

namespace nemis::org {
namespace {

constexpr std::string_view kColumns =
    "seq, kind, code, name, successor, effective_on, reference, recorded_at, received_at";
constexpr std::string_view kInsert =
    "INSERT INTO division_change (seq, kind, code, name, successor, effective_on, reference, "
    "recorded_at, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kLast = "SELECT COALESCE(MAX(seq), 0) FROM division_change";

// Recording, receiving and installing hold this, so that the table every lookup reads is
// always laid from what the store holds after the latest of them, and a change is checked
// against the table it will be applied to.
std::mutex& ChangeMutex() {
  static std::mutex mu;
  return mu;
}

// The number of the last change laid over the table (under ChangeMutex).
int64_t installed_last = 0;

DivisionChangeRecord RecordFromRow(const db::Row& row) {
  DivisionChangeRecord r;
  r.seq = row.Int(0);
  r.change.kind =
      codes::ParseDivisionChangeKind(row.Text(1)).value_or(codes::DivisionChangeKind::kAdd);
  r.change.code = row.Text(2);
  r.change.name = row.Text(3);
  r.change.successor = row.Text(4);
  r.effective_on = row.Text(5);
  r.reference = row.Text(6);
  r.recorded_at = row.Text(7);
  r.received_at = row.Text(8);
  return r;
}

Result<std::vector<DivisionChangeRecord>> Select(db::Database& db, const std::string& sql,
                                                 std::initializer_list<db::Param> params) {
  const std::vector<db::Param> bound(params);
  return db.Read<std::vector<DivisionChangeRecord>>(
      [&](db::Connection& c) -> Result<std::vector<DivisionChangeRecord>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, bound));
        std::vector<DivisionChangeRecord> out;
        out.reserve(rs.rows.size());
        for (const auto& row : rs.rows) out.push_back(RecordFromRow(row));
        return out;
      });
}

Status InstallLocked(db::Database& db) {
  NEMIS_ASSIGN_OR_RETURN(auto records,
                         DivisionChangesAfter(db, 0, std::numeric_limits<int>::max()));
  std::vector<codes::DivisionChange> changes;
  changes.reserve(records.size());
  for (auto& r : records) changes.push_back(std::move(r.change));
  codes::InstallDivisionChanges(changes);
  installed_last = records.empty() ? 0 : records.back().seq;
  return {};
}

Status Store(db::Connection& c, const DivisionChangeRecord& r) {
  NEMIS_TRY(c.Query(
      kInsert, {r.seq, codes::DivisionChangeKindId(r.change.kind), r.change.code, r.change.name,
                r.change.successor, r.effective_on, r.reference, r.recorded_at, r.received_at}));
  return {};
}

Result<int64_t> LastIn(db::Connection& c) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLast));
  return rs.rows.at(0).Int(0);
}

// The business day (China) the instant `now` (UTC) falls on.
std::optional<Date> DayInChina(std::string_view now) {
  auto t = ParseUtc(now);
  if (!t) return std::nullopt;
  const auto day = std::chrono::floor<std::chrono::days>(*t + std::chrono::hours(8));
  return Date::FromDaysSinceEpoch(day.time_since_epoch().count());
}

// A change takes effect everywhere as soon as it is recorded: one recorded before its date
// would change the provinces' tables too early.
std::vector<FieldError> CheckApproval(const DivisionChangeInput& input, std::string_view now) {
  std::vector<FieldError> errors;
  const std::optional<Date> effective = ParseIsoDate(input.effective_on);
  const std::optional<Date> today = DayInChina(now);
  if (!effective)
    errors.push_back({"effectiveOn", "bad_date", "生效日期须为 YYYY-MM-DD 格式的日期"});
  else if (today && *effective > *today)
    errors.push_back({"effectiveOn", "not_yet_effective",
                      "生效日期在今天之后：变更一经发布即在各省生效，请在生效当日或之后发布"});
  if (input.reference.empty())
    errors.push_back({"reference", "required", "请填写批准文号"});
  else if (!IsCleanText(input.reference) ||
           Utf8Length(input.reference) > kMaxDivisionReferenceChars)
    errors.push_back({"reference", "bad_reference", "批准文号须为不超过 100 个字符的文本"});
  return errors;
}

void LogEffect(const DivisionChangeRecord& r, const DivisionTreeEffect& effect) {
  log::Info("division_change_applied",
            {{"seq", r.seq},
             {"kind", std::string(codes::DivisionChangeKindId(r.change.kind))},
             {"code", r.change.code},
             {"inserted", effect.inserted},
             {"renamed", effect.renamed},
             {"closed", effect.closed},
             {"schoolsMoved", effect.schools_moved}});
  if (effect.open_children > 0)
    log::Warn("division_retired_with_open_children",
              {{"code", r.change.code}, {"openChildren", effect.open_children}});
}

}  // namespace

Status InstallStoredDivisionChanges(db::Database& db) {
  std::lock_guard lock(ChangeMutex());
  return InstallLocked(db);
}

Result<bool> RefreshDivisionChanges(db::Database& db) {
  std::lock_guard lock(ChangeMutex());
  NEMIS_ASSIGN_OR_RETURN(int64_t last, LastDivisionChange(db));
  if (last == installed_last) return false;
  NEMIS_TRY(InstallLocked(db));
  return true;
}

Result<std::vector<DivisionChangeRecord>> ListDivisionChanges(db::Database& db, int limit) {
  return Select(
      db, "SELECT " + std::string(kColumns) + " FROM division_change ORDER BY seq DESC LIMIT $1",
      {static_cast<int64_t>(limit)});
}

Result<std::vector<DivisionChangeRecord>> DivisionChangesAfter(db::Database& db, int64_t after,
                                                               int limit) {
  return Select(db,
                "SELECT " + std::string(kColumns) +
                    " FROM division_change WHERE seq > $1 ORDER BY seq LIMIT $2",
                {after, static_cast<int64_t>(limit)});
}

Result<int64_t> LastDivisionChange(db::Database& db) {
  return db.Read<int64_t>([](db::Connection& c) { return LastIn(c); });
}

Result<DivisionChangeRecord> RecordDivisionChange(db::Database& db, DivisionChangeInput input,
                                                  std::string_view node_code, std::string_view now,
                                                  db::WriteAttachment* attachment) {
  std::lock_guard lock(ChangeMutex());
  codes::DivisionChange& change = input.change;
  std::vector<FieldError> errors = codes::CheckDivisionChange(change);
  for (FieldError& e : CheckApproval(input, now)) errors.push_back(std::move(e));
  if (!errors.empty()) return Error::Invalid(std::move(errors), "行政区划变更未通过校验");
  if (change.kind == codes::DivisionChangeKind::kRetire)
    change.name = std::string(codes::FindDivision(change.code)->name);
  DivisionChangeRecord record{
      0, change, input.effective_on, input.reference, std::string(now), std::string(now)};
  DivisionTreeEffect effect;
  NEMIS_TRY(db.WithWriter(
      [&](db::Connection& c) -> Status {
        NEMIS_ASSIGN_OR_RETURN(int64_t last, LastIn(c));
        record.seq = last + 1;
        NEMIS_TRY(Store(c, record));
        NEMIS_ASSIGN_OR_RETURN(effect, ApplyDivisionChangeToTree(c, change, node_code, now));
        return {};
      },
      attachment));
  LogEffect(record, effect);
  NEMIS_TRY(InstallLocked(db));
  return record;
}

Result<int> ReceiveDivisionChanges(db::Database& db, std::span<const DivisionChangeRecord> records,
                                   std::string_view node_code, std::string_view now) {
  std::lock_guard lock(ChangeMutex());
  std::vector<std::pair<DivisionChangeRecord, DivisionTreeEffect>> applied;
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    applied.clear();
    NEMIS_ASSIGN_OR_RETURN(int64_t last, LastIn(c));
    for (const DivisionChangeRecord& r : records) {
      if (r.seq <= last) continue;
      if (r.seq != last + 1)
        return Error::Conflict("division_change_gap", "国家节点的区划变更不连续：本节点已有 " +
                                                          std::to_string(last) + " 号，收到 " +
                                                          std::to_string(r.seq) + " 号");
      DivisionChangeRecord stored = r;
      stored.received_at = std::string(now);
      NEMIS_TRY(Store(c, stored));
      NEMIS_ASSIGN_OR_RETURN(auto effect,
                             ApplyDivisionChangeToTree(c, stored.change, node_code, now));
      applied.emplace_back(std::move(stored), effect);
      last = r.seq;
    }
    return {};
  }));
  for (const auto& [record, effect] : applied) LogEffect(record, effect);
  if (!applied.empty()) NEMIS_TRY(InstallLocked(db));
  return static_cast<int>(applied.size());
}

}  // namespace nemis::org
