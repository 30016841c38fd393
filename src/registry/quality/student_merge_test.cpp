// Merging a duplicate registration (student_merge.hpp), on both stores: the school of the
// record that goes asks, the school of the record that stays confirms, the lowest
// authority over both approves; the retired record keeps its number and history with a
// 取消学籍 change, the kept one a 99 change, and every finding of the pair is resolved.
// A rejected case leaves everything as it was; a student changed meanwhile stops the
// merge; every refusal writes nothing.
#include "registry/quality/student_merge.hpp"

#include <gtest/gtest.h>

#include "registry/quality/problem_decision.hpp"
#include "registry/quality/problem_testing.hpp"
#include "testing/killed_write.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::registry::quality {
namespace {

using namespace year_end_testing;  // NOLINT(google-build-using-namespace)
using case_testing::ActorWithGrants;
using case_testing::GrantTable;
using nemis::testing::IsErrorCode;
using nemis::testing::IsOk;
using problem_testing::ProblemRecordTest;

const GrantTable kGrants = {
    {"primary.registrar", {{"student.update", kPrimary}}},
    {"junior.registrar", {{"student.update", kJunior}}},
    {"junior.head", {{"student.approve", kJunior}}},
    {"primary.head", {{"student.approve", kPrimary}}},
    {"liwan.registrar", {{"student.update", kLiwan}}},
    {"tianhe.county", {{"student.approve", kTianheCounty}}},
    {"guangzhou.city", {{"student.approve", "440100"}}},
};

MergeRequest Merge(int64_t id, std::string keep, int64_t version = 1,
                   std::string reason = "经核实为同一人，重复注册") {
  MergeRequest r;
  r.problem_id = id;
  r.expected_version = version;
  r.keep = std::move(keep);
  r.reason = std::move(reason);
  r.document = "穗教证〔2026〕7号";
  return r;
}

class StudentMergeTest : public ProblemRecordTest {
 protected:
  void SetUp() override {
    ProblemRecordTest::SetUp();
    merges_ = std::make_unique<StudentMerges>(db(), cipher_, *cases_, clock_);
  }

  Result<ApprovalCase> Open(const std::string& account, const MergeRequest& r,
                            const org::Scope& scope = org::Scope::Everything()) {
    return merges_->Open(ActorWithGrants(account, kGrants), scope, r);
  }
  Result<ApprovalCase> Act(const std::string& account, const ApprovalCase& kase, CaseAction action,
                           const std::string& reason = "") {
    return cases_->Act(
        ActorWithGrants(account, kGrants), Definition("student.merge"), kase.id, action,
        kase.version, reason,
        [this](db::Connection& c, const ApprovalCase& k) { return merges_->OnEnd(c, k); });
  }
  int64_t Merges(const std::string& state) {
    return Count("SELECT COUNT(*) FROM student_merge WHERE state = $1", {state});
  }

  std::unique_ptr<StudentMerges> merges_;
};

TEST_P(StudentMergeTest, TheRetiredSchoolAsksTheKeptSchoolAndTheCountyApprove) {
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kJunior, 8);
  const int64_t pair = Finding("same_name_birth", a, &b);
  EXPECT_EQ(Sql("INSERT INTO student_change (student_id, change_type, change_date, reason, "
                "from_school_code, to_school_code, from_grade, to_grade, from_class, to_class, "
                "status_before, status_after, recorded_at) VALUES ($1, '29', '2026-03-01', "
                "'调班', $2, $2, 3, 3, '01', '02', '01', '01', '2026-03-01T00:00:00.000Z')",
                {a.id, kPrimary}),
            1);
  // 天河区第一小学 found its record is the duplicate: it asks to keep 天河区第一中学's.
  auto opened = Open("primary.registrar", Merge(pair, " other "));
  ASSERT_OK(opened);
  EXPECT_EQ(opened->type, "student.merge");
  EXPECT_EQ(opened->subject, StudentSubject(cipher_, a.student_number));
  EXPECT_EQ(opened->parties.at("retired_school"), kPrimary);
  EXPECT_EQ(opened->parties.at("kept_school"), kJunior);
  EXPECT_EQ(opened->parties.at("authority"), kTianheCounty);
  EXPECT_NE(opened->details.find("\"kindName\""), std::string::npos);
  EXPECT_EQ(opened->details.find(a.name), std::string::npos) << "names are masked in the case";
  EXPECT_EQ(StateOf(pair), "open///2");
  EXPECT_EQ(Merges("pending"), 1);
  // While the merge is open nobody decides the finding otherwise, nor asks twice.
  ProblemDecisionRequest not_duplicate{pair, 2, "not_duplicate", "两人", ""};
  EXPECT_THAT(DecideProblem(db(), clock_, ActorWithGrants("tianhe.county", kGrants),
                            org::Scope::Everything(), not_duplicate),
              IsErrorCode("case_pending"));
  EXPECT_THAT(Open("primary.registrar", Merge(pair, "other", 2)), IsErrorCode("case_pending"));

