// Approval cases on both stores: the steps in order, each acted on only by its party's
// holders of the step's permission; deadlines in working days; return, reject, cancel and
// their reasons; two approvers at once; and the history, change log and audit entry that
// every action writes together with it, or not at all.
#include "workflow/case_store.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <set>
#include <thread>
#include <tuple>

#include "audit/audit_query.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "testing/audit_log_refusal.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::workflow {
namespace {

// Same-county transfer as practised (STANDARDS.md): the receiving school applies, the
// sending school and then the county bureau approve.
constexpr std::string_view kSameCounty = R"({
  "type": "transfer.same_county", "title": "同县转学", "stepDeadlineWorkingDays": 10,
  "opener": {"party": "receiving_school", "permission": "transfer.request"},
  "steps": [
    {"name": "转出校审核", "party": "sending_school", "permission": "transfer.approve"},
    {"name": "县级主管部门审核", "party": "county", "permission": "transfer.approve"}
  ]})";

const std::map<std::string, std::string> kParties = {
    {"receiving_school", "2144000001"}, {"sending_school", "2144000002"}, {"county", "440106"}};

// Accounts and what each may do where: (permission, institution).
const std::map<std::string, std::set<std::pair<std::string, std::string>>> kGrants = {
    {"receiver", {{"transfer.request", "2144000001"}}},
    {"sender", {{"transfer.approve", "2144000002"}}},
    {"sender.deputy", {{"transfer.approve", "2144000002"}}},
    {"county", {{"transfer.approve", "440106"}}},
    {"other.county", {{"transfer.approve", "440107"}}},
};

Actor ActorFor(const std::string& account) {
  Actor a;
  a.account = account;
  a.roles = "test";
  a.request_id = "req-" + account;
  a.may = [account](std::string_view permission, const org::Institution& at) {
    auto it = kGrants.find(account);
    return it != kGrants.end() && it->second.count({std::string(permission), at.code}) > 0;
  };
  return a;
}

class CaseStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    org::OrgStore orgs(db(), clock_);
    ASSERT_OK(orgs.SeedDivisions("440000"));
    AddSchool(orgs, "2144000001", "440106", "天河区第一小学");
    AddSchool(orgs, "2144000002", "440106", "天河区第二小学");
    AddSchool(orgs, "2144000003", "440105", "海珠区第一小学");
    auto def = WorkflowDefinition::FromJson(kSameCounty);
    ASSERT_OK(def);
    definition_ = *def;
    store_ = std::make_unique<CaseStore>(db(), clock_, WorkingCalendar::Shipped());
  }
  static void AddSchool(org::OrgStore& orgs, const std::string& code, const std::string& county,
                        const std::string& name) {
    org::InstitutionInput in;
    in.code = code;
    in.parent_code = county;
    in.name = name;
    in.school_type = "211";
    ASSERT_OK(orgs.Create(org::Scope::Everything(), in));
  }
  ApprovalCase OpenCase() {
    auto opened = store_->Open(ActorFor("receiver"), definition_, "student:test", kParties);
    EXPECT_OK(opened);
    return opened.ok() ? *opened : ApprovalCase{};
  }
  Result<ApprovalCase> Act(const std::string& account, const ApprovalCase& c, CaseAction action,
                           std::string_view reason = "") {
    return store_->Act(ActorFor(account), definition_, c.id, action, c.version, reason);
  }
  int64_t Count(const std::string& sql) {
    auto n = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      return rs.rows.at(0).Int(0);
    });
    EXPECT_OK(n);
    return n.ok() ? *n : -1;
  }
  std::vector<std::string> AuditActions() {
    audit::AuditFilter filter;
    filter.limit = audit::kMaxQueryLimit;
    auto page = audit::Query(db(), filter);
    EXPECT_OK(page);
    std::vector<std::string> actions;
    if (page.ok())
      for (const auto& r : page->records)
        if (r.entry.action.starts_with("case.")) actions.push_back(r.entry.action);
    return actions;
  }

  // Wednesday 30 September 2026, 10:00 in Beijing: the National Day holiday follows.
  FixedClock clock_{*ParseUtc("2026-09-30T02:00:00.000Z")};
  WorkflowDefinition definition_;
  std::unique_ptr<CaseStore> store_;
};

