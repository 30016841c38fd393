// The statistics engine against the store it projects, on both back ends: after random
// sequences of registrations, corrections, transfers, status changes and annual
// promotions, every count the engine gives (each root level, each grouping, current
// students or all) equals the registry's SQL roll-up over the store and a plain COUNT;
// a fresh load equals the followed projection; the follower thread picks a change up on
// its own; and the refusals (unknown or unreachable institution, several subtrees, not
// loaded yet).
#include "stats/stats_engine.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
#include <set>

#include "db/change_log.hpp"
#include "registry/current_grade.hpp"
#include "registry/year_end_testing.hpp"
#include "stats/form_definition.hpp"
#include "stats/form_table.hpp"

namespace nemis::stats {
namespace {

using registry::StatsDimension;
using registry::StatsQuery;
using registry::StatsResult;
using registry::Student;
using registry::StudentField;
using registry::StudentStore;
using registry::StudentViewer;
using namespace registry::year_end_testing;  // NOLINT(google-build-using-namespace)
using nemis::testing::IsErrorCode;
using D = StatsDimension;

// A result as a comparable value: (keys, count) in the engine's order, whatever order
// the store's ORDER BY gave (PostgreSQL puts NULL last, SQLite first).
std::vector<std::pair<std::vector<db::Value>, int64_t>> Rows(const StatsResult& r) {
  std::vector<std::pair<std::vector<db::Value>, int64_t>> rows;
  for (const auto& row : r.rows) rows.emplace_back(row.keys, row.count);
  std::sort(rows.begin(), rows.end());
  return rows;
}

const std::vector<std::vector<D>> kGroupings = {
    {},
    {D::kGrade},
    {D::kOrg},
    {D::kOrg, D::kGrade, D::kGender},
    {D::kStage, D::kStatus},
    {D::kEthnicity, D::kLeftBehind, D::kBoarding},
    {D::kMigrantChild, D::kOrphan, D::kMartyrChild, D::kInRegularClass},
    {D::kDisabilityType, D::kHukouType},
    {D::kUrbanRural, D::kGrade},
    {D::kSchool, D::kGrade, D::kClassNo},
    {D::kCounty, D::kGender},
    {D::kGrade, D::kBirthYear},
    {D::kSchoolType, D::kGender},
};
const std::vector<std::string> kRoots = {"", "440000", "440100", kTianheCounty, "440103", kPrimary};

class StatsEngineTest : public YearEndTest {
 protected:
  using Counts = std::map<std::string, std::vector<std::pair<std::vector<db::Value>, int64_t>>>;
  using Counter = std::function<Result<StatsResult>(const StatsQuery&)>;

  // Every grouping at every root, current students and all, by a description of the query.
  static Counts AllCounts(const Counter& count) {
    Counts out;
    for (const auto& root : kRoots) {
      for (size_t g = 0; g < kGroupings.size(); ++g) {
        for (bool all : {false, true}) {
          const std::string name =
              "root " + root + " grouping " + std::to_string(g) + (all ? " all" : " current");
          auto r = count(StatsQuery{root, kGroupings[g], all});
          EXPECT_OK(r) << name;
          if (!r.ok()) continue;
          EXPECT_EQ(r->org_code, root.empty() ? std::string(org::kNationalCode) : root) << name;
          out[name] = Rows(*r);
          int64_t sum = 0;
          for (const auto& row : r->rows) sum += row.count;
          EXPECT_EQ(sum, r->total) << name;
        }
      }
    }
    return out;
  }
  Counts StoreCounts() {
    return AllCounts([&](const StatsQuery& q) {
      return registry::CountStudents(db(), org::Scope::Everything(), q);
    });
  }

  // Every grouping at every root, current students and all, from the engine (caught up)
  // and from the store.
  void ExpectEngineMatchesStore(StatsEngine& engine) {
    SealChangeLog();
    ASSERT_OK(engine.CatchUp());
    const Counts from_engine = AllCounts(
        [&](const StatsQuery& q) { return engine.CountStudents(org::Scope::Everything(), q); });
    const Counts from_store = StoreCounts();
    for (const auto& [name, rows] : from_store) EXPECT_EQ(from_engine.at(name), rows) << name;
    ExpectLiveFormsMatchStore(engine);
    // And one count written by hand, not through the registry's roll-up.
    auto tianhe = engine.CountStudents(org::Scope::Everything(), {kTianheCounty, {}, false});
    ASSERT_OK(tianhe);
    EXPECT_EQ(tianhe->total,
              Count("SELECT COUNT(*) FROM student WHERE county_code = '440106' AND status = '01'"));
  }