  // The county cannot skip the kept school; the kept school confirms; the county approves.
  EXPECT_THAT(Act("tianhe.county", *opened, CaseAction::kApprove), IsErrorCode("forbidden"));
  auto confirmed = Act("junior.head", *opened, CaseAction::kApprove);
  ASSERT_OK(confirmed);
  auto approved = Act("tianhe.county", *confirmed, CaseAction::kApprove);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->status, CaseStatus::kApproved);

  const Student retired = Reload(a), kept = Reload(b);
  EXPECT_EQ(retired.student_number, a.student_number) << "a number is never taken back";
  EXPECT_EQ(retired.enrolment.status, "99");
  EXPECT_EQ(retired.version, a.version + 1);
  EXPECT_EQ(kept.enrolment.status, b.enrolment.status);
  EXPECT_EQ(kept.version, b.version + 1);
  auto retired_changes = ChangesOf(a);
  ASSERT_EQ(retired_changes.size(), 2u);
  retired_changes.erase(retired_changes.begin());
  EXPECT_EQ(retired_changes[0].type, "18");
  EXPECT_EQ(retired_changes[0].status_before, "01");
  EXPECT_EQ(retired_changes[0].status_after, "99");
  EXPECT_EQ(retired_changes[0].case_id, std::optional<int64_t>(opened->id));
  EXPECT_EQ(retired_changes[0].approval_ref, std::optional<std::string>("穗教证〔2026〕7号"));
  EXPECT_EQ(retired_changes[0].change_date, kToday);
  EXPECT_NE(retired_changes[0].reason.find("保留学籍号"), std::string::npos);
  EXPECT_EQ(retired_changes[0].reason.find(b.student_number), std::string::npos)
      << "the other number is masked: a G number holds an ID";
  // The kept student's history holds the retired one's (but its 取消学籍), marked as such.
  auto kept_changes = ChangesOf(b);
  ASSERT_EQ(kept_changes.size(), 2u);
  EXPECT_EQ(kept_changes[0].type, "29");
  EXPECT_TRUE(kept_changes[0].merged_record);
  kept_changes.erase(kept_changes.begin());
  EXPECT_FALSE(kept_changes[0].merged_record);
  EXPECT_EQ(kept_changes[0].type, "99");
  EXPECT_EQ(kept_changes[0].status_before, kept_changes[0].status_after);
  EXPECT_NE(kept_changes[0].reason.find(kPrimary), std::string::npos);
  EXPECT_EQ(StateOf(pair), "resolved/merged/经核实为同一人，重复注册/3");
  EXPECT_EQ(Merges("applied"), 1);
  EXPECT_EQ(Updates(a), 1);
  EXPECT_EQ(Updates(b), 1);
  EXPECT_EQ(Count("SELECT case_id FROM problem_record WHERE id = $1", {pair}), opened->id);
  // Done once: the finding is closed, and the retired record merges into nothing else.
  EXPECT_THAT(Open("primary.registrar", Merge(pair, "other", 3)), IsErrorCode("problem_closed"));
  const Student c = Enrol(3, kJunior, 8);
  const int64_t again = Finding("similar_name", b, &c);
  EXPECT_THAT(Open("junior.registrar", Merge(again, "other")), IsOk());
  const int64_t with_retired = Finding("similar_name", c, &a);
  EXPECT_THAT(Open("junior.registrar", Merge(with_retired, "other")),
              IsErrorCode("already_merged"));
}

