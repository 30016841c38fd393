// The annual promotion (升级) and graduation (毕业) on both stores: what a run for a year
// does to students of each stage, grade and status, with its report, history rows and
// change-log rows; a second run for the year that changes nothing and a run for the next
// year that promotes again; a dry run that reports the same and writes nothing; a run over
// one county; a final-grade student held back by an open case until the case ends; a run
// resumed after a kill; the year's validation; and a case opened or ended while a batch
// runs (PostgreSQL; disabled until promotion.cpp handles it, see there).
#include "registry/promotion.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "registry/student_lock.hpp"
#include "registry/year_end_testing.hpp"
#include "testing/killed_write.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::registry {
namespace {

using namespace year_end_testing;  // NOLINT(google-build-using-namespace)
using nemis::testing::IsErrorCode;

class PromotionTest : public YearEndTest {};

TEST_P(PromotionTest, TheRunPromotesGraduatesAndLeavesTheRestAlone) {
  const Student p1 = Enrol(1, kPrimary, 1), p5 = Enrol(2, kPrimary, 5), p6a = Enrol(3, kPrimary, 6),
                p6b = Enrol(4, kPrimary, 6);
  Student resumed = Enrol(5, kPrimary, 4), suspended = Enrol(6, kPrimary, 3);
  const Student j7 = Enrol(7, kJunior, 7), j9 = Enrol(8, kJunior, 9);
  const Student k1 = Enrol(9, kKinder, -1), k0 = Enrol(10, kKinder, 0);
  const Student liwan = Enrol(11, kLiwan, 2);
  SetStatus(resumed, "05");    // 复学: in school
  SetStatus(suspended, "02");  // 休学
  resumed = Reload(resumed);
  suspended = Reload(suspended);
  ASSERT_EQ(resumed.enrolment.status, "05");
  ASSERT_EQ(k0.enrolment.stage, "preschool");
  ASSERT_EQ(j9.enrolment.stage, "junior");
  const int64_t history = Count("SELECT COUNT(*) FROM student_change");

  PromotionReport report = Run(2026);

  EXPECT_EQ(
      SchoolsOf(report),
      (std::map<std::string, Tally>{
          {kPrimary, {3, 2, 0}}, {kJunior, {1, 1, 0}}, {kKinder, {1, 1, 0}}, {kLiwan, {1, 0, 0}}}));
  EXPECT_EQ(TallyOf(report.total), (Tally{6, 4, 0}));
  for (const Student& s : {p1, p5, resumed, j7, k1, liwan}) ExpectPromoted(s);
  for (const Student& s : {p6a, p6b, j9, k0}) ExpectGraduated(s);
  ExpectUntouched(suspended);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_change"), history + 4);
  // The graduates' rows and the four schools' (promoted): the others' rows are not written.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'student' AND op = 'U'"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'org' AND op = 'U'"), 4);
}

TEST_P(PromotionTest, ASecondRunForTheYearChangesNothingAndTheNextYearPromotesAgain) {
  const Student p1 = Enrol(1, kPrimary, 1), p6 = Enrol(2, kPrimary, 6), j8 = Enrol(3, kJunior, 8);
  EXPECT_EQ(TallyOf(Run(2026).total), (Tally{2, 1, 0}));
  const Snapshot after = Take();

  PromotionReport again = Run(2026);
  EXPECT_TRUE(again.schools.empty());
  EXPECT_EQ(TallyOf(again.total), (Tally{0, 0, 0}));
  EXPECT_EQ(Take(), after);
  ExpectGraduated(p6);

  clock_.Set(*ParseUtc("2027-08-10T16:00:00.000Z"));  // 24:00 on 10 August 2027
  PromotionReport next = Run(2027);
  EXPECT_EQ(SchoolsOf(next),
            (std::map<std::string, Tally>{{kPrimary, {1, 0, 0}}, {kJunior, {0, 1, 0}}}));
  EXPECT_EQ(TallyOf(next.total), (Tally{1, 1, 0}));
  Student p1now = Reload(p1), j8now = Reload(j8), p6now = Reload(p6);
  EXPECT_EQ(p1now.enrolment.grade, 3);
  EXPECT_EQ(p1now.version, p1.version);
  EXPECT_EQ(SchoolPromotedYear(p1), 2027);
  EXPECT_EQ(Updates(p1), 0);
  EXPECT_EQ(j8now.enrolment.grade, 9);
  EXPECT_EQ(j8now.enrolment.status, "07");
  EXPECT_EQ(PromotedYear(j8), 2027);
  EXPECT_EQ(Updates(j8), 1);
  auto j8changes = ChangesOf(j8);
  ASSERT_EQ(j8changes.size(), 1u);
  EXPECT_EQ(j8changes[0].approval_ref, std::optional<std::string>("promotion:2027"));
  EXPECT_EQ(j8changes[0].from_grade, 9);
  // The graduate of 2026 is left as it was.
  EXPECT_EQ(p6now.enrolment.status, "07");
  EXPECT_EQ(p6now.version, p6.version + 1);
  EXPECT_EQ(PromotedYear(p6), 2026);
  EXPECT_EQ(ChangesOf(p6).size(), 1u);
  EXPECT_EQ(Updates(p6), 1);
}

TEST_P(PromotionTest, ADryRunReportsWhatTheRunWouldDoAndChangesNothing) {
  Enrol(1, kPrimary, 1);
  Enrol(2, kPrimary, 6);
  const Student held = Enrol(3, kPrimary, 6);
  Enrol(4, kJunior, 9);
  Enrol(5, kKinder, 0);
  Enrol(6, kLiwan, 5);
  const Student suspended = Enrol(7, kPrimary, 2);
  SetStatus(suspended, "02");
  OpenCase(held);
  const Snapshot before = Take();

  PromotionReport dry = Run(2026, /*dry_run=*/true);
  const std::map<std::string, Tally> expected = {
      {kPrimary, {1, 1, 1}}, {kJunior, {0, 1, 0}}, {kKinder, {0, 1, 0}}, {kLiwan, {1, 0, 0}}};
  EXPECT_EQ(SchoolsOf(dry), expected);
  EXPECT_EQ(TallyOf(dry.total), (Tally{2, 3, 1}));
  EXPECT_EQ(Take(), before);

  PromotionReport real = Run(2026);
  EXPECT_EQ(SchoolsOf(real), SchoolsOf(dry));
  EXPECT_EQ(TallyOf(real.total), TallyOf(dry.total));

  // After the run, a dry run for the year finds only the held student.
  const Snapshot after = Take();
  PromotionReport dry_again = Run(2026, /*dry_run=*/true);
  EXPECT_EQ(SchoolsOf(dry_again), (std::map<std::string, Tally>{{kPrimary, {0, 0, 1}}}));
  EXPECT_EQ(Take(), after);
}

TEST_P(PromotionTest, ARunOverACountyTouchesOnlyItsStudents) {
  const Student p1 = Enrol(1, kPrimary, 1), p6 = Enrol(2, kPrimary, 6), j7 = Enrol(3, kJunior, 7);
  const Student l2 = Enrol(4, kLiwan, 2), l6 = Enrol(5, kLiwan, 6);
  const Snapshot before = Take();

  PromotionReport tianhe = Run(2026, false, org::Scope::Of(Institution(kTianheCounty)));
  EXPECT_EQ(SchoolsOf(tianhe),
            (std::map<std::string, Tally>{{kPrimary, {1, 1, 0}}, {kJunior, {1, 0, 0}}}));
  EXPECT_EQ(TallyOf(tianhe.total), (Tally{2, 1, 0}));
  ExpectPromoted(p1);
  ExpectPromoted(j7);
  ExpectGraduated(p6);
  ExpectUntouched(l2);
  ExpectUntouched(l6);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'student' AND op = 'U'"), 1);
  // 天河's three schools were promoted, 荔湾's was not.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'org' AND op = 'U'"), 3);

  // A run over one school of the county finds it done; the whole node does the rest.
  PromotionReport school = Run(2026, false, org::Scope::Of(Institution(kPrimary)));
  EXPECT_TRUE(school.schools.empty());
  PromotionReport rest = Run(2026);
  EXPECT_EQ(SchoolsOf(rest), (std::map<std::string, Tally>{{kLiwan, {1, 1, 0}}}));
  ExpectPromoted(l2);
  ExpectGraduated(l6);
  ExpectPromoted(p1);
  ExpectGraduated(p6);
  EXPECT_EQ(Take().history, before.history + 2);
}

TEST_P(PromotionTest, AFinalGradeStudentWithAnOpenCaseIsHeldUntilTheCaseEnds) {
  const Student held = Enrol(1, kPrimary, 6), free = Enrol(2, kPrimary, 6),
                p3 = Enrol(3, kPrimary, 3);
  const ApprovalCase kase = OpenCase(held);
  ASSERT_EQ(kase.status, CaseStatus::kOpen);
  OpenCase(p3);  // a case holds back graduation only

  PromotionReport first = Run(2026);
  EXPECT_EQ(SchoolsOf(first), (std::map<std::string, Tally>{{kPrimary, {1, 1, 1}}}));
  EXPECT_EQ(TallyOf(first.total), (Tally{1, 1, 1}));
  ExpectUntouched(held);
  ExpectGraduated(free);
  ExpectPromoted(p3);

  PromotionReport still = Run(2026);
  EXPECT_EQ(SchoolsOf(still), (std::map<std::string, Tally>{{kPrimary, {0, 0, 1}}}));
  EXPECT_EQ(TallyOf(still.total), (Tally{0, 0, 1}));
  ExpectUntouched(held);

  auto cancelled = cases_->Act(Registrar(), Definition("status.29"), kase.id, CaseAction::kCancel,
                               kase.version, "不再转班");
  ASSERT_OK(cancelled);
  ASSERT_EQ(cancelled->status, CaseStatus::kCancelled);

  PromotionReport after = Run(2026);
  EXPECT_EQ(SchoolsOf(after), (std::map<std::string, Tally>{{kPrimary, {0, 1, 0}}}));
  EXPECT_EQ(TallyOf(after.total), (Tally{0, 1, 0}));
  ExpectGraduated(held);
  ExpectGraduated(free);
  ExpectPromoted(p3);
}

// 问题学籍: a suspected duplicate pair holds both of its students back until a person
// decides it; a finding that is gone (no longer found) holds nobody.
TEST_P(PromotionTest, AnOpenProblemRecordHoldsBothOfItsStudentsBack) {
  const Student one = Enrol(1, kPrimary, 6), two = Enrol(2, kLiwan, 6),
                gone = Enrol(3, kPrimary, 6);
  const auto record = [&](const Student& a, const Student& b, const std::string& state) {
    EXPECT_EQ(Sql("INSERT INTO problem_record (finding_key, kind, student_id, school_id, "
                  "school_code, province_code, other_id, score, details, first_seen, last_seen, "
                  "state) VALUES ($1, 'same_name_birth', $2, 1, $3, '440000', $4, 100, '{}', "
                  "'2026-07-01', '2026-07-01', $5)",
                  {"same_name_birth:" + std::to_string(a.id) + ":" + std::to_string(b.id), a.id,
                   a.enrolment.school_code, b.id, state}),
              1);
  };
  record(one, two, "open");
  record(gone, one, "gone");

  PromotionReport first = Run(2026);
  EXPECT_EQ(SchoolsOf(first),
            (std::map<std::string, Tally>{{kPrimary, {0, 1, 1}}, {kLiwan, {0, 0, 1}}}));
  ExpectUntouched(one);
  ExpectUntouched(two);
  ExpectGraduated(gone);

  EXPECT_EQ(Sql("UPDATE problem_record SET state = 'resolved', resolution = 'not_duplicate' "
                "WHERE state = 'open'"),
            1);
  PromotionReport after = Run(2026);
  EXPECT_EQ(TallyOf(after.total), (Tally{0, 2, 0}));
  ExpectGraduated(one);
  ExpectGraduated(two);
}

// PostgreSQL runs a write transaction at READ COMMITTED, each statement seeing what was
// committed when it began. A case about a final-grade student opened, or ended, by another
// transaction while a batch runs must leave each student either graduated with its one
// history row or not graduated with none. Here the other transaction commits while the
// batch waits to update the student table (it holds a SHARE lock on it meanwhile).
// DISABLED: fails against promotion.cpp as it stands. RunBatch writes the history rows
// (INSERT ... SELECT) and graduates (UPDATE) in two statements that each re-evaluate the
// open-case test on their own snapshot, so the student whose case was opened meanwhile
// gets a 毕业 row and stays in 01, and the one whose case ended graduates without a row.
// Enable it with the fix (one decision per student for both statements).
TEST_P(PromotionTest, ACaseOpenedOrEndedDuringABatchLeavesEachGraduateWithItsRow) {
  if (backend() != db::Backend::kPostgres) GTEST_SKIP() << "SQLite has one writer at a time";
  const Student opened = Enrol(1, kPrimary, 6), ended = Enrol(2, kPrimary, 6);
  const ApprovalCase ending = OpenCase(ended);

  std::promise<void> locked, promotion_waits;
  std::future<void> waits = promotion_waits.get_future();
  std::thread other([&] {
    EXPECT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query("LOCK TABLE student IN SHARE MODE"));
      locked.set_value();
      if (waits.wait_for(std::chrono::seconds(20)) != std::future_status::ready)
        return Error::Internal("the promotion never waited for the lock");
      NEMIS_TRY(cases_->OpenIn(c, Registrar(), Definition("status.29"),
                               StudentSubject(cipher_, opened.student_number),
                               {{"school", kPrimary}}));
      NEMIS_TRY(c.Query("UPDATE wf_case SET status = 'cancelled' WHERE id = $1", {ending.id}));
      return {};
    }));
  });
  locked.get_future().wait();
  std::thread promotion([&] { Run(2026); });
  bool waiting = false;
  for (int i = 0; i < 400 && !waiting; ++i) {
    auto n = db().Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(
          auto rs, c.Query("SELECT COUNT(*) FROM pg_locks WHERE NOT granted AND relation = "
                           "'student'::regclass"));
      return rs.rows.at(0).Int(0);
    });
    waiting = n.ok() && *n > 0;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_TRUE(waiting);
  promotion_waits.set_value();
  other.join();
  promotion.join();

  for (const Student& s : {opened, ended}) {
    SCOPED_TRACE(s.id == opened.id ? "case opened meanwhile" : "case ended meanwhile");
    const Student now = Reload(s);
    const size_t rows = ChangesOf(s).size();
    if (now.enrolment.status == "07")
      EXPECT_EQ(rows, 1u) << "graduated without its history row";
    else
      EXPECT_EQ(rows, 0u) << "a history row 毕业 for a student still in status "
                          << now.enrolment.status;
  }
}

