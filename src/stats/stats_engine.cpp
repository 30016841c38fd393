#include "stats/stats_engine.hpp"

#include <algorithm>
#include <set>

#include "base/log.hpp"
#include "db/change_log.hpp"
#include "stats/as_of_projection.hpp"
#include "stats/graduate_counts.hpp"
#include "stats/parallel_ranges.hpp"
#include "stats/projection_reader.hpp"
#include "stats/student_counter.hpp"

namespace nemis::stats {
namespace {

constexpr std::string_view kChangesAfter =
    "SELECT seq, entity, entity_id FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2";
constexpr size_t kStudentsPerRead = 1000;  // ids in one IN list
constexpr int64_t kLogEvery = 1000000;     // students between two progress lines

// The rows a batch of change-log entries names, read in one snapshot.
struct ChangedRows {
  int64_t last_seq = 0;
  int64_t entries = 0;
  std::vector<OrgEntry> orgs;
  std::vector<StudentFacts> students;
};

Result<ChangedRows> ReadChanges(db::Connection& c, int64_t after, int64_t limit) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kChangesAfter, {after, limit}));
  ChangedRows out;
  out.last_seq = after;
  out.entries = static_cast<int64_t>(rs.rows.size());
  std::set<int64_t> org_ids, student_ids;
  for (const auto& row : rs.rows) {
    out.last_seq = row.Int(0);
    const std::string entity = row.Text(1);
    if (entity == "org") org_ids.insert(row.Int(2));
    if (entity == "student") student_ids.insert(row.Int(2));
  }
  if (!org_ids.empty()) {
    const std::vector<int64_t> ids(org_ids.begin(), org_ids.end());
    NEMIS_ASSIGN_OR_RETURN(out.orgs, ReadOrgs(c, ids));
  }
  const std::vector<int64_t> ids(student_ids.begin(), student_ids.end());
  for (size_t from = 0; from < ids.size(); from += kStudentsPerRead) {
    const size_t n = std::min(kStudentsPerRead, ids.size() - from);
    NEMIS_ASSIGN_OR_RETURN(auto part, ReadStudents(c, std::span(ids).subspan(from, n)));
    out.students.insert(out.students.end(), part.begin(), part.end());
  }
  return out;
}

// Whether applying `rows` may change a count of graduates (statuses 99 of a period): a
// student graduating or no longer graduated (a graduation undone, a merge), or an
// institution changing (the subtree a graduate's school is counted in).
bool TouchesGraduates(const Projection& p, const ChangedRows& rows) {
  if (!rows.orgs.empty()) return true;
  for (const auto& s : rows.students) {
    if (s.status == "99") return true;
    const auto slot = static_cast<size_t>(s.id);
    if (s.id > 0 && slot < p.students.Slots() &&
        p.students.statuses.Text(p.students.status[slot]).value_or("") == "99")
      return true;
  }
  return false;
}

template <class Map>
void Remember(Map& cache, typename Map::key_type key, const registry::StatsResult& result) {
  if (cache.size() >= 4096) cache.clear();  // a bound, not a policy: rarely reached
  cache.emplace(std::move(key), result);
}

// Applies `rows` to the projection and the rollups kept of it.
Status Apply(Projection& p, LiveRollups& rollups, ChangedRows& rows) {
  std::vector<int64_t> ids;
  ids.reserve(rows.students.size());
  for (const auto& s : rows.students) ids.push_back(s.id);
  rollups.BeforeApply(p, ids, rows.orgs);
  for (auto& org : rows.orgs) p.orgs.Put(std::move(org));
  Status applied;
  for (const auto& s : rows.students)
    if (applied = p.students.Put(s); !applied.ok()) break;
  rollups.AfterApply(p, ids);
  if (!applied.ok()) return applied;
  p.applied_seq = rows.last_seq;
  return {};
}

Result<int64_t> SealedSeq(db::Database& db) {
  NEMIS_TRY(db::SealChanges(db));  // PostgreSQL: number what has committed (change_log.hpp)
  return db.Read<int64_t>([](db::Connection& c) { return db::LastChangeSeq(c); });
}

}  // namespace

StatsEngine::StatsEngine(db::Database& db, EngineOptions options, const Clock& clock)
    : db_(db),
      options_(options),
      clock_(clock),
      rollups_(options.rollups, options.rollup_max_keys) {}

StatsEngine::~StatsEngine() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (follower_.joinable()) follower_.join();
}