  // The students forms as of now from the engine (their cells read from the rollups the
  // follower keeps) equal the forms filled from the store's roll-up, at every root (the
  // graduates columns, from the store in both, aside).
  void ExpectLiveFormsMatchStore(StatsEngine& engine) {
    const Date today = Clock::System().TodayInChina();
    for (const char* id : {"教基3112", "教基3118"}) {
      const FormDefinition& form = *FindForm(id);
      for (const auto& root : kRoots) {
        FormSources store;
        store.point = [&](const std::vector<D>& by) {
          return registry::CountStudents(db(), org::Scope::Everything(), {root, by, true});
        };
        store.graduates = [&](const std::vector<D>& by, Date, Date) {
          return Result<StatsResult>(StatsResult{root, by, {}, 0});
        };
        auto expected = FillForm(form, root, today, store);
        auto got = engine.FillForm(org::Scope::Everything(), form, root, today);
        ASSERT_OK(expected);
        ASSERT_OK(got);
        for (size_t r = 0; r < form.rows.size(); ++r) {
          for (size_t c = 0; c < form.columns.size(); ++c) {
            if (form.columns[c].graduates) continue;
            EXPECT_EQ(got->cells[r][c].value, expected->cells[r][c].value)
                << id << " at " << root << " row " << form.rows[r].code << " column "
                << form.columns[c].code;
          }
        }
        // Drilled down from the first cell of students in school (总计 × 在校生数).
        const size_t enrolled = static_cast<size_t>(
            std::find_if(form.columns.begin(), form.columns.end(),
                         [](const FormLine& c) { return c.name == "在校生数"; }) -
            form.columns.begin());
        ASSERT_LT(enrolled, form.columns.size());
        auto want = CellByChild(form, 0, enrolled, today, store);
        auto drilled = engine.CellByChild(org::Scope::Everything(), form, root, today, 0, enrolled);
        ASSERT_OK(want);
        ASSERT_OK(drilled);
        ASSERT_EQ(drilled->children.size(), want->children.size()) << id << " at " << root;
        for (size_t i = 0; i < want->children.size(); ++i) {
          EXPECT_EQ(drilled->children[i].org_code, want->children[i].org_code);
          EXPECT_EQ(drilled->children[i].cell.value, want->children[i].cell.value)
              << id << " at " << root << ": " << want->children[i].org_code;
        }
      }
    }
  }

  // The clock one day later.
  void NextDay() { clock_.Set(clock_.Now() + std::chrono::hours(24)); }

  // A random round of registrations and changes.
  void Changes(int n, std::vector<Student>& students, int& seq, std::mt19937& rng) {
    for (int step = 0; step < n; ++step) {
      if (students.empty() || rng() % 3 == 0) {
        students.push_back(EnrolSomewhere(seq++, rng));
      } else {
        ChangeOne(students, rng);
      }
      if (HasFatalFailure()) return;
    }
  }

  int64_t SchoolPromotions(const std::string& school) {
    return Count("SELECT promotions FROM org WHERE code = $1", {school});
  }

