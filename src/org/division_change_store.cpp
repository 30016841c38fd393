#include "org/division_change_store.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "base/date.hpp"
#include "base/log.hpp"
#include "base/text.hpp"
#include "codes/division.hpp"
#include "org/division_tree.hpp"

namespace nemis::org {
namespace {

constexpr std::string_view kColumns =
    "seq, kind, code, name, successor, effective_on, reference, recorded_at, received_at, "
    "applied_at, school_successors";
constexpr std::string_view kInsert =
    "INSERT INTO division_change (seq, kind, code, name, successor, effective_on, reference, "
    "recorded_at, received_at, school_successors) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr std::string_view kLast = "SELECT COALESCE(MAX(seq), 0) FROM division_change";
constexpr std::string_view kLastApplied =
    "SELECT COALESCE(MAX(seq), 0) FROM division_change WHERE applied_at IS NOT NULL";
constexpr std::string_view kLatestScheduled =
    "SELECT MAX(effective_on) FROM division_change WHERE applied_at IS NULL";
constexpr std::string_view kNextScheduled =
    "SELECT MIN(effective_on) FROM division_change WHERE applied_at IS NULL";
constexpr std::string_view kApplied =
    "UPDATE division_change SET applied_at = $2 WHERE seq = $1 AND applied_at IS NULL";

// Recording, receiving and installing hold this, so that the table every lookup reads is
// always laid from what the store holds after the latest of them, and a change is checked
// against the table it will be applied to.
std::mutex& ChangeMutex() {
  static std::mutex mu;
  return mu;
}

// The number of the last change in effect laid over the table (under ChangeMutex).
int64_t installed_last = 0;

std::string SchoolSuccessorsToText(const SchoolSuccessors& moves) {
  return nlohmann::json(moves).dump();
}

SchoolSuccessors SchoolSuccessorsFromText(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  SchoolSuccessors moves;
  if (!j.is_object()) return moves;
  for (const auto& [school, successor] : j.items())
    if (successor.is_string()) moves.emplace(school, successor.get<std::string>());
  return moves;
}

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
  r.applied_at = row.IsNull(9) ? "" : row.Text(9);
  r.school_successors = SchoolSuccessorsFromText(row.Text(10));
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

Result<std::vector<DivisionChangeRecord>> AllStored(db::Database& db) {
  return DivisionChangesAfter(db, 0, std::numeric_limits<int>::max());
}

// Lays the changes in effect here (applied to the tree) over the compiled table.
Status InstallLocked(db::Database& db) {
  NEMIS_ASSIGN_OR_RETURN(auto records, AllStored(db));
  std::vector<codes::DivisionChange> changes;
  changes.reserve(records.size());
  installed_last = 0;
  for (auto& r : records) {
    if (r.applied_at.empty()) continue;
    installed_last = r.seq;
    changes.push_back(std::move(r.change));
  }
  codes::InstallDivisionChanges(changes);
  return {};
}

Status Store(db::Connection& c, const DivisionChangeRecord& r) {
  NEMIS_TRY(c.Query(
      kInsert, {r.seq, codes::DivisionChangeKindId(r.change.kind), r.change.code, r.change.name,
                r.change.successor, r.effective_on, r.reference, r.recorded_at, r.received_at,
                SchoolSuccessorsToText(r.school_successors)}));
  return {};
}

// 学校标识码: ten digits.
bool IsSchoolCode(std::string_view code) {
  return code.size() == 10 &&
         std::all_of(code.begin(), code.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// The schools a retirement sends elsewhere than its successor: each a school code, each
// successor checked as the change's own would be (`before`: the changes held).
std::vector<FieldError> CheckSchoolSuccessors(const DivisionChangeInput& input,
                                              std::span<const codes::DivisionChange> before) {
  std::vector<FieldError> errors;
  if (input.school_successors.empty()) return errors;
  if (input.change.kind != codes::DivisionChangeKind::kRetire) {
    errors.push_back(
        {"schoolSuccessors", "not_applicable", "只有撤销的区划可以指定学校的承继区划"});
    return errors;
  }
  if (input.school_successors.size() > kMaxSchoolSuccessors) {
    errors.push_back({"schoolSuccessors", "too_many", "一次最多指定 2000 所学校"});
    return errors;
  }
  for (const auto& [school, successor] : input.school_successors) {
    const std::string field = "schoolSuccessors." + school;
    if (!IsSchoolCode(school)) {
      errors.push_back({field, "bad_school", "学校标识码须为 10 位数字"});
      continue;
    }
    codes::DivisionChange as_one = input.change;
    as_one.successor = successor;
    if (successor.empty()) {
      errors.push_back({field, "unknown_successor", "请填写该校的承继区划"});
      continue;
    }
    for (FieldError& e : codes::CheckDivisionChangeAfter(as_one, before))
      if (e.field == "successor") errors.push_back({field, e.code, e.message});
  }
  return errors;
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

// Whether a change dated `effective_on` is in effect on the day of `now` (China).
bool Due(std::string_view effective_on, std::string_view now) {
  const std::optional<Date> effective = ParseIsoDate(effective_on);
  const std::optional<Date> today = DayInChina(now);
  return !effective || !today || *effective <= *today;
}

// Changes take effect in the order they are numbered: one may not be dated before a change
// recorded earlier and still scheduled (`latest`, the latest such date), which it follows. A
// change dated in the past when none is scheduled (an approval recorded late) takes effect at
// once.
std::vector<FieldError> CheckApproval(const DivisionChangeInput& input, const std::string& latest) {
  std::vector<FieldError> errors;
  const std::optional<Date> effective = ParseIsoDate(input.effective_on);
  if (!effective)
    errors.push_back({"effectiveOn", "bad_date", "生效日期须为 YYYY-MM-DD 格式的日期"});
  else if (!latest.empty() && input.effective_on < latest)
    errors.push_back(
        {"effectiveOn", "before_scheduled",
         "已发布 " + latest + " 生效、尚待生效的变更：本变更在其后发布，生效日期不能早于它"});
  if (input.reference.empty())
    errors.push_back({"reference", "required", "请填写批准文号"});
  else if (!IsCleanText(input.reference) ||
           Utf8Length(input.reference) > kMaxDivisionReferenceChars)
    errors.push_back({"reference", "bad_reference", "批准文号须为不超过 100 个字符的文本"});
  return errors;
}

// Carries the stored changes that are due and not yet applied into the tree, in order, inside
// `c`; those applied, with what each did.
using Applied = std::vector<std::pair<DivisionChangeRecord, DivisionTreeEffect>>;
Result<Applied> ApplyDueIn(db::Connection& c, std::string_view node_code, std::string_view now) {
  NEMIS_ASSIGN_OR_RETURN(auto rs,
                         c.Query("SELECT " + std::string(kColumns) +
                                 " FROM division_change WHERE applied_at IS NULL ORDER BY seq"));
  Applied applied;
  for (const db::Row& row : rs.rows) {
    DivisionChangeRecord r = RecordFromRow(row);
    if (!Due(r.effective_on, now)) break;  // the later ones are not due either (CheckApproval)
    NEMIS_ASSIGN_OR_RETURN(
        auto effect, ApplyDivisionChangeToTree(c, r.change, r.school_successors, node_code, now));
    NEMIS_TRY(c.Query(kApplied, {r.seq, std::string(now)}));
    r.applied_at = std::string(now);
    applied.emplace_back(std::move(r), effect);
  }
  return applied;
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
  NEMIS_ASSIGN_OR_RETURN(int64_t last, db.Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLastApplied));
    return rs.rows.at(0).Int(0);
  }));
  if (last == installed_last) return false;
  NEMIS_TRY(InstallLocked(db));
  return true;
}

Result<int> ApplyDueDivisionChanges(db::Database& db, std::string_view node_code,
                                    std::string_view now) {
  std::lock_guard lock(ChangeMutex());
  // Read first: the running node asks every few seconds, and almost always nothing is due.
  NEMIS_ASSIGN_OR_RETURN(std::string next,
                         db.Read<std::string>([](db::Connection& c) -> Result<std::string> {
                           NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kNextScheduled));
                           return rs.rows.at(0).IsNull(0) ? std::string() : rs.rows.at(0).Text(0);
                         }));
  if (next.empty() || !Due(next, now)) return 0;
  Applied applied;
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(applied, ApplyDueIn(c, node_code, now));
    return {};
  }));
  for (const auto& [record, effect] : applied) LogEffect(record, effect);
  if (!applied.empty()) NEMIS_TRY(InstallLocked(db));
  return static_cast<int>(applied.size());
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
  // Checked against the table as it will stand once every change held is in effect.
  NEMIS_ASSIGN_OR_RETURN(auto stored, AllStored(db));
  std::vector<codes::DivisionChange> before;
  before.reserve(stored.size());
  for (const DivisionChangeRecord& r : stored) before.push_back(r.change);
  std::vector<FieldError> errors = codes::CheckDivisionChangeAfter(change, before);
  NEMIS_ASSIGN_OR_RETURN(std::string latest,
                         db.Read<std::string>([](db::Connection& c) -> Result<std::string> {
                           NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLatestScheduled));
                           return rs.rows.at(0).IsNull(0) ? std::string() : rs.rows.at(0).Text(0);
                         }));
  for (FieldError& e : CheckSchoolSuccessors(input, before)) errors.push_back(std::move(e));
  for (FieldError& e : CheckApproval(input, latest)) errors.push_back(std::move(e));
  if (!errors.empty()) return Error::Invalid(std::move(errors), "行政区划变更未通过校验");
  if (change.kind == codes::DivisionChangeKind::kRetire)
    change.name = codes::DivisionNameAfter(change.code, before);
  DivisionChangeRecord record{0,
                              change,
                              input.effective_on,
                              input.reference,
                              std::string(now),
                              std::string(now),
                              "",
                              input.school_successors};
  Applied applied;
  NEMIS_TRY(db.WithWriter(
      [&](db::Connection& c) -> Status {
        NEMIS_ASSIGN_OR_RETURN(int64_t last, LastIn(c));
        record.seq = last + 1;
        NEMIS_TRY(Store(c, record));
        NEMIS_ASSIGN_OR_RETURN(applied, ApplyDueIn(c, node_code, now));
        return {};
      },
      attachment));
  for (const auto& [r, effect] : applied) {
    LogEffect(r, effect);
    if (r.seq == record.seq) record.applied_at = r.applied_at;
  }
  if (!applied.empty()) NEMIS_TRY(InstallLocked(db));
  return record;
}

Result<int> ReceiveDivisionChanges(db::Database& db, std::span<const DivisionChangeRecord> records,
                                   std::string_view node_code, std::string_view now) {
  std::lock_guard lock(ChangeMutex());
  int received = 0;
  Applied applied;
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    received = 0;
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
      ++received;
      last = r.seq;
    }
    NEMIS_ASSIGN_OR_RETURN(applied, ApplyDueIn(c, node_code, now));
    return {};
  }));
  for (const auto& [record, effect] : applied) LogEffect(record, effect);
  if (!applied.empty()) NEMIS_TRY(InstallLocked(db));
  return received;
}

}  // namespace nemis::org