Status StatsEngine::Load() {
  std::lock_guard serial(catch_up_mutex_);
  const auto start = std::chrono::steady_clock::now();
  // Changes after this number are applied after the load, whether the load saw them or
  // not: applying a change reads the row as it is then.
  NEMIS_ASSIGN_OR_RETURN(int64_t seq, SealedSeq(db_));
  auto fresh = std::make_unique<Projection>();
  NEMIS_ASSIGN_OR_RETURN(
      auto orgs, db_.Read<std::vector<OrgEntry>>([](db::Connection& c) { return ReadOrgs(c); }));
  for (auto& org : orgs) fresh->orgs.Put(std::move(org));
  NEMIS_ASSIGN_OR_RETURN(int64_t last_id, db_.Read<int64_t>(MaxStudentId));
  fresh->students.Reserve(static_cast<size_t>(last_id) + 1);
  int64_t next_log = kLogEvery;
  NEMIS_TRY(ReadRangesInParallel(
      last_id, options_.load_batch, options_.load_threads,
      [this](int64_t after, int64_t upto) {
        return db_.Read<std::vector<StudentFacts>>(
            [&](db::Connection& c) { return ReadStudentRange(c, after, upto); });
      },
      [&](std::vector<StudentFacts>& part) -> Status {
        for (const auto& s : part) NEMIS_TRY(fresh->students.Put(s));
        if (fresh->students.Count() >= next_log) {
          log::Info("stats_load_progress",
                    {{"students", fresh->students.Count()}, {"ids_total", last_id}});
          next_log += kLogEvery;
        }
        return {};
      }));
  fresh->applied_seq = seq;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  log::Info("stats_loaded",
            {{"students", fresh->students.Count()},
             {"memory_mb", static_cast<int64_t>(fresh->students.MemoryBytes() >> 20)},
             {"seconds", seconds},
             {"seq", seq}});
  {
    std::unique_lock lock(projection_mutex_);
    projection_ = std::move(*fresh);
    rollups_.Clear();
  }
  {
    // The students forms' cells are made now, not when the first form is asked (seconds at
    // 30M, with the follower waiting).
    std::shared_lock lock(projection_mutex_);
    for (const auto& form : Forms()) rollups_.FormCells(projection_, org::Subtree{}, form);
  }
  ready_ = true;
  return {};
}

Result<int64_t> StatsEngine::CatchUp() {
  std::lock_guard serial(catch_up_mutex_);
  NEMIS_TRY(db::SealChanges(db_));
  int64_t applied = 0;
  {
    std::shared_lock lock(projection_mutex_);
    applied = projection_.applied_seq;
  }
  for (;;) {
    NEMIS_ASSIGN_OR_RETURN(auto rows, db_.Read<ChangedRows>([&](db::Connection& c) {
      return ReadChanges(c, applied, options_.change_batch);
    }));
    if (rows.entries > 0) {
      std::unique_lock lock(projection_mutex_);
      if (TouchesGraduates(projection_, rows)) {
        std::lock_guard forget(graduates_mutex_);
        graduates_.clear();
      }
      NEMIS_TRY(Apply(projection_, rollups_, rows));
      applied = rows.last_seq;
    }
    if (rows.entries < options_.change_batch) return applied;
  }
}

void StatsEngine::Start() {
  follower_ = std::thread([this] { Follow(); });
}

void StatsEngine::Follow() {
  bool failing = false;
  const auto report = [&failing](const Status& s, std::string_view what) {
    if (!s.ok() && !failing)
      log::Error("stats_follow_failed", {{"step", what}, {"code", s.error().code}});
    if (s.ok() && failing) log::Info("stats_follow_recovered");
    failing = !s.ok();
  };
  std::unique_lock lock(stop_mutex_);
  while (!stopping_ && !ready_) {
    lock.unlock();
    report(Load(), "load");
    lock.lock();
    if (!ready_) wake_.wait_for(lock, std::chrono::seconds(5), [this] { return stopping_; });
  }
  while (!wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; })) {
    lock.unlock();
    auto caught_up = CatchUp();
    report(caught_up.ok() ? Status{} : Status(caught_up.error()), "catch_up");
    lock.lock();
  }
}

template <class T, class Read>
Result<T> StatsEngine::ReadNow(const org::Scope& caller, const std::string& org_code,
                               Read read) const {
  if (!ready_) return Error::Unavailable("统计引擎正在加载，请稍后再试");
  std::shared_lock lock(projection_mutex_);
  NEMIS_ASSIGN_OR_RETURN(org::Subtree root, ResolveRoot(projection_, caller, org_code));
  return read(root);
}