  // Writes what the end of a transfer or status-change case writes of the enrolment (the
  // school, the status, the grade now with the new school's mark) and its change-log row,
  // in one transaction, as registry/transfer.cpp and status_change_cases.cpp do.
  void MoveOrSetStatus(const Student& s, const std::string& school, const std::string& status) {
    const Student now = Reload(s);
    const org::Institution to = Institution(school);
    const int64_t mark = SchoolPromotions(school);
    ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query(
          "UPDATE student SET school_id = $1, school_code = $2, county_code = $3, status = $4, "
          "grade = $5, grade_mark = $6, version = version + 1, updated_at = $8 WHERE id = $7",
          {to.id, to.code, *to.county_code, status, int64_t{now.enrolment.grade}, mark, s.id,
           FormatUtc(clock_.Now())}));
      const int64_t ids[] = {s.id};
      return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, "2026-08-10T00:00:00Z");
    }));
  }

  void Correct(const Student& s, StudentField field, const std::string& value) {
    const Student now = Reload(s);
    registry::case_testing::Draft d;
    d.Set(field, value);
    ASSERT_OK(students_->Update(StudentViewer::Node(), now.student_number, d.input,
                                StudentStore::Seen{now.version, std::nullopt}));
  }

  Student EnrolSomewhere(int seq, std::mt19937& rng) {
    switch (rng() % 4) {
      case 0:
        return Enrol(seq, kPrimary, 1 + static_cast<int>(rng() % 6));
      case 1:
        return Enrol(seq, kJunior, 7 + static_cast<int>(rng() % 3));
      case 2:
        return Enrol(seq, kKinder, -1 + static_cast<int>(rng() % 2));
      default:
        return Enrol(seq, kLiwan, 1 + static_cast<int>(rng() % 6));
    }
  }

  // One random change to a random student: a correction, a transfer between the two
  // primary schools, or a status change.
  void ChangeOne(std::vector<Student>& students, std::mt19937& rng) {
    const Student& s = students[rng() % students.size()];
    const std::string status = Reload(s).enrolment.status;
    switch (rng() % 6) {
      case 0:
        return Correct(s, StudentField::kClassNo, "0" + std::to_string(1 + rng() % 5));
      case 1:
        return Correct(s, StudentField::kEthnicity, "0" + std::to_string(1 + rng() % 3));
      case 2:
        return Correct(s, StudentField::kLeftBehind, std::to_string(rng() % 3));
      case 3:
        return Correct(s, StudentField::kBoarding, rng() % 2 ? "1" : "2");
      case 4:
        if (s.enrolment.stage == "primary" && (status == "01" || status == "05"))
          return MoveOrSetStatus(s, Reload(s).enrolment.school_code == kPrimary ? kLiwan : kPrimary,
                                 status);
        return;
      default: {
        static const char* kStatuses[] = {"01", "02", "05", "06"};
        return MoveOrSetStatus(s, Reload(s).enrolment.school_code, kStatuses[rng() % 4]);
      }
    }
  }
};

TEST_P(StatsEngineTest, EveryCountMatchesTheStoreThroughRandomChangesAndPromotions) {
  std::mt19937 rng(20260901);
  std::vector<Student> students;
  int seq = 0;
  Changes(40, students, seq, rng);
  StatsEngine engine(db());
  ASSERT_OK(engine.Load());
  ExpectEngineMatchesStore(engine);
  for (int round = 0; round < 3; ++round) {
    Changes(30, students, seq, rng);
    if (HasFatalFailure()) return;
    ExpectEngineMatchesStore(engine);
    if (round == 0) Run(2026);  // the schools promoted, the final grades graduated
    if (round == 1) {
      clock_.Set(*ParseUtc("2027-08-10T16:00:00.000Z"));
      Run(2027);
    }
    ExpectEngineMatchesStore(engine);
  }
  // A projection loaded now from the store equals the one that followed the changes.
  StatsEngine fresh(db());
  ASSERT_OK(fresh.Load());
  ExpectEngineMatchesStore(fresh);
  EXPECT_EQ(fresh.Figures().students, engine.Figures().students);
  EXPECT_EQ(fresh.Figures().applied_seq, engine.Figures().applied_seq);
  // Without rollups (stats.rollups = 0) every count of now is one pass: the same figures.
  EngineOptions no_rollups;
  no_rollups.rollups = 0;
  StatsEngine plain(db(), no_rollups);
  ASSERT_OK(plain.Load());
  ExpectEngineMatchesStore(plain);
}