TEST_P(StudentMergeTest, AcrossCountiesTheCityApproves) {
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kLiwan, 3);
  const int64_t pair = Finding("similar_name", a, &b);
  auto opened = Open("liwan.registrar", Merge(pair, "student"));
  ASSERT_OK(opened);
  EXPECT_EQ(opened->parties.at("authority"), "440100");
  auto confirmed = Act("primary.head", *opened, CaseAction::kApprove);
  ASSERT_OK(confirmed);
  EXPECT_THAT(Act("tianhe.county", *confirmed, CaseAction::kApprove), IsErrorCode("forbidden"));
  ASSERT_OK(Act("guangzhou.city", *confirmed, CaseAction::kApprove));
  EXPECT_EQ(Reload(b).enrolment.status, "99");
  EXPECT_EQ(Reload(a).enrolment.status, "01");
}

TEST_P(StudentMergeTest, ARejectedMergeLeavesBothRecordsAndFreesTheFinding) {
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kJunior, 8);
  const int64_t pair = Finding("same_name_birth", a, &b);
  auto opened = Open("primary.registrar", Merge(pair, "other"));
  ASSERT_OK(opened);
  const Snapshot before = Take();
  auto rejected = Act("junior.head", *opened, CaseAction::kReject, "不是同一人");
  ASSERT_OK(rejected);
  EXPECT_EQ(rejected->status, CaseStatus::kRejected);
  EXPECT_EQ(Reload(a).version, a.version);
  EXPECT_EQ(Reload(b).version, b.version);
  EXPECT_TRUE(ChangesOf(a).empty());
  EXPECT_EQ(Merges("pending") + Merges("applied"), 0);
  EXPECT_EQ(Take().students, before.students);
  EXPECT_EQ(StateOf(pair), "open///3");
  // The county may now decide otherwise.
  ProblemDecisionRequest not_duplicate{pair, 3, "not_duplicate", "两人", ""};
  EXPECT_THAT(DecideProblem(db(), clock_, ActorWithGrants("tianhe.county", kGrants),
                            org::Scope::Everything(), not_duplicate),
              IsOk());
}

TEST_P(StudentMergeTest, AStudentChangedMeanwhileStopsTheMerge) {
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kJunior, 8);
  const int64_t pair = Finding("same_name_birth", a, &b);
  auto opened = Open("primary.registrar", Merge(pair, "other"));
  ASSERT_OK(opened);
  auto confirmed = Act("junior.head", *opened, CaseAction::kApprove);
  ASSERT_OK(confirmed);
  EXPECT_EQ(Sql("UPDATE student SET grade = 9, version = version + 1 WHERE id = $1", {b.id}), 1);
  EXPECT_THAT(Act("tianhe.county", *confirmed, CaseAction::kApprove), IsErrorCode("merge_stale"));
  EXPECT_EQ(Reload(a).enrolment.status, "01");
  EXPECT_TRUE(ChangesOf(a).empty());
  EXPECT_EQ(Merges("pending"), 1);
  EXPECT_EQ(StateOf(pair), "open///2");
  auto kase = cases_->Get(opened->id);
  ASSERT_OK(kase);
  EXPECT_TRUE(kase->IsOpen());
  // Cancelled by whoever asked: the finding is free again.
  ASSERT_OK(Act("primary.registrar", *kase, CaseAction::kCancel));
  EXPECT_EQ(Merges("pending"), 0);
  EXPECT_EQ(StateOf(pair), "open///3");
}