Result<registry::StatsResult> StatsEngine::CountStudents(const org::Scope& caller,
                                                         const registry::StatsQuery& query) const {
  return ReadNow<registry::StatsResult>(
      caller, query.org_code, [&](const org::Subtree& root) -> Result<registry::StatsResult> {
        if (auto kept = rollups_.Count(projection_, root, query)) return *std::move(kept);
        return CountUnder(projection_, root, query);
      });
}

Result<registry::StatsResult> StatsEngine::CountStudentsAsOf(const org::Scope& caller,
                                                             const registry::StatsQuery& query,
                                                             Date day) {
  if (day >= clock_.TodayInChina())
    return Error::BadRequest("as_of_not_past", "只能统计已经过去的日期（" + day.ToIso() +
                                                   " 尚未结束）；当前数字请不带日期查询");
  std::lock_guard lock(as_of_mutex_);
  NEMIS_TRY(HoldAsOf(day));
  NEMIS_ASSIGN_OR_RETURN(org::Subtree root, ResolveRoot(*as_of_, caller, query.org_code));
  // The day's projection never changes, so neither do its counts: keep them (a past point
  // in time's annual form is asked for again and again, at every level).
  CountsKey key{root.code, query.by, query.all_statuses};
  if (auto kept = as_of_counts_.find(key); kept != as_of_counts_.end()) return kept->second;
  NEMIS_ASSIGN_OR_RETURN(auto counted, CountUnder(*as_of_, root, query));
  Remember(as_of_counts_, std::move(key), counted);
  return counted;
}

Status StatsEngine::HoldAsOf(Date day) {
  if (as_of_day_ == day) return {};
  as_of_.reset();  // the memory of the old day back before the new one is read
  as_of_day_.reset();
  as_of_counts_.clear();
  NEMIS_ASSIGN_OR_RETURN(auto loaded,
                         LoadAsOf(db_, day, options_.load_batch, options_.load_threads));
  as_of_ = std::move(loaded);
  as_of_day_ = day;
  return {};
}

FormSources StatsEngine::SourcesFor(const org::Scope& caller, const std::string& org_code,
                                    Date day) {
  // Today or later: the registry now (not final until the day is over); else as of then.
  const bool live = day >= clock_.TodayInChina();
  FormSources sources;
  sources.point = [this, live, &caller, org_code,
                   day](const std::vector<registry::StatsDimension>& by) {
    const registry::StatsQuery query{org_code, by, /*all_statuses=*/true};
    return live ? CountStudents(caller, query) : CountStudentsAsOf(caller, query, day);
  };
  // Now, a students form's cells are read from the rollups the follower keeps.
  if (live) {
    sources.point_cells = [this, &caller, org_code](const FormDefinition& form) {
      return ReadNow<std::optional<FormSources::Cells>>(
          caller, org_code, [&](const org::Subtree& root) -> std::optional<FormSources::Cells> {
            auto cells = rollups_.FormCells(projection_, root, form);
            if (!cells) return std::nullopt;
            return FormSources::Cells{root.code, std::move(*cells)};
          });
    };
    sources.point_cells_by_child = [this, &caller, org_code](const FormDefinition& form) {
      return ReadNow<std::optional<FormSources::CellsByChild>>(
          caller, org_code,
          [&](const org::Subtree& root) -> std::optional<FormSources::CellsByChild> {
            auto children = rollups_.FormCellsByChild(projection_, root, form);
            if (!children) return std::nullopt;
            FormSources::CellsByChild out{root.code, {}};
            for (auto& [code, cells] : *children) out.children.push_back({code, std::move(cells)});
            return out;
          });
    };
  }
  // The schools as they were on the day (the as-of projection's tree), or now.
  sources.schools =
      [this, live, &caller, org_code,
       day](const std::vector<registry::StatsDimension>& by) -> Result<registry::StatsResult> {
    if (live)
      return ReadNow<registry::StatsResult>(caller, org_code, [&](const org::Subtree& root) {
        return CountSchoolsUnder(projection_, root, by);
      });
    std::lock_guard lock(as_of_mutex_);
    NEMIS_TRY(HoldAsOf(day));
    NEMIS_ASSIGN_OR_RETURN(org::Subtree root, ResolveRoot(*as_of_, caller, org_code));
    return CountSchoolsUnder(*as_of_, root, by);
  };
  sources.graduates = [this, live, &caller, org_code](
                          const std::vector<registry::StatsDimension>& by, Date from,
                          Date to) -> Result<registry::StatsResult> {
    Result<org::Subtree> root = Error::NotFound();
    if (live) {
      std::shared_lock lock(projection_mutex_);
      root = ResolveRoot(projection_, caller, org_code);
    } else {
      std::lock_guard lock(as_of_mutex_);  // the tree the point in time's counts were of
      root = ResolveRoot(*as_of_, caller, org_code);
    }
    if (!root.ok()) return std::move(root).error();
    GraduatesKey key{root->code, by, from.ToIso(), to.ToIso()};
    {
      std::lock_guard lock(graduates_mutex_);
      if (auto kept = graduates_.find(key); kept != graduates_.end()) return kept->second;
    }
    NEMIS_ASSIGN_OR_RETURN(auto counted, CountGraduates(db_, *root, by, from, to));
    std::lock_guard lock(graduates_mutex_);
    Remember(graduates_, std::move(key), counted);
    return counted;
  };
  return sources;
}