// Counts as of each past day, asked after the later days' changes (promotions included),
// are the counts the store gave at the end of that day.
TEST_P(StatsEngineTest, CountsAsOfAPastDayAreThatDaysCountsAfterLaterChanges) {
  std::mt19937 rng(20250901);
  std::vector<Student> students;
  int seq = 0;
  StatsEngine engine(db(), {}, clock_);
  std::vector<std::pair<Date, Counts>> days;
  for (int day = 0; day < 4; ++day) {
    Changes(25, students, seq, rng);
    if (HasFatalFailure()) return;
    if (day == 1) Run(2026);
    if (day == 2) Changes(10, students, seq, rng);  // moved up, then changed again
    days.emplace_back(clock_.TodayInChina(), StoreCounts());
    NextDay();
  }
  Changes(20, students, seq, rng);
  for (const auto& [day, expected] : days) {
    SCOPED_TRACE("as of " + day.ToIso());
    const Counts as_of = AllCounts([&, on = day](const StatsQuery& q) {
      return engine.CountStudentsAsOf(org::Scope::Everything(), q, on);
    });
    for (const auto& [name, rows] : expected) EXPECT_EQ(as_of.at(name), rows) << name;
  }
  // The day before the first registration: nobody; today (not over yet): refused.
  auto before =
      engine.CountStudentsAsOf(org::Scope::Everything(), {"", {}, true},
                               Date::FromDaysSinceEpoch(days[0].first.DaysSinceEpoch() - 1));
  ASSERT_OK(before);
  EXPECT_EQ(before->total, 0);
  EXPECT_THAT(
      engine.CountStudentsAsOf(org::Scope::Everything(), {"", {}, false}, clock_.TodayInChina()),
      IsErrorCode("as_of_not_past"));
  EXPECT_THAT(engine.CountStudentsAsOf(org::Scope::Of(Institution("440103")),
                                       {kTianheCounty, {}, false}, days[0].first),
              IsErrorCode("not_found"));
}