TEST_P(CaseStoreTest, StepsAreApprovedInOrderByTheirParties) {
  ApprovalCase c = OpenCase();
  EXPECT_EQ(c.status, CaseStatus::kOpen);
  EXPECT_EQ(c.step, 0);
  // The county may not act before the sending school has.
  ASSERT_THAT(Act("county", c, CaseAction::kApprove), nemis::testing::IsErrorCode("forbidden"));
  auto first = Act("sender", c, CaseAction::kApprove);
  ASSERT_OK(first);
  EXPECT_EQ(first->step, 1);
  EXPECT_EQ(first->version, 2);
  ASSERT_THAT(Act("other.county", *first, CaseAction::kApprove),
              nemis::testing::IsErrorCode("forbidden"));
  auto last = Act("county", *first, CaseAction::kApprove);
  ASSERT_OK(last);
  EXPECT_EQ(last->status, CaseStatus::kApproved);
  auto read = store_->Get(c.id);
  ASSERT_OK(read);
  ASSERT_EQ(read->history.size(), 3u);
  EXPECT_EQ(read->history[0].action, CaseAction::kOpen);
  EXPECT_EQ(read->history[1].actor, "sender");
  EXPECT_EQ(read->history[1].step, 0);
  EXPECT_EQ(read->history[2].status_after, CaseStatus::kApproved);
  EXPECT_EQ(read->version, 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM wf_case WHERE waiting_org = ''"), 1)
      << "closed: waits for none";
  SealChangeLog();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'wf_case'"), 3);
  EXPECT_EQ(AuditActions(),
            (std::vector<std::string>{"case.open", "case.approve", "case.approve"}));
}

TEST_P(CaseStoreTest, AStepIsDueTenWorkingDaysAfterItStarted) {
  ApprovalCase c = OpenCase();
  // 1-7 October are holidays, Saturday 10 October is a make-up working day.
  EXPECT_EQ(c.due_on.ToIso(), "2026-10-20");
  EXPECT_FALSE(c.OverdueOn(*ParseIsoDate("2026-10-20")));
  EXPECT_TRUE(c.OverdueOn(*ParseIsoDate("2026-10-21")));
  clock_.Set(*ParseUtc("2026-10-12T01:00:00.000Z"));  // Monday 12 October
  auto next = Act("sender", c, CaseAction::kApprove);
  ASSERT_OK(next);
  EXPECT_EQ(next->step_started_on.ToIso(), "2026-10-12");
  EXPECT_EQ(next->due_on.ToIso(), "2026-10-26");
}

// A year the node's calendar lacks does not stop cases: its days count Monday to Friday.
// Wednesday 30 December 2026 + 10: 31 December, then 1, 4-8, 11-13 January 2027.
TEST_P(CaseStoreTest, ADeadlineInAYearTheCalendarLacksCountsMondayToFriday) {
  clock_.Set(*ParseUtc("2026-12-30T02:00:00.000Z"));
  ApprovalCase c = OpenCase();
  EXPECT_EQ(c.due_on.ToIso(), "2027-01-13");
}

TEST_P(CaseStoreTest, TwoApproversAtOnceOneWinsTheOtherConflicts) {
  ApprovalCase c = OpenCase();
  std::latch start(2);
  Result<ApprovalCase> a = Error::Internal("not run"), b = Error::Internal("not run");
  std::thread first([&] {
    start.arrive_and_wait();
    a = Act("sender", c, CaseAction::kApprove);
  });
  std::thread second([&] {
    start.arrive_and_wait();
    b = Act("sender.deputy", c, CaseAction::kReject, "材料不全");
  });
  first.join();
  second.join();
  ASSERT_NE(a.ok(), b.ok()) << "exactly one wins";
  const Error& lost = a.ok() ? b.error() : a.error();
  EXPECT_EQ(lost.code, "version_conflict");
  EXPECT_EQ(lost.kind, ErrorKind::kConflict);
  auto read = store_->Get(c.id);
  ASSERT_OK(read);
  EXPECT_EQ(read->version, 2);
  EXPECT_EQ(read->history.size(), 2u);
  EXPECT_EQ(AuditActions().size(), 2u);
}

TEST_P(CaseStoreTest, ReturnGoesBackOneStepWithAReason) {
  ApprovalCase c = OpenCase();
  ASSERT_THAT(Act("sender", c, CaseAction::kReturn, "退回"),
              nemis::testing::IsErrorCode("validation_failed"));  // nothing before step 0
  auto at_county = Act("sender", c, CaseAction::kApprove);
  ASSERT_OK(at_county);
  auto no_reason = Act("county", *at_county, CaseAction::kReturn, "  ");
  ASSERT_THAT(no_reason, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(no_reason.error().fields.at(0).field, "reason");
  auto back = Act("county", *at_county, CaseAction::kReturn, " 请补充转学证明 ");
  ASSERT_OK(back);
  EXPECT_EQ(back->step, 0);
  EXPECT_EQ(back->status, CaseStatus::kOpen);
  EXPECT_EQ(back->history.back().reason, "请补充转学证明");
  ASSERT_OK(Act("sender", *back, CaseAction::kApprove));
}

TEST_P(CaseStoreTest, RejectEndsTheCaseAndNothingMoreCanBeDone) {
  ApprovalCase c = OpenCase();
  ASSERT_THAT(Act("sender", c, CaseAction::kReject),
              nemis::testing::IsErrorCode("validation_failed"));
  auto rejected = Act("sender", c, CaseAction::kReject, "学生不在本校");
  ASSERT_OK(rejected);
  EXPECT_EQ(rejected->status, CaseStatus::kRejected);
  ASSERT_THAT(Act("county", *rejected, CaseAction::kApprove),
              nemis::testing::IsErrorCode("case_closed"));
  ASSERT_THAT(Act("receiver", *rejected, CaseAction::kCancel),
              nemis::testing::IsErrorCode("case_closed"));
}

TEST_P(CaseStoreTest, OnlyTheOpenerCancels) {
  ApprovalCase c = OpenCase();
  ASSERT_THAT(Act("sender", c, CaseAction::kCancel), nemis::testing::IsErrorCode("forbidden"));
  auto cancelled = Act("receiver", c, CaseAction::kCancel);
  ASSERT_OK(cancelled);
  EXPECT_EQ(cancelled->status, CaseStatus::kCancelled);
}

TEST_P(CaseStoreTest, AStaleVersionOrAnUnknownCaseChangesNothing) {
  ApprovalCase c = OpenCase();
  ApprovalCase stale = c;
  stale.version = 7;
  ASSERT_THAT(Act("sender", stale, CaseAction::kApprove),
              nemis::testing::IsErrorCode("version_conflict"));
  ApprovalCase missing = c;
  missing.id = c.id + 100;
  ASSERT_THAT(Act("sender", missing, CaseAction::kApprove),
              nemis::testing::IsErrorCode("not_found"));
  auto read = store_->Get(c.id);
  ASSERT_OK(read);
  EXPECT_EQ(read->version, 1);
  EXPECT_EQ(read->history.size(), 1u);
}

TEST_P(CaseStoreTest, OpeningNeedsEveryPartyAndTheOpenersPermission) {
  auto partial = kParties;
  partial.erase("county");
  partial["school_district"] = "440106";
  auto refused = store_->Open(ActorFor("receiver"), definition_, "student:test", partial);
  ASSERT_THAT(refused, nemis::testing::IsErrorCode("validation_failed"));
  ASSERT_EQ(refused.error().fields.size(), 2u);
  EXPECT_EQ(refused.error().fields[0].field, "parties.county");
  EXPECT_EQ(refused.error().fields[1].field, "parties.school_district");
  ASSERT_THAT(store_->Open(ActorFor("sender"), definition_, "student:test", kParties),
              nemis::testing::IsErrorCode("forbidden"));
  auto unknown = kParties;
  unknown["sending_school"] = "2144009999";
  auto no_such = store_->Open(ActorFor("receiver"), definition_, "student:test", unknown);
  ASSERT_THAT(no_such, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(no_such.error().fields.at(0).field, "parties.sending_school");
  EXPECT_EQ(no_such.error().fields.at(0).code, "unknown_org");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM wf_case"), 0);
}

TEST_P(CaseStoreTest, AnActionWhoseAuditEntryIsRefusedIsNotKept) {
  ApprovalCase c = OpenCase();
  std::string refuse = nemis::testing::RefuseAuditAppendsSql(backend() == db::Backend::kPostgres);
  ASSERT_OK(db().WithRawWriter([&](db::Connection& conn) { return conn.ExecScript(refuse); }));
  ASSERT_THAT(Act("sender", c, CaseAction::kApprove),
              nemis::testing::IsErrorCode("store_unavailable"));
  auto read = store_->Get(c.id);
  ASSERT_OK(read);
  EXPECT_EQ(read->version, 1);
  EXPECT_EQ(read->history.size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM wf_case_event"), 1);
}

TEST_P(CaseStoreTest, WhatEndsACaseCommitsWithItOrUndoesIt) {
  ASSERT_OK(db().WithWriter([](db::Connection& c) {
    return c.ExecScript("CREATE TABLE moved (case_id BIGINT, status TEXT)");
  }));
  auto record = [](db::Connection& c, const ApprovalCase& ended) -> Status {
    NEMIS_TRY(c.Query("INSERT INTO moved (case_id, status) VALUES ($1, $2)",
                      {ended.id, CaseStatusName(ended.status)}));
    return {};
  };
  auto refuse = [](db::Connection&, const ApprovalCase&) -> Status {
    return Error::Conflict("student_moved", "学生已不在转出校");
  };
  ApprovalCase c = OpenCase();
  auto at_county = store_->Act(ActorFor("sender"), definition_, c.id, CaseAction::kApprove,
                               c.version, "", refuse);
  ASSERT_OK(at_county);  // not the end: nothing to do yet
  ASSERT_THAT(store_->Act(ActorFor("county"), definition_, c.id, CaseAction::kApprove,
                          at_county->version, "", refuse),
              nemis::testing::IsErrorCode("student_moved"));
  auto unchanged = store_->Get(c.id);
  ASSERT_OK(unchanged);
  EXPECT_EQ(unchanged->status, CaseStatus::kOpen);
  EXPECT_EQ(unchanged->version, at_county->version);
  EXPECT_EQ(unchanged->history.size(), 2u);
  auto approved = store_->Act(ActorFor("county"), definition_, c.id, CaseAction::kApprove,
                              at_county->version, "", record);
  ASSERT_OK(approved);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM moved WHERE status = 'approved'"), 1);
}

TEST_P(CaseStoreTest, TheInboxListsWhatWaitsWhereTheActorHoldsTheStepsPermission) {
  org::OrgStore orgs(db(), clock_);
  auto reach_at = [&](const std::string& code) {
    auto inst = orgs.Get(org::Scope::Everything(), code);
    EXPECT_OK(inst);
    return std::vector<Reach>{{"transfer.approve", org::Scope::Of(*inst)}};
  };
  ApprovalCase at_school = OpenCase();
  ApprovalCase at_county = OpenCase();
  ASSERT_OK(Act("sender", at_county, CaseAction::kApprove));
  auto elsewhere = kParties;
  elsewhere["sending_school"] = "2144000003";
  elsewhere["county"] = "440105";
  ASSERT_OK(store_->Open(ActorFor("receiver"), definition_, "student:other", elsewhere));
  ApprovalCase closed = OpenCase();
  ASSERT_OK(Act("receiver", closed, CaseAction::kCancel));

  const Date today = *ParseIsoDate("2026-09-30");
  auto school = store_->Waiting(reach_at("2144000002"), today, 50);
  ASSERT_OK(school);
  ASSERT_EQ(school->cases.size(), 1u);
  EXPECT_EQ(school->cases[0].id, at_school.id);
  EXPECT_EQ(school->waiting, 1);
  // A county's scope covers its schools: the case waiting at the school shows too.
  auto county = store_->Waiting(reach_at("440106"), today, 50);
  ASSERT_OK(county);
  ASSERT_EQ(county->cases.size(), 2u);
  EXPECT_EQ(county->waiting_by_type.at("transfer.same_county"), 2);
  EXPECT_EQ(county->overdue, 0);
  auto later = store_->Waiting(reach_at("440106"), *ParseIsoDate("2026-10-21"), 1);
  ASSERT_OK(later);
  EXPECT_EQ(later->cases.size(), 1u) << "a page of one";
  EXPECT_EQ(later->waiting, 2) << "counts cover every waiting case, not the page";
  EXPECT_EQ(later->overdue, 2);
  EXPECT_EQ(later->overdue_by_type.at("transfer.same_county"), 2);
  auto other_permission =
      store_->Waiting({{"transfer.request", org::Scope::Everything()}}, today, 50);
  ASSERT_OK(other_permission);
  EXPECT_EQ(other_permission->waiting, 0);
  auto nothing = store_->Waiting({}, today, 50);
  ASSERT_OK(nothing);
  EXPECT_TRUE(nothing->cases.empty());
}

NEMIS_STORE_TEST_SUITE(CaseStoreTest);

TEST(WorkflowDefinitionTest, ErrorsNameTheField) {
  auto bad = WorkflowDefinition::FromJson(
      R"({"type": "x", "opener": {"party": "a"}, "steps": [{"name": "s", "party": "", "permission": "p"}],
          "stepDeadlineWorkingDays": 0})");
  ASSERT_THAT(bad, nemis::testing::IsErrorCode("validation_failed"));
  std::vector<std::string> fields;
  for (const auto& f : bad.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"title", "opener.permission", "steps[0].party",
                                              "stepDeadlineWorkingDays"}));
  ASSERT_THAT(WorkflowDefinition::FromJson("[1, 2"),
              nemis::testing::IsErrorCode("validation_failed"));
  auto good = WorkflowDefinition::FromJson(kSameCounty);
  ASSERT_OK(good);
  EXPECT_EQ(good->Parties(),
            (std::vector<std::string>{"county", "receiving_school", "sending_school"}));
}

}  // namespace
}  // namespace nemis::workflow
