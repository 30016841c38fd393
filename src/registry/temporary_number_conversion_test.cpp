// L → G on both stores: an L student whose resident ID the population register found 一致
// gets G + its ID (found by it afterwards, by the L number no more), the L number kept as
// its former number, the change logged for the exchange; a G student, an L student not
// checked or found 姓名不符, a dead one, one with an open case, one whose ID the country holds
// elsewhere and one whose G number is held are left as they are and counted; a dry run
// changes nothing; a second run converts nothing more; a failing national check stops the
// run with what was converted kept.
#include "registry/temporary_number_conversion.hpp"

#include <gtest/gtest.h>

#include "db/change_log.hpp"
#include "registry/number_testing.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_lock.hpp"
#include "workflow/case_store.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::registry {
namespace {

using number_testing::kSchool1;

class ConversionTest : public number_testing::NumberTest {
 protected:
  // Marks `s` as the population register found it.
  void Checked(const Student& s, const std::string& verdict = "match") {
    ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(
          c.Query("UPDATE student SET population_check = $1, population_checked_on = "
                  "'2026-12-01' WHERE id = $2",
                  {verdict, s.id}));
      return {};
    }));
  }

  Result<ConversionReport> Convert(const RegisteredElsewhere& elsewhere = {}, bool dry = false) {
    ConversionOptions options;
    options.now = "2026-12-06T08:00:00Z";
    options.dry_run = dry;
    return ConvertTemporaryNumbers(db(), cipher_, org::Scope::Everything(), elsewhere, options);
  }

  // Change-log rows of students, sealed first (on PostgreSQL a write only queues its rows).
  int64_t StudentChanges() {
    EXPECT_OK(db::SealChanges(db()));
    return Count("SELECT COUNT(*) FROM change_log WHERE entity = 'student'");
  }

  std::string KindOf(const Student& s) {
    return Text("SELECT number_kind FROM student WHERE id = " + std::to_string(s.id));
  }
};

TEST_P(ConversionTest, GivesACheckedLStudentItsGNumberAndKeepsTheLNumber) {
  Student l = Enrol(1, true);
  ASSERT_EQ(l.number_kind, 'L');
  Checked(l);
  const int64_t logged = StudentChanges();
  auto r = Convert();
  ASSERT_OK(r);
  EXPECT_EQ(*r, (ConversionReport{1, 1, 0, 0, 0}));

  auto now = students_->Get(StudentViewer::Node(), "G" + *l.id_number);
  ASSERT_OK(now);
  EXPECT_EQ(now->id, l.id);
  EXPECT_EQ(now->number_kind, 'G');
  EXPECT_EQ(now->name, l.name);
  EXPECT_EQ(now->version, l.version + 1);
  EXPECT_FALSE(students_->Get(StudentViewer::Node(), l.student_number).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_former_number WHERE student_id = " +
                  std::to_string(l.id) + " AND number_kind = 'L' AND number_index = '" +
                  NumberIndex(cipher_, l.student_number) + "'"),
            1);
  EXPECT_EQ(StudentChanges(), logged + 1);

  auto again = Convert();
  ASSERT_OK(again);
  EXPECT_EQ(*again, ConversionReport{});
}

TEST_P(ConversionTest, LeavesWhatDoesNotQualify) {
  Student g = Enrol(1, false), unchecked = Enrol(2, true), mismatch = Enrol(3, true),
          dead = Enrol(4, true);
  Checked(g);
  Checked(mismatch, "name_mismatch");
  Checked(dead);
  ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE student SET status = '11' WHERE id = $1", {dead.id}));
    return {};
  }));
  auto r = Convert();
  ASSERT_OK(r);
  EXPECT_EQ(*r, ConversionReport{});
  EXPECT_EQ(KindOf(unchecked), "L");
  EXPECT_EQ(KindOf(mismatch), "L");
  EXPECT_EQ(KindOf(dead), "L");
}