// 教基3112 as of 1 September 2026 for 天河区, filled in on 5 September after more changes,
// holds what the store held at the end of 1 September, each cell counted again by hand in
// SQL then; the graduates are those of the year before (graduated on 11 August).
TEST_P(StatsEngineTest, AFormAsOfTheFirstOfSeptemberIsTheStoreOfThatDay) {
  const FormDefinition* form = FindForm("基础基312");
  ASSERT_NE(form, nullptr);
  std::vector<Student> pupils;
  pupils.reserve(12);
  for (int i = 0; i < 12; ++i) pupils.push_back(Enrol(i, i % 3 ? kPrimary : kLiwan, 1 + i % 6));
  Correct(pupils[1], StudentField::kEthnicity, "02");
  Correct(pupils[2], StudentField::kBoarding, "2");
  Correct(pupils[4], StudentField::kMigrantChild, "1");
  Enrol(40, kJunior, 7);  // another stage: not on the form
  Run(2026);              // 11 August: grade 6 graduates, the rest move up
  clock_.Set(*ParseUtc("2026-09-01T02:00:00.000Z"));  // 10:00 on 1 September
  const Student newcomer = Enrol(50, kPrimary, 1);
  Enrol(51, kPrimary, 1);
  MoveOrSetStatus(pupils[5], kPrimary, "02");  // 休学: not in school on the day
  // The day's figures, by hand.
  const std::string tianhe_primary =
      " FROM student s WHERE s.county_code = '440106' AND s.stage = 'primary' AND s.status IN "
      "('01', '05')";
  const std::string grade = registry::CurrentGradeSql(registry::SchoolPromotionsSql());
  const int64_t in_school = Count("SELECT COUNT(*)" + tianhe_primary);
  const int64_t girls = Count("SELECT COUNT(*)" + tianhe_primary + " AND s.gender = 2");
  const int64_t grade_one = Count("SELECT COUNT(*)" + tianhe_primary + " AND " + grade + " = 1");
  const int64_t grade_six = Count("SELECT COUNT(*)" + tianhe_primary + " AND " + grade + " = 6");
  const int64_t minority = Count("SELECT COUNT(*)" + tianhe_primary + " AND s.ethnicity <> '01'");
  const int64_t boarders = Count("SELECT COUNT(*)" + tianhe_primary + " AND s.boarding = 2");
  const int64_t graduates = Count(
      "SELECT COUNT(*) FROM student_change c JOIN student s ON s.id = c.student_id WHERE "
      "c.change_type = '99' AND c.change_date BETWEEN '2025-09-01' AND '2026-08-31' AND "
      "s.county_code = '440106' AND s.stage = 'primary'");
  const int64_t classes = Count("SELECT COUNT(*) FROM (SELECT s.school_code, " + grade +
                                ", s.class_no" + tianhe_primary + " GROUP BY 1, 2, 3) c");
  ASSERT_GT(graduates, 0);
  ASSERT_GT(grade_one, 0);
  ASSERT_GT(classes, 1);
  // Later: more pupils, one leaves, one moves up a class.
  clock_.Set(*ParseUtc("2026-09-05T02:00:00.000Z"));
  const Student later = Enrol(60, kPrimary, 1);
  Enrol(61, kPrimary, 3);
  MoveOrSetStatus(newcomer, kPrimary, "06");
  Correct(pupils[7], StudentField::kEthnicity, "03");

  StatsEngine engine(db(), {}, clock_);
  auto table = engine.FillForm(org::Scope::Everything(), *form, kTianheCounty, Date{2026, 9, 1});
  ASSERT_OK(table);
  EXPECT_EQ(table->org_code, kTianheCounty);
  const auto cell = [&](size_t row, size_t column) { return table->cells[row][column].value; };
  using V = std::optional<int64_t>;
  EXPECT_EQ(cell(0, 0), V(graduates));  // 毕业生数
  EXPECT_EQ(cell(0, 1), V(grade_one));  // 招生数
  EXPECT_EQ(cell(0, 6), V(in_school));  // 在校生数
  EXPECT_EQ(cell(0, 7), V(girls));      // #女
  EXPECT_EQ(cell(0, 8), V(grade_one));
  EXPECT_EQ(cell(0, 13), V(grade_six));
  EXPECT_EQ(cell(0, 14), V(grade_six));  // 预计毕业生数
  EXPECT_EQ(cell(1, 6), V(girls));
  EXPECT_EQ(cell(2, 6), V(minority));
  EXPECT_EQ(cell(4, 6), V(boarders));
  EXPECT_EQ(cell(0, 2), std::nullopt);  // 学前教育年限: not in the registry
  EXPECT_EQ(cell(3, 6), std::nullopt);  // 复式班: not in the registry
  for (const auto& outcome : table->checks)
    EXPECT_TRUE(outcome.failures.empty()) << outcome.check->rule;
  // The students behind a cell: as many as it counts, page by page, those of the day.
  for (auto [row, column] : {std::pair<size_t, size_t>{0, 6}, {1, 8}, {2, 6}, {4, 6}}) {
    std::set<int64_t> seen;
    int64_t total = -1;
    for (size_t offset = 0;; offset += 2) {
      auto page = engine.StudentsInCell(org::Scope::Everything(), *form, kTianheCounty,
                                        Date{2026, 9, 1}, row, column, offset, 2);
      ASSERT_OK(page);
      total = page->total;
      seen.insert(page->ids.begin(), page->ids.end());
      if (page->ids.size() < 2) break;
    }
    EXPECT_EQ(V(total), cell(row, column)) << row << " " << column;
    EXPECT_EQ(static_cast<int64_t>(seen.size()), total) << row << " " << column;
  }
  auto day_pupils = engine.StudentsInCell(org::Scope::Everything(), *form, kTianheCounty,
                                          Date{2026, 9, 1}, 0, 6, 0, 500);
  ASSERT_OK(day_pupils);
  const auto& ids = day_pupils->ids;
  EXPECT_NE(std::find(ids.begin(), ids.end(), newcomer.id), ids.end());  // left on 5 Sept
  EXPECT_EQ(std::find(ids.begin(), ids.end(), later.id), ids.end());     // came on 5 Sept
  EXPECT_THAT(engine.StudentsInCell(org::Scope::Everything(), *form, kTianheCounty,
                                    Date{2026, 9, 1}, 0, 0, 0, 10),  // 毕业生数
              IsErrorCode("cell_not_listable"));
  EXPECT_THAT(engine.StudentsInCell(org::Scope::Everything(), *FindForm("基础基212"), kTianheCounty,
                                    Date{2026, 9, 1}, 0, 0, 0, 10),  // 班数
              IsErrorCode("cell_not_listable"));
  EXPECT_THAT(engine.StudentsInCell(org::Scope::Of(Institution("440103")), *form, kTianheCounty,
                                    Date{2026, 9, 1}, 0, 6, 0, 10),
              IsErrorCode("not_found"));
  // 教基2106: the day's classes (all of 25 or fewer pupils), each in its grade.
  auto class_form = engine.FillForm(org::Scope::Everything(), *FindForm("基础基212"), kTianheCounty,
                                    Date{2026, 9, 1});
  ASSERT_OK(class_form);
  EXPECT_EQ(class_form->cells[0][0].value, V(classes));
  EXPECT_EQ(class_form->cells[2][0].value, V(classes));  // 25人及以下
  for (const auto& outcome : class_form->checks)
    EXPECT_TRUE(outcome.failures.empty()) << outcome.check->rule;
  // Drill-down from 广州: each district's cell is the district's own form's.
  for (size_t column : {0u, 6u, 7u}) {
    auto drilled =
        engine.CellByChild(org::Scope::Everything(), *form, "440100", Date{2026, 9, 1}, 0, column);
    ASSERT_OK(drilled);
    const auto& children = drilled->children;
    ASSERT_EQ(children.size(), 2u);  // 荔湾区 and 天河区 have pupils
    for (const auto& child : children) {
      auto own = engine.FillForm(org::Scope::Everything(), *form, child.org_code, Date{2026, 9, 1});
      ASSERT_OK(own);
      EXPECT_EQ(child.cell.value, own->cells[0][column].value) << child.org_code << " " << column;
    }
    EXPECT_EQ(children[1].org_code, kTianheCounty);
    EXPECT_EQ(children[1].cell.value, table->cells[0][column].value);
    // The city's own cell, the sum of its districts', is the city's form's.
    auto city = engine.FillForm(org::Scope::Everything(), *form, "440100", Date{2026, 9, 1});
    ASSERT_OK(city);
    EXPECT_EQ(drilled->org_code, "440100");
    EXPECT_EQ(drilled->cell.value, city->cells[0][column].value) << column;
  }
  // Today, the registry now: the later pupils are in, the one who left is not.
  ASSERT_OK(engine.Load());
  auto now = engine.FillForm(org::Scope::Everything(), *form, kTianheCounty, clock_.TodayInChina());
  ASSERT_OK(now);
  EXPECT_EQ(now->cells[0][6].value, V(in_school + 2 - 1));
  // Out of the caller's reach: not found, as for an unknown institution.
  EXPECT_THAT(engine.FillForm(org::Scope::Of(Institution("440103")), *form, kTianheCounty,
                              Date{2026, 9, 1}),
              IsErrorCode("not_found"));
}