TEST_P(PromotionTest, ARunResumedAfterAKillPromotesEveryStudentOnce) {
  // Ten pupils and a junior-school graduate, ids in order of registration.
  const int grades[] = {1, 2, 6, 3, 4, 5, 6, 1, 2, 6};
  std::vector<Student> students;
  students.reserve(11);
  for (int i = 0; i < 10; ++i) students.push_back(Enrol(i + 1, kPrimary, grades[i]));
  students.push_back(Enrol(11, kJunior, 9));
  std::sort(students.begin(), students.end(),
            [](const Student& a, const Student& b) { return a.id < b.id; });
  const int64_t span = students.back().id - students.front().id + 1;

  // The node stops after the first batch, then the second, ... (the graduates' id ranges,
  // then the schools; one transaction each): every run is finished by the next.
  std::atomic<bool> stop{false};
  std::vector<std::pair<int64_t, int64_t>> calls;
  PromotionOptions options;
  options.year = 2026;
  options.where = org::Scope::Everything();
  options.batch_ids = 2;
  options.stop = &stop;
  int interrupted = 0;
  for (int run = 1; run <= 20; ++run) {
    int batches = 0;
    stop = false;
    auto r = Promote(db(), clock_, options, [&](int64_t done, int64_t of) {
      calls.emplace_back(done, of);
      stop = ++batches == run;
    });
    if (r.ok()) break;
    ASSERT_THAT(r, IsErrorCode("store_unavailable"));
    ++interrupted;
  }
  EXPECT_EQ(interrupted, 6);  // six id ranges, then one batch of schools: after all but the last

  int64_t graduated = 0;
  for (size_t i = 0; i < students.size(); ++i) {
    const Student& s = students[i];
    SCOPED_TRACE("student " + std::to_string(i));
    const bool last = s.enrolment.grade == (s.enrolment.stage == "junior" ? 9 : 6);
    Student now = Reload(s);
    if (last) {
      ++graduated;
      EXPECT_EQ(now.enrolment.status, "07");
      EXPECT_EQ(now.enrolment.grade, s.enrolment.grade);
      EXPECT_EQ(now.version, s.version + 1);
      EXPECT_EQ(ChangesOf(s).size(), 1u);
      EXPECT_EQ(Updates(s), 1);
    } else {
      ExpectPromoted(s);
    }
  }
  EXPECT_EQ(graduated, 4);
  // Each school once: primary, junior and the two without students.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'org' AND op = 'U'"), 4);
  EXPECT_EQ(Count("SELECT MAX(promotions) FROM org"), 1);

  // Progress: the id ranges of two, then the four schools (one batch), of their sum.
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), std::make_pair(span + 4, span + 4));
  for (const auto& [done, of] : calls) EXPECT_EQ(of, span + 4);

  const Snapshot done = Take();
  EXPECT_EQ(TallyOf(Run(2026, false, org::Scope::Everything(), 2).total), (Tally{0, 0, 0}));
  EXPECT_EQ(Take(), done);
}

