// What the tests of the year-end operations (promotion, graduation, next-stage enrolment)
// share: four schools of 广州 on a store of each kind, students enrolled in a grade, and
// the checks of what a run did to them (registry/promotion.hpp, graduation.hpp,
// next_stage_enrolment.hpp).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>

#include "codes/id_number.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "registry/promotion.hpp"
#include "registry/registry_case_testing.hpp"
#include "registry/status_change.hpp"
#include "registry/student_lock.hpp"
#include "registry/student_store.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"
#include "workflow/case_store.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::registry::year_end_testing {

using case_testing::Definition;
using case_testing::Draft;
using workflow::ApprovalCase;
using workflow::CaseAction;
using workflow::CaseStatus;
using F = StudentField;

// In 天河区 (440106) of 广州: a primary school, a junior high school (初级中学, 311) and a
// kindergarten (幼儿园, 111); in 荔湾区 (440103): a primary school.
inline const std::string kPrimary = "2144000001", kJunior = "3144000001", kKinder = "1144000001",
                         kLiwan = "2144000003";
inline const std::string kTianheCounty = "440106";

// Opens status changes (status.29, 转班级) at the primary school.
inline workflow::Actor Registrar() {
  workflow::Actor a;
  a.account = "primary.registrar";
  a.roles = "test";
  a.request_id = "req-primary.registrar";
  a.may = [](std::string_view permission, const org::Institution& at) {
    return permission == "student.update" && at.code == kPrimary;
  };
  return a;
}

// Enrols new students at the junior high school (student.create there), and nowhere else.
inline workflow::Actor JuniorRegistrar() {
  workflow::Actor a;
  a.account = "junior.registrar";
  a.roles = "test";
  a.request_id = "req-junior.registrar";
  a.may = [](std::string_view permission, const org::Institution& at) {
    return permission == "student.create" && at.code == kJunior;
  };
  return a;
}

// (promoted, graduated, held) by school code, and the totals, comparable at once.
using Tally = std::tuple<int64_t, int64_t, int64_t>;
inline Tally TallyOf(const PromotionTally& t) { return {t.promoted, t.graduated, t.held}; }
inline std::map<std::string, Tally> SchoolsOf(const PromotionReport& r) {
  std::map<std::string, Tally> out;
  for (const auto& [school, tally] : r.schools) out[school] = TallyOf(tally);
  return out;
}

// What a run may change: each student's (grade, status, version, promoted_year) by id, and
// how many history and change-log rows the store holds.
struct Snapshot {
  std::map<int64_t, std::tuple<int64_t, std::string, int64_t, int64_t>> students;
  std::map<int64_t, std::pair<int64_t, int64_t>> schools;  // promotions, promoted_year
  int64_t history = 0, log = 0;
  bool operator==(const Snapshot&) const = default;
};

class YearEndTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    org::OrgStore orgs(db(), clock_);
    ASSERT_OK(orgs.SeedDivisions("440000"));
    AddSchool(orgs, kPrimary, kTianheCounty, "天河区第一小学", "211");
    AddSchool(orgs, kJunior, kTianheCounty, "天河区第一中学", "311");
    AddSchool(orgs, kKinder, kTianheCounty, "天河区第一幼儿园", "111");
    AddSchool(orgs, kLiwan, "440103", "荔湾区第一小学", "211");
    students_ = std::make_unique<StudentStore>(db(), cipher_, clock_);
    cases_ =
        std::make_unique<workflow::CaseStore>(db(), clock_, workflow::WorkingCalendar::Shipped());
  }

  static void AddSchool(org::OrgStore& orgs, const std::string& code, const std::string& county,
                        const std::string& name, const std::string& type) {
    org::InstitutionInput in;
    in.code = code;
    in.parent_code = county;
    in.name = name;
    in.school_type = type;
    ASSERT_OK(orgs.Create(org::Scope::Everything(), in));
  }

  org::Institution Institution(const std::string& code) {
    org::OrgStore orgs(db(), clock_);
    auto inst = orgs.Get(org::Scope::Everything(), code);
    EXPECT_OK(inst);
    return inst.ok() ? *inst : org::Institution{};
  }

  // Registers student `seq` (0-999: a distinct ID; odd is a boy) of `school` in `grade`
  // (the stage the school's type gives it), class 02, entered in September 2025.
  Student Enrol(int seq, const std::string& school, int grade) {
    Draft d;
    case_testing::SetPupil(d, seq, school, grade, 2019 - grade, "2025-09");
    auto r = students_->Register(StudentViewer::Node(), d.input, {});
    EXPECT_OK(r);
    return r.ok() ? r->student : Student{};
  }

  Student Reload(const Student& s) {
    auto r = students_->Get(StudentViewer::Node(), s.student_number);
    EXPECT_OK(r);
    return r.ok() ? *r : Student{};
  }
  std::vector<StatusChange> ChangesOf(const Student& s) {
    auto r = db().Read<std::vector<StatusChange>>(
        [&](db::Connection& c) { return LoadStatusChanges(c, s.id); });
    EXPECT_OK(r);
    return r.ok() ? *r : std::vector<StatusChange>{};
  }

  // Changes the store behind the registry's back, as another process would; returns how
  // many rows it changed.
  int64_t Sql(const std::string& sql, std::initializer_list<db::Param> params = {}) {
    std::vector<db::Param> values(params);
    int64_t affected = -1;
    EXPECT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, values));
      affected = rs.affected;
      return {};
    }));
    return affected;
  }
  void SetStatus(const Student& s, const std::string& status) {
    EXPECT_EQ(Sql("UPDATE student SET status = $1 WHERE id = $2", {status, s.id}), 1);
  }

  int64_t Count(const std::string& sql, std::initializer_list<db::Param> params = {}) {
    SealChangeLog();
    std::vector<db::Param> values(params);
    auto n = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, values));
      return rs.rows.at(0).Int(0);
    });
    EXPECT_OK(n);
    return n.ok() ? *n : -1;
  }
  // The change-log rows 'U' of the student.
  int64_t Updates(const Student& s) {
    return Count(
        "SELECT COUNT(*) FROM change_log WHERE entity = 'student' AND op = 'U' AND entity_id = $1",
        {s.id});
  }
  // The year the student graduated in (its own row's promoted_year; 0 if it has not).
  int64_t PromotedYear(const Student& s) {
    return Count("SELECT promoted_year FROM student WHERE id = $1", {s.id});
  }
  // The year of the last promotion of the student's school (current_grade.hpp).
  int64_t SchoolPromotedYear(const Student& s) {
    return Count("SELECT promoted_year FROM org WHERE id = $1", {s.enrolment.school_id});
  }

  Snapshot Take() {
    Snapshot snap;
    snap.history = Count("SELECT COUNT(*) FROM student_change");
    snap.log = Count("SELECT COUNT(*) FROM change_log");
    auto rows = db().Read<db::ResultSet>([&](db::Connection& c) {
      return c.Query("SELECT id, grade, status, version, promoted_year FROM student ORDER BY id");
    });
    EXPECT_OK(rows);
    if (rows.ok()) {
      for (const auto& row : rows->rows)
        snap.students[row.Int(0)] = {row.Int(1), row.Text(2), row.Int(3), row.Int(4)};
    }
    auto schools = db().Read<db::ResultSet>([&](db::Connection& c) {
      return c.Query("SELECT id, promotions, promoted_year FROM org WHERE level = 4");
    });
    EXPECT_OK(schools);
    if (schools.ok())
      for (const auto& row : schools->rows) snap.schools[row.Int(0)] = {row.Int(1), row.Int(2)};
    return snap;
  }

  PromotionReport Run(int year, bool dry_run = false,
                      const org::Scope& where = org::Scope::Everything(), int64_t batch_ids = 50000,
                      const std::function<void(int64_t, int64_t)>& progress = {}) {
    PromotionOptions options;
    options.year = year;
    options.where = where;
    options.dry_run = dry_run;
    options.batch_ids = batch_ids;
    auto r = Promote(db(), clock_, options, progress);
    EXPECT_OK(r);
    if (r.ok()) {
      EXPECT_EQ(r->dry_run, dry_run);
    }
    return r.ok() ? *r : PromotionReport{};
  }

  // Opens a 转班级 case about `s` at the primary school.
  ApprovalCase OpenCase(const Student& s) {
    auto opened = cases_->Open(Registrar(), Definition("status.29"),
                               StudentSubject(cipher_, s.student_number), {{"school", kPrimary}});
    EXPECT_OK(opened);
    return opened.ok() ? *opened : ApprovalCase{};
  }

  // Checks that `s` moved up one grade in `year`, once, with no history row: its school
  // was promoted in the year; the student's own row was not written.
  void ExpectPromoted(const Student& before, int year = 2026) {
    SCOPED_TRACE(before.enrolment.school_code + " grade " + std::to_string(before.enrolment.grade));
    Student now = Reload(before);
    EXPECT_EQ(now.enrolment.grade, before.enrolment.grade + 1);
    EXPECT_EQ(now.enrolment.status, before.enrolment.status);
    EXPECT_EQ(now.enrolment.school_code, before.enrolment.school_code);
    EXPECT_EQ(now.enrolment.class_no, before.enrolment.class_no);
    EXPECT_EQ(now.version, before.version);
    EXPECT_EQ(SchoolPromotedYear(before), year);
    EXPECT_EQ(PromotedYear(before), 0);
    EXPECT_TRUE(ChangesOf(before).empty());
    EXPECT_EQ(Updates(before), 0);
  }
  // Checks that `s` graduated in `year` with one history row, in its grade, on `today`
  // with `ref` (the promotion's by default).
  void ExpectGraduated(const Student& before, int year = 2026, std::string ref = "",
                       const std::string& today = kToday) {
    if (ref.empty()) ref = "promotion:" + std::to_string(year);
    SCOPED_TRACE(before.enrolment.school_code + " grade " + std::to_string(before.enrolment.grade));
    Student now = Reload(before);
    EXPECT_EQ(now.enrolment.status, "07");
    EXPECT_EQ(now.enrolment.grade, before.enrolment.grade);
    EXPECT_EQ(now.version, before.version + 1);
    EXPECT_EQ(PromotedYear(before), year);
    EXPECT_EQ(Updates(before), 1);
    auto changes = ChangesOf(before);
    ASSERT_EQ(changes.size(), 1u);
    const StatusChange& c = changes[0];
    EXPECT_EQ(c.type, "99");
    EXPECT_EQ(c.reason, "毕业");
    EXPECT_EQ(c.change_date, today);
    EXPECT_EQ(c.approved_on, std::optional<std::string>(today));
    EXPECT_EQ(c.approval_ref, std::optional<std::string>(ref));
    EXPECT_EQ(c.case_id, std::nullopt);
    EXPECT_EQ(c.from_school, before.enrolment.school_code);
    EXPECT_EQ(c.to_school, before.enrolment.school_code);
    EXPECT_EQ(c.from_grade, before.enrolment.grade);
    EXPECT_EQ(c.to_grade, before.enrolment.grade);
    EXPECT_EQ(c.from_class, "02");
    EXPECT_EQ(c.to_class, "02");
    EXPECT_EQ(c.status_before, before.enrolment.status);
    EXPECT_EQ(c.status_after, "07");
    EXPECT_EQ(c.recorded_at, FormatUtc(clock_.Now()));
  }
  // Checks that `s` is as it was, with no history row and no change-log row.
  void ExpectUntouched(const Student& before) {
    SCOPED_TRACE(before.enrolment.school_code + " grade " + std::to_string(before.enrolment.grade));
    Student now = Reload(before);
    EXPECT_EQ(now.enrolment.grade, before.enrolment.grade);
    EXPECT_EQ(now.enrolment.status, before.enrolment.status);
    EXPECT_EQ(now.version, before.version);
    EXPECT_EQ(PromotedYear(before), 0);
    EXPECT_TRUE(ChangesOf(before).empty());
    EXPECT_EQ(Updates(before), 0);
  }

  // 01:30 on 11 August 2026 in Beijing, still the 10th in UTC.
  static constexpr const char* kToday = "2026-08-11";
  FixedClock clock_{*ParseUtc("2026-08-10T17:30:00.000Z")};
  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
  std::unique_ptr<StudentStore> students_;
  std::unique_ptr<workflow::CaseStore> cases_;
};

}  // namespace nemis::registry::year_end_testing