// A past day's figures are kept, and asked again they are the same; a graduation recorded
// late (dated in the period before the point in time) counts once the engine has applied
// it: the kept graduates are forgotten, the day's students (its history) stay as they were.
TEST_P(StatsEngineTest, KeptFiguresOfAPastDayFollowALateGraduation) {
  Enrol(1, kPrimary, 6);
  const Student late = Enrol(2, kPrimary, 6);
  clock_.Set(*ParseUtc("2026-09-10T02:00:00.000Z"));
  StatsEngine engine(db(), {}, clock_);
  ASSERT_OK(engine.Load());
  const FormDefinition* form = FindForm("基础基312");
  const auto fill = [&] {
    auto t = engine.FillForm(org::Scope::Everything(), *form, kTianheCounty, Date{2026, 9, 1});
    EXPECT_OK(t);
    return t.ok() ? std::pair{t->cells[0][0].value, t->cells[0][6].value}
                  : std::pair{std::optional<int64_t>(), std::optional<int64_t>()};
  };
  using V = std::optional<int64_t>;
  EXPECT_EQ(fill(), std::pair(V(0), V(2)));  // no graduate yet; two in school
  EXPECT_EQ(fill(), std::pair(V(0), V(2)));
  ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query(
        "INSERT INTO student_change (student_id, change_type, change_date, reason, "
        "from_school_code, to_school_code, from_grade, to_grade, from_class, to_class, "
        "status_before, status_after, recorded_at) VALUES ($1, '99', '2026-07-15', '毕业', $2, $2, "
        "6, 6, '02', '02', '01', '99', $3)",
        {late.id, kPrimary, FormatUtc(clock_.Now())}));
    NEMIS_TRY(
        c.Query("UPDATE student SET status = '99', version = version + 1, updated_at = $2 "
                "WHERE id = $1",
                {late.id, FormatUtc(clock_.Now())}));
    const int64_t ids[] = {late.id};
    return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, FormatUtc(clock_.Now()));
  }));
  EXPECT_EQ(fill(), std::pair(V(0), V(2)));  // not applied yet: as kept
  ASSERT_OK(engine.CatchUp());
  EXPECT_EQ(fill(), std::pair(V(1), V(2)));
}