// Killed before each statement of the run in turn (the graduates' id ranges, then the
// schools): whatever the store keeps, nobody has graduated a year early and no school is
// promoted twice; the run started again finishes the job, each student moved once.
TEST_P(PromotionTest, ARunKilledAtAnyStatementIsFinishedByTheNextRun) {
  const Student p1 = Enrol(1, kPrimary, 1), p5 = Enrol(2, kPrimary, 5), p6 = Enrol(3, kPrimary, 6),
                j8 = Enrol(4, kJunior, 8), j9 = Enrol(5, kJunior, 9), l6 = Enrol(6, kLiwan, 6);
  const std::vector<Student> moving = {p1, p5, j8}, leaving = {p6, j9, l6};
  PromotionOptions options;
  options.year = 2026;
  options.where = org::Scope::Everything();
  options.batch_ids = 2;
  for (int at = 1; at < 200; ++at) {
    const auto run = [&](db::Database& store) { (void)Promote(store, clock_, options); };
    const bool finished =
        testing::RunKilledAt(url(), StoreOptions(), at, run) == testing::KilledRun::kFinished;
    SCOPED_TRACE("killed before statement " + std::to_string(at));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM org WHERE promotions > 1"), 0);
    for (const Student& s : moving) EXPECT_EQ(Reload(s).enrolment.status, "01");
    if (!finished) {
      ASSERT_OK(Promote(db(), clock_, options));
    }
    for (const Student& s : moving) ExpectPromoted(s);
    for (const Student& s : leaving) ExpectGraduated(s);
    if (finished) break;
    // Back to before the promotion (behind the registry's back), for the next kill.
    EXPECT_EQ(Sql("UPDATE student SET status = '01', promoted_year = 0, version = 1"), 6);
    Sql("UPDATE org SET promotions = 0, promoted_year = 0");
    Sql("DELETE FROM student_change");
    Sql("DELETE FROM change_log WHERE op = 'U'");
  }
}