// The process approving the merge is killed before each statement of the approval in
// turn (testing/killed_write.hpp): both records, the finding and the change log stay as
// they were; the run that is not killed merges once.
TEST_P(StudentMergeTest, AFinalApprovalKilledAtAnyStatementLeavesNothingHalfDone) {
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kJunior, 8);
  const int64_t pair = Finding("same_name_birth", a, &b);
  auto opened = Open("primary.registrar", Merge(pair, "other"));
  ASSERT_OK(opened);
  auto confirmed = Act("junior.head", *opened, CaseAction::kApprove);
  ASSERT_OK(confirmed);
  const Snapshot before = Take();
  const workflow::Actor county = ActorWithGrants("tianhe.county", kGrants);
  const auto approve_in_child = [&](db::Database& store) {
    workflow::CaseStore cases(store, clock_, workflow::WorkingCalendar::Shipped());
    StudentMerges merges(store, cipher_, cases, clock_);
    (void)cases.Act(county, Definition("student.merge"), opened->id, CaseAction::kApprove,
                    confirmed->version, "",
                    [&](db::Connection& c, const ApprovalCase& k) { return merges.OnEnd(c, k); });
  };
  int kills = 0;
  for (int at = 1; at < 500; ++at) {
    if (testing::RunKilledAt(url(), StoreOptions(), at, approve_in_child) ==
        testing::KilledRun::kFinished)
      break;
    ++kills;
    SCOPED_TRACE("killed before statement " + std::to_string(at));
    EXPECT_EQ(Take(), before);
    EXPECT_EQ(StateOf(pair), "open///2");
    EXPECT_EQ(Merges("pending"), 1);
  }
  EXPECT_GE(kills, 6);
  EXPECT_EQ(Reload(a).enrolment.status, "99");
  EXPECT_EQ(StateOf(pair), "resolved/merged/经核实为同一人，重复注册/3");
  EXPECT_EQ(Merges("applied"), 1);
}

TEST_P(StudentMergeTest, RefusalsWriteNothing) {
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kJunior, 8);
  const int64_t pair = Finding("same_name_birth", a, &b);
  const int64_t single = Finding("no_guardian", a);
  const Snapshot before = Take();

  auto empty = Open("primary.registrar", Merge(pair, "", 1, " "));
  ASSERT_FALSE(empty.ok());
  ASSERT_EQ(empty.error().fields.size(), 2u);
  EXPECT_EQ(empty.error().fields[0].field, "keep");
  EXPECT_EQ(empty.error().fields[0].code, "required");
  EXPECT_EQ(empty.error().fields[1].field, "reason");
  auto unknown = Open("primary.registrar", Merge(pair, "both"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().fields.at(0).code, "unknown_side");
  EXPECT_THAT(Open("primary.registrar", Merge(single, "student")), IsErrorCode("not_mergeable"));
  // Only the school whose record goes asks: not the school that keeps, not a county.
  EXPECT_THAT(Open("primary.registrar", Merge(pair, "student")), IsErrorCode("forbidden"));
  EXPECT_THAT(Open("tianhe.county", Merge(pair, "other")), IsErrorCode("forbidden"));
  EXPECT_THAT(Open("primary.registrar", Merge(pair, "other", 5)), IsErrorCode("version_conflict"));
  EXPECT_THAT(Open("primary.registrar", Merge(pair + 100, "other")), IsErrorCode("not_found"));
  EXPECT_THAT(Open("liwan.registrar", Merge(pair, "other"), org::Scope::Of(Institution(kLiwan))),
              IsErrorCode("not_found"));
  // A case about either student first.
  const ApprovalCase busy = OpenCase(a);
  EXPECT_THAT(Open("primary.registrar", Merge(pair, "other")), IsErrorCode("case_pending"));
  ASSERT_OK(cases_->Act(Registrar(), Definition("status.29"), busy.id, CaseAction::kCancel,
                        busy.version, ""));
  // The record with a document stays: b without one cannot keep a's.
  EXPECT_EQ(Sql("UPDATE student SET id_type = NULL, id_index = NULL WHERE id = $1", {b.id}), 1);
  EXPECT_THAT(Open("primary.registrar", Merge(pair, "other")), IsErrorCode("keep_documented"));

  EXPECT_EQ(Take().students, before.students);
  EXPECT_EQ(Merges("pending") + Merges("applied"), 0);
  EXPECT_EQ(StateOf(pair), "open///1");
  EXPECT_EQ(StateOf(single), "open///1");
}

}  // namespace

NEMIS_STORE_TEST_SUITE(StudentMergeTest);

}  // namespace nemis::registry::quality