// As of a past day a school counts as it was then (org_history): its urban-rural class and
// whether it was open, both changed since, in the student counts and in the schools form.
TEST_P(StatsEngineTest, APastDayCountsEachSchoolAsItWasThen) {
  org::OrgStore orgs(db(), clock_);
  const auto set = [&](const std::string& code, const org::InstitutionInput& in) {
    ASSERT_OK(orgs.Update(org::Scope::Everything(), code, in, Institution(code).version));
  };
  org::InstitutionInput rural, town, closed;
  rural.urban_rural = "210";
  town.urban_rural = "121";
  closed.open = false;
  set(kPrimary, rural);
  Enrol(1, kPrimary, 3);
  Enrol(2, kPrimary, 4);
  const Date then = clock_.TodayInChina();
  NextDay();
  set(kPrimary, town);
  set(kLiwan, closed);
  NextDay();
  StatsEngine engine(db(), {}, clock_);
  ASSERT_OK(engine.Load());
  const StatsQuery by_class{kTianheCounty, {D::kUrbanRural}, false};
  auto as_of = engine.CountStudentsAsOf(org::Scope::Everything(), by_class, then);
  auto now = engine.CountStudents(org::Scope::Everything(), by_class);
  ASSERT_OK(as_of);
  ASSERT_OK(now);
  using Row = std::pair<std::vector<db::Value>, int64_t>;
  EXPECT_EQ(Rows(*as_of), (std::vector<Row>{{{std::string("210")}, 2}}));
  EXPECT_EQ(Rows(*now), (std::vector<Row>{{{std::string("121")}, 2}}));
  const FormDefinition* schools = FindForm("教基1001");
  ASSERT_NE(schools, nullptr);
  using V = std::optional<int64_t>;
  auto form_then = engine.FillForm(org::Scope::Everything(), *schools, "440100", then);
  auto form_now =
      engine.FillForm(org::Scope::Everything(), *schools, "440100", clock_.TodayInChina());
  ASSERT_OK(form_then);
  ASSERT_OK(form_now);
  EXPECT_EQ(form_then->cells[0][0].value, V(4));  // 荔湾区第一小学 still open
  EXPECT_EQ(form_then->cells[0][3].value, V(1));  // 乡村: the primary school
  EXPECT_EQ(form_now->cells[0][0].value, V(3));
  EXPECT_EQ(form_now->cells[0][2].value, V(1));  // 镇区
  EXPECT_EQ(form_now->cells[0][3].value, V(0));
}