TEST_P(PromotionTest, TheYearMustBeASchoolYear) {
  Enrol(1, kPrimary, 1);
  const Snapshot before = Take();
  for (int year : {0, 1999, 2101}) {
    SCOPED_TRACE(year);
    for (bool dry_run : {false, true}) {
      PromotionOptions options;
      options.year = year;
      options.dry_run = dry_run;
      auto r = Promote(db(), clock_, options);
      ASSERT_THAT(r, IsErrorCode("validation_failed"));
      ASSERT_EQ(r.error().fields.size(), 1u);
      EXPECT_EQ(r.error().fields[0].field, "year");
      EXPECT_EQ(r.error().fields[0].code, "bad_year");
    }
  }
  EXPECT_EQ(Take(), before);
  EXPECT_EQ(TallyOf(Run(2000, true).total), (Tally{1, 0, 0}));
  EXPECT_EQ(TallyOf(Run(2100, true).total), (Tally{1, 0, 0}));
}

TEST_P(PromotionTest, NotBeforeTwentyFourHundredOnTheTenthOfAugust) {
  Enrol(1, kPrimary, 1);
  const Snapshot before = Take();
  clock_.Set(*ParseUtc("2026-08-10T15:59:59.000Z"));  // 23:59:59 on 10 August in Beijing
  PromotionOptions options;
  options.year = 2026;
  auto early = Promote(db(), clock_, options);
  ASSERT_THAT(early, IsErrorCode("promotion_too_early"));
  EXPECT_EQ(early.error().message, "2026年的升级须在8月10日24时（北京时间）之后进行");
  options.year = 2027;  // a year not over yet
  EXPECT_THAT(Promote(db(), clock_, options), IsErrorCode("promotion_too_early"));
  EXPECT_EQ(Take(), before);
  EXPECT_EQ(TallyOf(Run(2026, true).total), (Tally{1, 0, 0}));  // a dry run any time
  clock_.Set(*ParseUtc("2026-08-10T16:00:00.000Z"));
  EXPECT_EQ(TallyOf(Run(2026).total), (Tally{1, 0, 0}));
}

TEST_P(PromotionTest, AnEmptyStoreHasNothingToPromote) {
  int calls = 0;
  PromotionReport report =
      Run(2026, false, org::Scope::Everything(), 2, [&](int64_t, int64_t) { ++calls; });
  EXPECT_TRUE(report.schools.empty());
  EXPECT_EQ(TallyOf(report.total), (Tally{0, 0, 0}));
  EXPECT_EQ(calls, 1);  // the schools are promoted all the same (one batch)
  EXPECT_TRUE(Run(2026, true).schools.empty());
}

}  // namespace

NEMIS_STORE_TEST_SUITE(PromotionTest);

}  // namespace nemis::registry