TEST_P(ConversionTest, DryRunChangesNothing) {
  Student l = Enrol(1, true);
  Checked(l);
  auto r = Convert({}, /*dry=*/true);
  ASSERT_OK(r);
  EXPECT_EQ(r->converted, 1);
  EXPECT_EQ(KindOf(l), "L");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_former_number"), 0);
}

TEST_P(ConversionTest, AnOpenCaseKeepsTheNumber) {
  Student l = Enrol(1, true);
  Checked(l);
  workflow::CaseStore cases(db(), clock_, workflow::WorkingCalendar::Shipped());
  workflow::Actor registrar;
  registrar.account = "school1.registrar";
  registrar.may = [](std::string_view permission, const org::Institution& at) {
    return permission == "student.update" && at.code == kSchool1;
  };
  const auto* definition = workflow::DefinitionCatalog::Builtin().Find("status.02");
  ASSERT_NE(definition, nullptr);
  ASSERT_OK(cases.Open(registrar, *definition, StudentSubject(cipher_, l.student_number),
                       {{"school", kSchool1}, {"county", "440106"}}));
  auto r = Convert();
  ASSERT_OK(r);
  EXPECT_EQ(*r, (ConversionReport{1, 0, 0, 1, 0}));
  EXPECT_EQ(KindOf(l), "L");
}

TEST_P(ConversionTest, AskedTheCountryLeavesAnIdRegisteredElsewhere) {
  Student l1 = Enrol(1, true), l2 = Enrol(2, true);
  Checked(l1);
  Checked(l2);
  std::vector<std::string> asked;
  RegisteredElsewhere elsewhere = [&](const std::string& id) -> Result<std::optional<std::string>> {
    asked.push_back(id);
    if (id == *l2.id_number) return std::optional<std::string>("45 南宁市某小学");
    return std::optional<std::string>();
  };
  auto r = Convert(elsewhere);
  ASSERT_OK(r);
  EXPECT_EQ(*r, (ConversionReport{2, 1, 1, 0, 0}));
  EXPECT_EQ(asked, (std::vector<std::string>{*l1.id_number, *l2.id_number}));
  EXPECT_EQ(KindOf(l1), "G");
  EXPECT_EQ(KindOf(l2), "L");
}

TEST_P(ConversionTest, AFailingNationalCheckStopsWithWhatWasConvertedKept) {
  Student l1 = Enrol(1, true), l2 = Enrol(2, true);
  Checked(l1);
  Checked(l2);
  RegisteredElsewhere down = [&](const std::string& id) -> Result<std::optional<std::string>> {
    if (id == *l2.id_number) return Error::Unavailable("国家节点不可达");
    return std::optional<std::string>();
  };
  EXPECT_FALSE(Convert(down).ok());
  EXPECT_EQ(KindOf(l1), "G");
  EXPECT_EQ(KindOf(l2), "L");
  auto rest = Convert();
  ASSERT_OK(rest);
  EXPECT_EQ(rest->converted, 1);
  EXPECT_EQ(KindOf(l2), "G");
}

TEST_P(ConversionTest, AHeldGNumberIsLeftForAMerge) {
  Student l = Enrol(1, true);
  Checked(l);
  // Another student's former number is the G number (never reused, never another's).
  Student other = Enrol(2, false);
  ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query(
        "INSERT INTO student_former_number (number_index, student_id, "
        "number_kind, replaced_at, reason) VALUES ($1, $2, 'G', $3, 'test')",
        {NumberIndex(cipher_, "G" + *l.id_number), other.id, std::string("2026-01-01T00:00:00Z")}));
    return {};
  }));
  auto r = Convert();
  ASSERT_OK(r);
  EXPECT_EQ(*r, (ConversionReport{1, 0, 0, 0, 1}));
  EXPECT_EQ(KindOf(l), "L");
}

NEMIS_STORE_TEST_SUITE(ConversionTest);

}  // namespace
}  // namespace nemis::registry