// 教基1001's summary counts the open schools by type and urban-rural class, now and for a
// past day alike (the changes made without a later updated_at count from the row's state),
// and drills down to the districts.
TEST_P(StatsEngineTest, TheSchoolsFormCountsTheOpenSchoolsByType) {
  Enrol(1, kPrimary, 3);
  EXPECT_EQ(Sql("UPDATE org SET status = 'closed' WHERE code = $1", {kLiwan}), 1);
  EXPECT_EQ(Sql("UPDATE org SET urban_rural = '121' WHERE code = $1", {kPrimary}), 1);
  StatsEngine engine(db(), {}, clock_);
  ASSERT_OK(engine.Load());
  const FormDefinition* form = FindForm("基础基111");
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(form->measure, FormMeasure::kSchools);
  using V = std::optional<int64_t>;
  for (Date day : {clock_.TodayInChina(), Date{2026, 8, 1}}) {
    auto t = engine.FillForm(org::Scope::Everything(), *form, "440100", day);
    ASSERT_OK(t);
    EXPECT_EQ(t->cells[0][0].value, V(3)) << day.ToIso();  // 荔湾区第一小学 is closed
    EXPECT_EQ(t->cells[0][2].value, V(1));                 // 镇区: the primary school
    EXPECT_EQ(t->cells[0][4].value, V(2));                 // 城乡类型未填
    EXPECT_EQ(t->cells[1][0].value, V(1));                 // 幼儿园
    EXPECT_EQ(t->cells[2][0].value, V(1));                 // 小学
    EXPECT_EQ(t->cells[4][0].value, V(1));                 // 初级中学
    EXPECT_EQ(t->cells[11][0].value, V(0));                // 其他
    for (const auto& outcome : t->checks)
      EXPECT_TRUE(outcome.failures.empty()) << outcome.check->rule;
  }
  auto drilled =
      engine.CellByChild(org::Scope::Everything(), *form, "440100", clock_.TodayInChina(), 0, 0);
  ASSERT_OK(drilled);
  ASSERT_EQ(drilled->children.size(), 1u);
  EXPECT_EQ(drilled->children[0].org_code, kTianheCounty);
  EXPECT_EQ(drilled->children[0].cell.value, V(3));
  EXPECT_THAT(engine.StudentsInCell(org::Scope::Everything(), *form, "440100",
                                    clock_.TodayInChina(), 0, 0, 0, 10),
              IsErrorCode("cell_not_listable"));
}

TEST_P(StatsEngineTest, TheFollowerPicksUpACommittedRegistrationOnItsOwn) {
  Enrol(1, kPrimary, 3);
  StatsEngine engine(db(), EngineOptions{std::chrono::milliseconds(20)});
  engine.Start();
  const StatsQuery q{kPrimary, {}, false};
  const auto total = [&]() -> int64_t {
    auto r = engine.CountStudents(org::Scope::Everything(), q);
    return r.ok() ? r->total : -1;
  };
  const auto wait_for = [&](int64_t expected) {
    for (int i = 0; i < 500 && total() != expected; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return total();
  };
  EXPECT_EQ(wait_for(1), 1);
  Enrol(2, kPrimary, 4);  // PostgreSQL: the engine seals what the write left pending
  EXPECT_EQ(wait_for(2), 2);
}

TEST_P(StatsEngineTest, RefusesWhatTheCallerMayNotCountAndCountsNothingBeforeTheLoad) {
  Enrol(1, kPrimary, 3);
  StatsEngine engine(db());
  const StatsQuery county{kTianheCounty, {D::kGrade}, false};
  EXPECT_THAT(engine.CountStudents(org::Scope::Everything(), county),
              IsErrorCode("store_unavailable"));
  ASSERT_OK(engine.Load());
  EXPECT_THAT(engine.CountStudents(org::Scope::Everything(), {"9999999999", {}, false}),
              IsErrorCode("not_found"));
  // 荔湾区's staff do not reach 天河区: "not found", as for an unknown code.
  const org::Scope liwan = org::Scope::Of(Institution("440103"));
  EXPECT_THAT(engine.CountStudents(liwan, county), IsErrorCode("not_found"));
  org::Scope two = org::Scope::Of(Institution(kPrimary));
  two.Add(org::Subtree::Of(Institution(kLiwan)));
  EXPECT_THAT(engine.CountStudents(two, {"", {}, false}), IsErrorCode("validation_failed"));
  auto own = engine.CountStudents(org::Scope::Of(Institution(kPrimary)), {"", {D::kGrade}, false});
  ASSERT_OK(own);
  EXPECT_EQ(own->org_code, kPrimary);
  ASSERT_EQ(own->rows.size(), 1u);
  EXPECT_EQ(own->rows[0].keys[0], db::Value(int64_t{3}));
  EXPECT_EQ(own->total, 1);
}

NEMIS_STORE_TEST_SUITE(StatsEngineTest);

}  // namespace
}  // namespace nemis::stats
