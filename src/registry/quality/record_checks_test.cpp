#include "registry/quality/record_checks.hpp"

#include <gtest/gtest.h>

#include "registry/personal_record.hpp"

namespace nemis::registry::quality {
namespace {

// A grade-1 pupil (norm: 6 on 31 August 2026) with an ID and a guardian, scanned on
// 2026-11-01 (school year 2026-2027).
RecordFacts Pupil() {
  RecordFacts f;
  f.id = 1;
  f.school_id = 10;
  f.created_at = "2026-09-01T02:00:00.000Z";
  f.id_check = 0;
  f.has_id = f.has_guardian = f.has_guardian_id = true;
  f.stage = "primary";
  f.status = "01";
  f.grade = 1;
  f.birth = 20200315;
  return f;
}

CheckRules Rules() {
  CheckRules r;
  r.today = {2026, 11, 1};
  r.temp_number_max_days = 365;
  r.age_tolerance_years = 2;
  return r;
}

std::vector<ProblemKind> Kinds(const RecordFacts& f, const CheckRules& rules = Rules()) {
  std::vector<Finding> out;
  CheckRecord(f, rules, out);
  std::vector<ProblemKind> kinds;
  kinds.reserve(out.size());
  for (const auto& x : out) kinds.push_back(x.kind);
  return kinds;
}

using KindList = std::vector<ProblemKind>;

TEST(RecordChecksTest, CleanPupilHasNoFinding) { EXPECT_EQ(Kinds(Pupil()), KindList{}); }

TEST(RecordChecksTest, AgeOnTheCutoffDay) {
  EXPECT_EQ(AgeOnSchoolYearCutoff(20200831, {2026, 11, 1}), 6);
  EXPECT_EQ(AgeOnSchoolYearCutoff(20200901, {2026, 11, 1}), 5);
  EXPECT_EQ(AgeOnSchoolYearCutoff(20200831, {2026, 8, 31}), 5);  // still school year 2025
}

TEST(RecordChecksTest, AgeToleranceEdge) {
  RecordFacts f = Pupil();
  f.birth = 20180831;  // 8 on 31 August 2026: norm 6 + 2, inside the tolerance
  EXPECT_EQ(Kinds(f), KindList{});
  f.birth = 20170831;  // 9: three years off
  EXPECT_EQ(Kinds(f), KindList{ProblemKind::kAgeOffGrade});
  f.birth = 20220901;  // 3 on 31 August 2026: three years young
  EXPECT_EQ(Kinds(f), KindList{ProblemKind::kAgeOffGrade});
  CheckRules wide = Rules();
  wide.age_tolerance_years = 3;
  EXPECT_EQ(Kinds(f, wide), KindList{});
  f.status = "02";  // 休学: not held to its grade's age
  EXPECT_EQ(Kinds(f), KindList{});
}

TEST(RecordChecksTest, AgeDetailsHaveNoBirthDate) {
  RecordFacts f = Pupil();
  f.birth = 20170831;
  std::vector<Finding> out;
  CheckRecord(f, Rules(), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].details, R"({"grade":1,"age":9,"norm":6})");
}

TEST(RecordChecksTest, TemporaryNumberHeldTooLongEdge) {
  RecordFacts f = Pupil();
  f.number_kind = 'L';
  f.created_at = "2025-11-01T01:00:00.000Z";  // 365 days before 2026-11-01: not yet
  EXPECT_EQ(Kinds(f), KindList{});
  f.created_at = "2025-10-31T01:00:00.000Z";  // 366 days
  EXPECT_EQ(Kinds(f), KindList{ProblemKind::kTempNumberOverdue});
  f.number_kind = 'J';
  EXPECT_EQ(Kinds(f), KindList{ProblemKind::kTempNumberOverdue});
  f.number_kind = 'G';
  EXPECT_EQ(Kinds(f), KindList{});
}

TEST(RecordChecksTest, GuardianRules) {
  RecordFacts f = Pupil();
  f.has_id = false;
  f.has_guardian_id = false;
  EXPECT_EQ(Kinds(f), KindList{ProblemKind::kGuardianIdMissing});
  f.has_guardian = false;
  EXPECT_EQ(Kinds(f), KindList{ProblemKind::kNoGuardian});
  f.has_id = true;  // a student with a document needs no guardian ID, but a guardian
  EXPECT_EQ(Kinds(f), KindList{ProblemKind::kNoGuardian});
  f.stage = "higher";
  EXPECT_EQ(Kinds(f), KindList{});
}

TEST(RecordChecksTest, IdCheckFlags) {
  RecordFacts f = Pupil();
  f.id_check = kIdBirthDiffers | kIdGenderDiffers;
  std::vector<Finding> out;
  CheckRecord(f, Rules(), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, ProblemKind::kIdMismatch);
  EXPECT_EQ(out[0].details, R"({"invalid":false,"birthDiffers":true,"genderDiffers":true})");
  f.id_check.reset();  // not backfilled: nothing known
  EXPECT_EQ(Kinds(f), KindList{});
}

}  // namespace
}  // namespace nemis::registry::quality