Result<FormTable> StatsEngine::FillForm(const org::Scope& caller, const FormDefinition& form,
                                        const std::string& org_code, Date day) {
  return stats::FillForm(form, org_code, day, SourcesFor(caller, org_code, day));
}

Result<DrilledCell> StatsEngine::CellByChild(const org::Scope& caller, const FormDefinition& form,
                                             const std::string& org_code, Date day, size_t row,
                                             size_t column) {
  NEMIS_ASSIGN_OR_RETURN(
      auto drilled, stats::CellByChild(form, row, column, day, SourcesFor(caller, org_code, day)));
  std::shared_lock lock(projection_mutex_);  // names as they are today
  for (auto& child : drilled.children)
    if (const OrgEntry* e = projection_.orgs.ByCode(child.org_code))
      child.name = e->institution.name;
  return drilled;
}

namespace {

// The conditions a student of a cell meets: the form's population, the row's, the column's.
Result<std::vector<Condition>> CellConditions(const FormDefinition& form, size_t row,
                                              size_t column) {
  if (row >= form.rows.size() || column >= form.columns.size())
    return Error::BadRequest("bad_parameter", "行或栏超出报表范围");
  const FormLine& r = form.rows[row];
  const FormLine& c = form.columns[column];
  const bool not_applicable =
      std::find(r.not_applicable.begin(), r.not_applicable.end(), c.code) != r.not_applicable.end();
  if (form.measure != FormMeasure::kStudents || r.graduates || c.graduates || r.unavailable ||
      c.unavailable || not_applicable)
    return Error::Refused("cell_not_listable",
                          "该格不是在校学生人数（班数、毕业生数或未计算的格），不能列出学生名单");
  std::vector<Condition> where = form.population;
  where.insert(where.end(), r.where.begin(), r.where.end());
  where.insert(where.end(), c.where.begin(), c.where.end());
  return where;
}

}  // namespace

Result<StudentIdPage> StatsEngine::StudentsInCell(const org::Scope& caller,
                                                  const FormDefinition& form,
                                                  const std::string& org_code, Date day, size_t row,
                                                  size_t column, size_t offset, size_t limit) {
  NEMIS_ASSIGN_OR_RETURN(auto where, CellConditions(form, row, column));
  if (day >= clock_.TodayInChina())
    return ReadNow<StudentIdPage>(caller, org_code, [&](const org::Subtree& root) {
      return SelectUnder(projection_, root, where, offset, limit);
    });
  std::lock_guard lock(as_of_mutex_);
  NEMIS_TRY(HoldAsOf(day));
  NEMIS_ASSIGN_OR_RETURN(org::Subtree root, ResolveRoot(*as_of_, caller, org_code));
  return SelectUnder(*as_of_, root, where, offset, limit);
}

Result<IndicatorTrend> StatsEngine::Indicators(const org::Scope& caller,
                                               const std::string& org_code,
                                               const std::vector<Date>& points) {
  return ComputeIndicators(stats::Indicators(), points, [&](const FormDefinition& form, Date day) {
    return FillForm(caller, form, org_code, day);
  });
}

EngineFigures StatsEngine::Figures() const {
  std::shared_lock lock(projection_mutex_);
  return {
      ready_.load(), projection_.students.Count(), projection_.applied_seq,
      projection_.students.MemoryBytes() + projection_.orgs.MemoryBytes() + rollups_.MemoryBytes()};
}

}  // namespace nemis::stats
