// 新学年分班 (class_assignment.hpp) on both stores: a list places every student in its class
// with the change log and no history row, counted per school; a dry run counts without
// writing; the same list again changes nothing; a list with any bad row writes nothing
// and names every row; a student outside the scope is not found; a run killed between
// batches is finished by the same list sent again.
#include "registry/class_assignment.hpp"

#include <gtest/gtest.h>

#include "registry/year_end_testing.hpp"
#include "testing/killed_write.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::registry {
namespace {

using namespace year_end_testing;  // NOLINT(google-build-using-namespace)
using nemis::testing::IsErrorCode;

class ClassAssignmentTest : public YearEndTest {
 protected:
  Result<ClassAssignmentReport> Assign(std::vector<ClassAssignmentEntry> rows, bool dry_run = false,
                                       const org::Scope& scope = org::Scope::Everything(),
                                       size_t batch_rows = 1000) {
    return AssignClasses(db(), cipher_, clock_, scope, {std::move(rows), dry_run}, batch_rows);
  }
  std::string ClassOf(const Student& s) { return Reload(s).enrolment.class_no; }
};

TEST_P(ClassAssignmentTest, AListPlacesEachStudentCountedPerSchoolAndAgainChangesNothing) {
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kPrimary, 3), c = Enrol(3, kJunior, 7);
  const std::vector<ClassAssignmentEntry> list = {
      {a.student_number, " 05 "}, {b.student_number, "02"}, {c.student_number, "初一(3)班"}};

  auto dry = Assign(list, true);
  ASSERT_OK(dry);
  EXPECT_TRUE(dry->dry_run);
  EXPECT_EQ(dry->total.assigned, 2);
  EXPECT_EQ(dry->total.unchanged, 1) << "b is in class 02 already";
  EXPECT_EQ(ClassOf(a), "02") << "a dry run writes nothing";
  EXPECT_EQ(Updates(a), 0);

  auto done = Assign(list);
  ASSERT_OK(done);
  EXPECT_FALSE(done->dry_run);
  EXPECT_EQ(done->schools.at(kPrimary).assigned, 1);
  EXPECT_EQ(done->schools.at(kPrimary).unchanged, 1);
  EXPECT_EQ(done->schools.at(kJunior).assigned, 1);
  EXPECT_EQ(ClassOf(a), "05");
  EXPECT_EQ(ClassOf(b), "02");
  EXPECT_EQ(ClassOf(c), "初一(3)班");
  EXPECT_EQ(Reload(a).version, a.version + 1);
  EXPECT_EQ(Reload(b).version, b.version);
  EXPECT_EQ(Updates(a), 1);
  EXPECT_EQ(Updates(b), 0);
  EXPECT_TRUE(ChangesOf(a).empty()) << "a new-year class is not a 转班级";

  auto again = Assign(list);
  ASSERT_OK(again);
  EXPECT_EQ(again->total.assigned, 0);
  EXPECT_EQ(again->total.unchanged, 3);
  EXPECT_EQ(Updates(a), 1);
}

TEST_P(ClassAssignmentTest, ABadRowWritesNothingAndEveryRowIsNamed) {
  const Student a = Enrol(1, kPrimary, 3), gone = Enrol(2, kPrimary, 3),
                busy = Enrol(3, kPrimary, 3), other = Enrol(4, kLiwan, 3);
  SetStatus(gone, "07");
  OpenCase(busy);
  const Snapshot before = Take();
  auto refused = Assign({{a.student_number, "05"},
                         {a.student_number, "06"},
                         {"", "01"},
                         {gone.student_number, "01"},
                         {busy.student_number, "01"},
                         {other.student_number, "01"},
                         {"G44010620990101000X", ""},
                         {a.student_number + "0", std::string(21, '1')}},
                        false, org::Scope::Of(Institution(kPrimary)));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "validation_failed");
  std::vector<std::pair<std::string, std::string>> fields;
  for (const FieldError& f : refused.error().fields) fields.emplace_back(f.field, f.code);
  EXPECT_EQ(fields, (std::vector<std::pair<std::string, std::string>>{
                        {"students[1].studentNumber", "duplicate"},
                        {"students[2].studentNumber", "required"},
                        {"students[3].studentNumber", "not_in_school"},
                        {"students[4].studentNumber", "case_pending"},
                        {"students[5].studentNumber", "not_found"},
                        {"students[6].class", "required"},
                        {"students[7].class", "bad_class"},
                    }));
  EXPECT_EQ(refused.error().fields[0].message, "第 2 行：学籍号在名单中重复");
  EXPECT_EQ(Take(), before);
  EXPECT_THAT(Assign({}), IsErrorCode("validation_failed"));
  std::vector<ClassAssignmentEntry> too_many(kMaxClassAssignmentRows + 1, {a.student_number, "1"});
  auto long_list = Assign(too_many);
  ASSERT_FALSE(long_list.ok());
  EXPECT_EQ(long_list.error().fields.at(0).code, "too_many");
}

// Killed before each statement of the writes in turn, with one student per batch: what
// the store keeps is whole batches, and the same list again places everyone, once.
TEST_P(ClassAssignmentTest, AKilledRunIsFinishedByTheSameList) {
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kPrimary, 3), c = Enrol(3, kPrimary, 4);
  const std::vector<ClassAssignmentEntry> list = {
      {a.student_number, "05"}, {b.student_number, "06"}, {c.student_number, "07"}};
  const std::vector<const Student*> students = {&a, &b, &c};
  for (int at = 1; at < 200; ++at) {
    std::vector<int64_t> logged;
    logged.reserve(students.size());
    for (const Student* s : students) logged.push_back(Updates(*s));
    const auto run = [&](db::Database& store) {
      (void)AssignClasses(store, cipher_, clock_, org::Scope::Everything(), {list, false}, 1);
    };
    if (testing::RunKilledAt(url(), StoreOptions(), at, run) == testing::KilledRun::kFinished)
      break;
    SCOPED_TRACE("killed before statement " + std::to_string(at));
    // A prefix of the list is placed, each with its change-log row; the rest untouched.
    bool placed = true;
    for (size_t i = 0; i < students.size(); ++i) {
      const bool here = ClassOf(*students[i]) == list[i].class_no;
      EXPECT_FALSE(here && !placed) << "student " << i << " placed after an unplaced one";
      EXPECT_EQ(Updates(*students[i]) - logged[i], here ? 1 : 0);
      placed = placed && here;
    }
    auto finished = Assign(list);
    ASSERT_OK(finished);
    EXPECT_EQ(finished->total.assigned + finished->total.unchanged, 3);
    for (size_t i = 0; i < students.size(); ++i) {
      EXPECT_EQ(ClassOf(*students[i]), list[i].class_no);
      EXPECT_EQ(Updates(*students[i]) - logged[i], 1);
    }
    // Back to the classes Enrol gave (behind the registry's back), for the next kill.
    EXPECT_EQ(Sql("UPDATE student SET class_no = '02'"), 3);
  }
}

}  // namespace

NEMIS_STORE_TEST_SUITE(ClassAssignmentTest);

}  // namespace nemis::registry
