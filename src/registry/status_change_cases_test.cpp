// Status changes (学籍异动) as approval cases, on both stores: what a request opens (the
// school's step, then the county's; 转班级 the school's alone) and what its case shows;
// every refusal with its stable code and nothing written; the final approval that applies
// the change with its history row and change-log row; rejection and cancellation that
// change nothing; an approval of a student changed meanwhile; and a 休学 then a 复学.
#include "registry/status_change_cases.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "codes/id_number.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "registry/registry_case_testing.hpp"
#include "registry/status_change.hpp"
#include "registry/student_lock.hpp"
#include "registry/student_store.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::registry {
namespace {

using case_testing::ActorWithGrants;
using case_testing::Definition;
using case_testing::Draft;
using case_testing::GrantTable;

using nemis::testing::IsErrorCode;
using workflow::ApprovalCase;
using workflow::CaseAction;
using workflow::CaseStatus;
using F = StudentField;

// Primary schools in 天河区 (440106) and 荔湾区 (440103) of 广州. Students start at kTianhe1.
const std::string kTianhe1 = "2144000001", kTianhe2 = "2144000002", kLiwan = "2144000003";
const std::string kTianheCounty = "440106";

// Accounts and what each may do where: (permission, institution code). The status change
// definitions (definitions/builtin.json) open with student.update at the school and
// approve with student.approve at the school, then at its county.
const GrantTable kGrants = {
    {"tianhe1.registrar", {{"student.update", kTianhe1}}},
    {"tianhe1.deputy", {{"student.update", kTianhe1}}},
    {"tianhe2.registrar", {{"student.update", kTianhe2}}},
    {"tianhe1.head", {{"student.approve", kTianhe1}}},
    {"tianhe.county", {{"student.approve", kTianheCounty}}},
    {"liwan.county", {{"student.approve", "440103"}}},
    // Asks and could approve at the school.
    {"tianhe1.both", {{"student.update", kTianhe1}, {"student.approve", kTianhe1}}},
};

workflow::Actor ActorFor(const std::string& account) { return ActorWithGrants(account, kGrants); }

StatusChangeRequest Request(std::string type, std::string document = "",
                            std::string class_no = "") {
  StatusChangeRequest r;
  r.type = std::move(type);
  r.reason = "因病需长期治疗";
  r.date = "2026-03-20";
  r.document = std::move(document);
  r.class_no = std::move(class_no);
  return r;
}

std::map<std::string, std::string> FieldsOf(const Error& e) {
  std::map<std::string, std::string> fields;
  for (const FieldError& f : e.fields) fields[f.field] = f.code;
  return fields;
}

class StatusChangeCasesTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    org::OrgStore orgs(db(), clock_);
    ASSERT_OK(orgs.SeedDivisions("440000"));
    AddSchool(orgs, kTianhe1, kTianheCounty, "天河区第一小学");
    AddSchool(orgs, kTianhe2, kTianheCounty, "天河区第二小学");
    AddSchool(orgs, kLiwan, "440103", "荔湾区第一小学");
    students_ = std::make_unique<StudentStore>(db(), cipher_, clock_);
    cases_ =
        std::make_unique<workflow::CaseStore>(db(), clock_, workflow::WorkingCalendar::Shipped());
    changes_ =
        std::make_unique<StatusChangeCases>(db(), cipher_, *cases_, clock_, StatusChangeSettings{});
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

  org::Institution School(const std::string& code) {
    org::OrgStore orgs(db(), clock_);
    auto school = orgs.Get(org::Scope::Everything(), code);
    EXPECT_OK(school);
    return school.ok() ? *school : org::Institution{};
  }

  // Registers pupil `seq` (0-999: a distinct ID; odd is a boy) of kTianhe1 in `grade`,
  // class 02, named 王小<digit>.
  Student Enrol(int seq, int grade = 3) {
    const int year = 2020 - grade;  // in grade 1 in the school year 2025/26
    Draft d;
    case_testing::SetPupil(d, seq, kTianhe1, grade, year, std::to_string(year + 6) + "-09");
    auto r = students_->Register(StudentViewer::Node(), d.input, {});
    EXPECT_OK(r);
    return r.ok() ? r->student : Student{};
  }

  Result<ApprovalCase> Open(const std::string& account, const Student& s,
                            const StatusChangeRequest& request,
                            const org::Scope& scope = org::Scope::Everything()) {
    return changes_->Open(ActorFor(account), scope, s.student_number, request);
  }
  ApprovalCase OpenOk(const std::string& account, const Student& s,
                      const StatusChangeRequest& request) {
    auto opened = Open(account, s, request);
    EXPECT_OK(opened);
    return opened.ok() ? *opened : ApprovalCase{};
  }

  // Acts as the API does: the case's own definition, and the status change's case end.
  Result<ApprovalCase> Act(const std::string& account, const ApprovalCase& kase, CaseAction action,
                           std::string_view reason = "") {
    return cases_->Act(
        ActorFor(account), Definition(kase.type), kase.id, action, kase.version, reason,
        [&](db::Connection& c, const ApprovalCase& k) { return changes_->OnEnd(c, k); });
  }
  // Approves the steps from the current one on, step by step, by `accounts` in turn.
  Result<ApprovalCase> Approve(ApprovalCase kase, const std::vector<std::string>& accounts) {
    for (const std::string& account : accounts) {
      auto next = Act(account, kase, CaseAction::kApprove);
      if (!next.ok()) return next;
      kase = *next;
    }
    return kase;
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

  // Changes the store behind the registry's back, as another process would.
  void Sql(const std::string& sql, std::initializer_list<db::Param> params) {
    std::vector<db::Param> values(params);
    ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, values));
      if (rs.affected != 1) return Error::Internal("changed " + std::to_string(rs.affected));
      return {};
    }));
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
  int64_t Cases() { return Count("SELECT COUNT(*) FROM wf_case"); }
  int64_t Updates(const Student& s) {
    return Count(
        "SELECT COUNT(*) FROM change_log WHERE entity = 'student' AND op = 'U' AND entity_id = $1",
        {s.id});
  }
  // The institution the case waits at, as the inbox finds it.
  std::string WaitingAt(const ApprovalCase& k) {
    auto at = db().Read<std::string>([&](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs,
                             c.Query("SELECT waiting_org FROM wf_case WHERE id = $1", {k.id}));
      return rs.rows.at(0).Text(0);
    });
    EXPECT_OK(at);
    return at.ok() ? *at : "";
  }
  // Checks that `now`, as reloaded, is as `before` was and no change is recorded for it.
  void ExpectUnchanged(const Student& before) {
    Student now = Reload(before);
    EXPECT_EQ(now.enrolment.status, before.enrolment.status);
    EXPECT_EQ(now.enrolment.grade, before.enrolment.grade);
    EXPECT_EQ(now.enrolment.class_no, before.enrolment.class_no);
    EXPECT_EQ(now.version, before.version);
    EXPECT_TRUE(ChangesOf(before).empty());
    EXPECT_EQ(Updates(before), 0);
  }

  // Monday 16 March 2026, 01:30 in Beijing, still the 15th in UTC.
  FixedClock clock_{*ParseUtc("2026-03-15T17:30:00.000Z")};
  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
  std::unique_ptr<StudentStore> students_;
  std::unique_ptr<workflow::CaseStore> cases_;
  std::unique_ptr<StatusChangeCases> changes_;
};

const std::vector<std::string> kSchoolThenCounty = {"tianhe1.head", "tianhe.county"};

// --- The chain a request opens -------------------------------------------------------

TEST_P(StatusChangeCasesTest, ASuspensionWaitsAtTheSchoolThenAtItsCounty) {
  Student s = Enrol(1);
  ApprovalCase k = OpenOk("tianhe1.registrar", s, Request("11", "穗天教学〔2026〕12号"));
  EXPECT_EQ(k.type, "status.11");
  EXPECT_EQ(k.status, CaseStatus::kOpen);
  EXPECT_EQ(k.subject, StudentSubject(cipher_, s.student_number));
  EXPECT_EQ(k.opened_by, "tianhe1.registrar");
  EXPECT_EQ(k.parties,
            (std::map<std::string, std::string>{{"school", kTianhe1}, {"county", kTianheCounty}}));
  EXPECT_EQ(k.step, 0);
  EXPECT_EQ(WaitingAt(k), kTianhe1);
  // The county may not act before the school; whoever asked may not approve.
  EXPECT_THAT(Act("tianhe.county", k, CaseAction::kApprove), IsErrorCode("forbidden"));

  auto at_county = Act("tianhe1.head", k, CaseAction::kApprove);
  ASSERT_OK(at_county);
  EXPECT_EQ(at_county->status, CaseStatus::kOpen);
  EXPECT_EQ(at_county->step, 1);
  EXPECT_EQ(WaitingAt(*at_county), kTianheCounty);
  ExpectUnchanged(s);  // nothing applies before the last step
  // Another county is no party; the school's approver is not the county's.
  EXPECT_THAT(Act("liwan.county", *at_county, CaseAction::kApprove), IsErrorCode("forbidden"));
  EXPECT_THAT(Act("tianhe1.head", *at_county, CaseAction::kApprove), IsErrorCode("forbidden"));
  auto approved = Act("tianhe.county", *at_county, CaseAction::kApprove);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->status, CaseStatus::kApproved);
  EXPECT_EQ(WaitingAt(*approved), "");
}

TEST_P(StatusChangeCasesTest, TheCaseShowsTheStudentMaskedAndTheChangeInFull) {
  Student s = Enrol(2);
  ApprovalCase k = OpenOk("tianhe1.registrar", s, Request("11", "穗天教学〔2026〕12号"));
  const nlohmann::json d = nlohmann::json::parse(k.details);
  const std::string& number = s.student_number;
  ASSERT_EQ(number.size(), 19u);
  EXPECT_EQ(d["student"]["number"], "G4401**********" + number.substr(15));
  EXPECT_EQ(d["student"]["name"], "王**");
  EXPECT_EQ(d["student"]["gender"], 2);
  EXPECT_EQ(d["school"], (nlohmann::json{{"code", kTianhe1}, {"name", "天河区第一小学"}}));
  EXPECT_EQ(d["change"], (nlohmann::json{{"type", "11"}, {"name", "休学"}}));
  EXPECT_EQ(d["from"], (nlohmann::json{{"grade", 3}, {"class", "02"}, {"status", "01"}}));
  EXPECT_EQ(d["to"], (nlohmann::json{{"grade", 3}, {"class", "02"}, {"status", "02"}}));
  EXPECT_EQ(d["reason"], "因病需长期治疗");
  EXPECT_EQ(d["document"], "穗天教学〔2026〕12号");
  EXPECT_EQ(d["date"], "2026-03-20");
  // Neither the number (nor the ID inside it) nor the name in clear, anywhere in the case.
  const std::string id = number.substr(1);
  for (const std::string& text : {k.details, k.subject}) {
    EXPECT_EQ(text.find(id), std::string::npos) << text;
    EXPECT_EQ(text.find(id.substr(0, 14)), std::string::npos) << text;
    EXPECT_EQ(text.find("王小三"), std::string::npos) << text;
  }
  for (const std::string& clear : {id, std::string("王小三")})
    EXPECT_EQ(Count("SELECT COUNT(*) FROM wf_case WHERE details LIKE $1 OR subject LIKE $1 OR "
                    "parties LIKE $1",
                    {"%" + clear + "%"}),
              0)
        << clear;
  // What is there, masked, is found the same way.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM wf_case WHERE details LIKE $1",
                  {"%" + d["student"]["number"].get<std::string>() + "%"}),
            1);
}

TEST_P(StatusChangeCasesTest, AClassChangeIsTheSchoolsAlone) {
  Student s = Enrol(3);
  ApprovalCase k = OpenOk("tianhe1.registrar", s, Request("29", "", "05"));
  EXPECT_EQ(k.type, "status.29");
  EXPECT_EQ(k.parties, (std::map<std::string, std::string>{{"school", kTianhe1}}));
  EXPECT_EQ(WaitingAt(k), kTianhe1);
  const nlohmann::json d = nlohmann::json::parse(k.details);
  EXPECT_EQ(d["to"], (nlohmann::json{{"grade", 3}, {"class", "05"}, {"status", "01"}}));

  auto approved = Act("tianhe1.head", k, CaseAction::kApprove);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->status, CaseStatus::kApproved) << "one step: the school's";
  Student now = Reload(s);
  EXPECT_EQ(now.enrolment.class_no, "05");
  EXPECT_EQ(now.enrolment.grade, 3);
  EXPECT_EQ(now.enrolment.status, "01");
  EXPECT_EQ(now.version, s.version + 1);
  std::vector<StatusChange> changes = ChangesOf(s);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].type, "29");
  EXPECT_EQ(changes[0].from_class, "02");
  EXPECT_EQ(changes[0].to_class, "05");
  EXPECT_EQ(changes[0].status_before, "01");
  EXPECT_EQ(changes[0].status_after, "01");
  EXPECT_EQ(changes[0].approval_ref, "case:" + std::to_string(k.id)) << "no document given";
  EXPECT_EQ(Updates(s), 1);
}

// --- Refusals: a stable code each, and no case written ----------------------------------

TEST_P(StatusChangeCasesTest, AnIncompleteRequestNamesEachFieldAndWritesNothing) {
  Student s = Enrol(4);
  auto empty = Open("tianhe1.registrar", s, StatusChangeRequest{});
  ASSERT_THAT(empty, IsErrorCode("validation_failed"));
  EXPECT_EQ(empty.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(FieldsOf(empty.error()), (std::map<std::string, std::string>{
                                         {"type", "required"},
                                         {"reason", "required"},
                                         {"date", "required"},
                                     }));

  StatusChangeRequest bad = Request("99", std::string(101, '1'));
  bad.reason = "   ";
  bad.date = "2026/03/20";
  bad.grade = "十三年级";
  auto malformed = Open("tianhe1.registrar", s, bad);
  ASSERT_THAT(malformed, IsErrorCode("validation_failed"));
  EXPECT_EQ(FieldsOf(malformed.error()), (std::map<std::string, std::string>{
                                             {"type", "unknown_type"},
                                             {"reason", "required"},
                                             {"documentNumber", "bad_text"},
                                             {"date", "bad_date"},
                                             {"grade", "bad_grade"},
                                         }));
  // A transfer is not asked for here, nor a date that does not exist.
  StatusChangeRequest transfer = Request("21");
  transfer.date = "2026-02-30";
  EXPECT_EQ(FieldsOf(Open("tianhe1.registrar", s, transfer).error()),
            (std::map<std::string, std::string>{{"type", "unknown_type"}, {"date", "bad_date"}}));
  StatusChangeRequest long_reason = Request("11");
  long_reason.reason.clear();
  for (int i = 0; i < 201; ++i) long_reason.reason += "病";
  EXPECT_EQ(FieldsOf(Open("tianhe1.registrar", s, long_reason).error()),
            (std::map<std::string, std::string>{{"reason", "bad_text"}}));
  EXPECT_EQ(Cases(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_change"), 0);

  // At the limit: 100 characters of 文号, however many bytes.
  std::string document;
  for (int i = 0; i < 100; ++i) document += "号";
  ApprovalCase k = OpenOk("tianhe1.registrar", s, Request("11", document));
  EXPECT_EQ(nlohmann::json::parse(k.details)["document"], document);
  EXPECT_EQ(Cases(), 1);
}

TEST_P(StatusChangeCasesTest, AStudentOutsideTheCallersScopeIsNotFound) {
  Student s = Enrol(5);
  auto liwan = Open("tianhe1.registrar", s, Request("11"), org::Scope::Of(School(kLiwan)));
  ASSERT_THAT(liwan, IsErrorCode("not_found"));
  EXPECT_EQ(liwan.error().kind, ErrorKind::kNotFound);
  // Another school of the same county is outside too; so is an empty scope.
  EXPECT_THAT(Open("tianhe1.registrar", s, Request("11"), org::Scope::Of(School(kTianhe2))),
              IsErrorCode("not_found"));
  EXPECT_THAT(Open("tianhe1.registrar", s, Request("11"), org::Scope()), IsErrorCode("not_found"));
  // The same answer as for a number no student has.
  Student unknown = s;
  const std::string other17 = "44010620170315999";
  unknown.student_number = "G" + other17 + codes::IdCheckCharacter(other17);
  auto none = Open("tianhe1.registrar", unknown, Request("11"));
  ASSERT_THAT(none, IsErrorCode("not_found"));
  EXPECT_EQ(none.error().message, liwan.error().message);
  EXPECT_EQ(Cases(), 0);
  // The school's own scope finds the student.
  EXPECT_OK(Open("tianhe1.registrar", s, Request("11"), org::Scope::Of(School(kTianhe1))));
}

TEST_P(StatusChangeCasesTest, AStudentWithAnOpenCaseWaitsUntilItHasEnded) {
  Student s = Enrol(6), t = Enrol(7);
  // A transfer of s is pending (opened as Transfers::Open would, on the same subject).
  const workflow::Actor receiver = [] {
    workflow::Actor a = ActorFor("tianhe2.receiver");
    a.may = [](std::string_view permission, const org::Institution& at) {
      return permission == "student.create" && at.code == kTianhe2;
    };
    return a;
  }();
  auto transfer = cases_->Open(
      receiver, Definition("transfer.same_county"), StudentSubject(cipher_, s.student_number),
      {{"receiving_school", kTianhe2}, {"sending_school", kTianhe1}, {"county", kTianheCounty}});
  ASSERT_OK(transfer);
  auto pending = Open("tianhe1.registrar", s, Request("11"));
  ASSERT_THAT(pending, IsErrorCode("case_pending"));
  EXPECT_EQ(pending.error().kind, ErrorKind::kInvalid);
  EXPECT_THAT(Open("tianhe1.registrar", s, Request("29", "", "05")), IsErrorCode("case_pending"));
  EXPECT_EQ(Cases(), 1);

  // A pending status change holds the student as well, whoever asks next.
  ApprovalCase first = OpenOk("tianhe1.registrar", t, Request("11"));
  EXPECT_THAT(Open("tianhe1.deputy", t, Request("31")), IsErrorCode("case_pending"));
  EXPECT_EQ(Cases(), 2);
  ASSERT_OK(Act("tianhe1.registrar", first, CaseAction::kCancel));
  EXPECT_OK(Open("tianhe1.deputy", t, Request("31")));

  ASSERT_OK(cases_->Act(receiver, Definition("transfer.same_county"), transfer->id,
                        CaseAction::kCancel, transfer->version, ""));
  EXPECT_OK(Open("tianhe1.registrar", s, Request("11")));
}

TEST_P(StatusChangeCasesTest, OnlyWhoMayUpdateTheSchoolsStudentsAsks) {
  Student s = Enrol(8);
  // Another school's registrar, the school's approver, the county's approver.
  for (const char* account : {"tianhe2.registrar", "tianhe1.head", "tianhe.county", "nobody"}) {
    auto refused = Open(account, s, Request("11"));
    ASSERT_THAT(refused, IsErrorCode("forbidden")) << account;
    EXPECT_EQ(refused.error().kind, ErrorKind::kForbidden) << account;
  }
  EXPECT_EQ(Cases(), 0);
  EXPECT_OK(Open("tianhe1.deputy", s, Request("11")));
}

TEST_P(StatusChangeCasesTest, TheRulesOfEachChangeAreAppliedWhenItIsAsked) {
  Student s = Enrol(9), first_grader = Enrol(10, 1);
  EXPECT_THAT(Open("tianhe1.registrar", s, Request("12")), IsErrorCode("status_not_allowed"));
  EXPECT_THAT(Open("tianhe1.registrar", s, Request("17")), IsErrorCode("status_not_allowed"));
  EXPECT_THAT(Open("tianhe1.registrar", s, Request("42")),
              IsErrorCode("not_in_compulsory_education"));
  EXPECT_THAT(Open("tianhe1.registrar", s, Request("62")), IsErrorCode("senior_only"));
  EXPECT_THAT(Open("tianhe1.registrar", s, Request("02", "", "05")),
              IsErrorCode("grade_change_not_allowed_here"));
  auto no_class = Open("tianhe1.registrar", s, Request("29"));
  ASSERT_THAT(no_class, IsErrorCode("validation_failed"));
  EXPECT_EQ(FieldsOf(no_class.error()),
            (std::map<std::string, std::string>{{"class", "required"}}));

  StatusChangeCases guangdong(db(), cipher_, *cases_, clock_, StatusChangeSettings::Parse("44"));
  EXPECT_THAT(guangdong.Open(ActorFor("tianhe1.registrar"), org::Scope::Everything(),
                             first_grader.student_number, Request("02", "", "05")),
              IsErrorCode("grade_out_of_stage"));
  StatusChangeRequest same_grade = Request("03", "", "05");
  same_grade.grade = "三年级";
  auto not_lower = guangdong.Open(ActorFor("tianhe1.registrar"), org::Scope::Everything(),
                                  s.student_number, same_grade);
  ASSERT_THAT(not_lower, IsErrorCode("validation_failed"));
  EXPECT_EQ(FieldsOf(not_lower.error()),
            (std::map<std::string, std::string>{{"grade", "bad_grade"}}));
  EXPECT_EQ(Cases(), 0);
}

// --- The end of the case -------------------------------------------------------------

TEST_P(StatusChangeCasesTest, TheFinalApprovalAppliesTheChangeAndRecordsIt) {
  Student s = Enrol(11);
  ApprovalCase k = OpenOk("tianhe1.registrar", s, Request("11", "穗天教学〔2026〕12号"));
  auto approved = Approve(k, kSchoolThenCounty);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->status, CaseStatus::kApproved);

  Student now = Reload(s);
  EXPECT_EQ(now.enrolment.status, "02");
  EXPECT_EQ(now.enrolment.grade, 3);
  EXPECT_EQ(now.enrolment.class_no, "02");
  EXPECT_EQ(now.enrolment.school_code, kTianhe1);
  EXPECT_EQ(now.version, s.version + 1);
  EXPECT_EQ(now.updated_at, "2026-03-15T17:30:00.000Z");

  std::vector<StatusChange> changes = ChangesOf(s);
  ASSERT_EQ(changes.size(), 1u);
  const StatusChange& c = changes[0];
  EXPECT_EQ(c.type, "11");
  EXPECT_EQ(c.change_date, "2026-03-20");
  EXPECT_EQ(c.reason, "因病需长期治疗");
  EXPECT_EQ(c.approved_on, "2026-03-16") << "the day in Beijing, not in UTC";
  EXPECT_EQ(c.approval_ref, "穗天教学〔2026〕12号");
  EXPECT_EQ(c.case_id, k.id);
  EXPECT_EQ(c.from_school, kTianhe1);
  EXPECT_EQ(c.to_school, kTianhe1);
  EXPECT_EQ(c.from_grade, 3);
  EXPECT_EQ(c.to_grade, 3);
  EXPECT_EQ(c.from_class, "02");
  EXPECT_EQ(c.to_class, "02");
  EXPECT_EQ(c.status_before, "01");
  EXPECT_EQ(c.status_after, "02");
  EXPECT_EQ(c.recorded_at, "2026-03-15T17:30:00.000Z");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_change"), 1);
  EXPECT_EQ(Updates(s), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 1);
  // The case is over: the student may be asked for again.
  EXPECT_THAT(Act("tianhe.county", *approved, CaseAction::kApprove), IsErrorCode("case_closed"));
  EXPECT_OK(Open("tianhe1.registrar", s, Request("12")));
}

TEST_P(StatusChangeCasesTest, NoOneApprovesTheirOwnRequest) {
  Student s = Enrol(12);
  ApprovalCase k = OpenOk("tianhe1.both", s, Request("11"));
  auto own = Act("tianhe1.both", k, CaseAction::kApprove);
  ASSERT_THAT(own, IsErrorCode("not_your_step"));
  EXPECT_EQ(own.error().kind, ErrorKind::kForbidden);
  ExpectUnchanged(s);
  ASSERT_OK(Approve(k, kSchoolThenCounty));
  EXPECT_EQ(Reload(s).enrolment.status, "02");
}

TEST_P(StatusChangeCasesTest, AGradeChangeWhereTheProvinceAllowsItMovesGradeAndClass) {
  changes_ = std::make_unique<StatusChangeCases>(db(), cipher_, *cases_, clock_,
                                                 StatusChangeSettings::Parse("440000"));
  Student s = Enrol(13, 3);
  ApprovalCase k = OpenOk("tianhe1.registrar", s, Request("02", "", "05"));
  EXPECT_EQ(k.type, "status.02");
  EXPECT_EQ(k.parties.size(), 2u);
  ASSERT_OK(Approve(k, kSchoolThenCounty));
  Student now = Reload(s);
  EXPECT_EQ(now.enrolment.grade, 2);
  EXPECT_EQ(now.enrolment.class_no, "05");
  EXPECT_EQ(now.enrolment.status, "01");
  std::vector<StatusChange> changes = ChangesOf(s);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].type, "02");
  EXPECT_EQ(changes[0].from_grade, 3);
  EXPECT_EQ(changes[0].to_grade, 2);
  EXPECT_EQ(changes[0].from_class, "02");
  EXPECT_EQ(changes[0].to_class, "05");
  EXPECT_EQ(changes[0].status_before, "01");
  EXPECT_EQ(changes[0].status_after, "01");
}

TEST_P(StatusChangeCasesTest, ARejectedOrCancelledChangeChangesNothing) {
  Student s = Enrol(14);
  // Rejected by the school, then by the county.
  ApprovalCase k = OpenOk("tianhe1.registrar", s, Request("31"));
  auto rejected = Act("tianhe1.head", k, CaseAction::kReject, "材料不全");
  ASSERT_OK(rejected);
  EXPECT_EQ(rejected->status, CaseStatus::kRejected);
  ExpectUnchanged(s);

  ApprovalCase again = OpenOk("tianhe1.registrar", s, Request("31"));
  auto at_county = Act("tianhe1.head", again, CaseAction::kApprove);
  ASSERT_OK(at_county);
  auto refused = Act("tianhe.county", *at_county, CaseAction::kReject, "不符合退学条件");
  ASSERT_OK(refused);
  EXPECT_EQ(refused->status, CaseStatus::kRejected);
  ExpectUnchanged(s);

  // Cancelled by whoever asked, once the school has approved.
  ApprovalCase third = OpenOk("tianhe1.registrar", s, Request("31"));
  auto third_at_county = Act("tianhe1.head", third, CaseAction::kApprove);
  ASSERT_OK(third_at_county);
  auto cancelled = Act("tianhe1.registrar", *third_at_county, CaseAction::kCancel);
  ASSERT_OK(cancelled);
  EXPECT_EQ(cancelled->status, CaseStatus::kCancelled);
  ExpectUnchanged(s);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_change"), 0);
}

TEST_P(StatusChangeCasesTest, AStudentChangedMeanwhileIsNotChangedAgain) {
  // Each way the student can have moved on since the case was opened.
  const std::pair<const char*, const char*> meanwhile[] = {
      {"UPDATE student SET status = '05' WHERE id = $1", "status"},
      {"UPDATE student SET class_no = '07' WHERE id = $1", "class"},
      {"UPDATE student SET grade = 4 WHERE id = $1", "grade"},
  };
  int seq = 20;
  for (const auto& [sql, what] : meanwhile) {
    SCOPED_TRACE(what);
    Student s = Enrol(seq++);
    auto at_last =
        Act("tianhe1.head", OpenOk("tianhe1.registrar", s, Request("11")), CaseAction::kApprove);
    ASSERT_OK(at_last);
    Sql(sql, {s.id});
    const Student changed = Reload(s);
    auto stale = Act("tianhe.county", *at_last, CaseAction::kApprove);
    ASSERT_THAT(stale, IsErrorCode("status_change_stale"));
    EXPECT_EQ(stale.error().kind, ErrorKind::kConflict);
    auto kept = cases_->Get(at_last->id);
    ASSERT_OK(kept);
    EXPECT_EQ(kept->status, CaseStatus::kOpen);
    EXPECT_EQ(kept->step, 1);
    EXPECT_EQ(kept->version, at_last->version);
    EXPECT_EQ(kept->history.size(), 2u);
    EXPECT_EQ(WaitingAt(*kept), kTianheCounty);
    ExpectUnchanged(changed);
    EXPECT_EQ(changed.version, s.version);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_change"), 0);

  // Once the student is as the case found it again, the same approval goes through.
  Student s = Enrol(seq);
  auto at_last =
      Act("tianhe1.head", OpenOk("tianhe1.registrar", s, Request("11")), CaseAction::kApprove);
  ASSERT_OK(at_last);
  Sql("UPDATE student SET status = '05' WHERE id = $1", {s.id});
  EXPECT_THAT(Act("tianhe.county", *at_last, CaseAction::kApprove),
              IsErrorCode("status_change_stale"));
  Sql("UPDATE student SET status = '01' WHERE id = $1", {s.id});
  ASSERT_OK(Act("tianhe.county", *at_last, CaseAction::kApprove));
  EXPECT_EQ(Reload(s).enrolment.status, "02");
  EXPECT_EQ(ChangesOf(s).size(), 1u);
}

TEST_P(StatusChangeCasesTest, ASuspendedPupilResumesAndBothChangesAreKept) {
  Student s = Enrol(30);
  ApprovalCase suspension = OpenOk("tianhe1.registrar", s, Request("11", "穗天教学〔2026〕12号"));
  ASSERT_OK(Approve(suspension, kSchoolThenCounty));
  EXPECT_EQ(Reload(s).enrolment.status, "02");
  // Suspended: 休学 again is refused, 复学 is what is left.
  EXPECT_THAT(Open("tianhe1.registrar", s, Request("11")), IsErrorCode("status_not_allowed"));

  StatusChangeRequest back = Request("12");
  back.reason = "病愈返校";
  back.date = "2026-09-01";
  ApprovalCase resumption = OpenOk("tianhe1.deputy", s, back);
  EXPECT_EQ(nlohmann::json::parse(resumption.details)["from"]["status"], "02");
  ASSERT_OK(Approve(resumption, kSchoolThenCounty));

  Student now = Reload(s);
  EXPECT_EQ(now.enrolment.status, "01");
  EXPECT_EQ(now.enrolment.grade, 3);
  EXPECT_EQ(now.enrolment.class_no, "02");
  EXPECT_EQ(now.version, s.version + 2);
  std::vector<StatusChange> changes = ChangesOf(s);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].type, "11");
  EXPECT_EQ(changes[0].status_before, "01");
  EXPECT_EQ(changes[0].status_after, "02");
  EXPECT_EQ(changes[0].case_id, suspension.id);
  EXPECT_EQ(changes[0].approval_ref, "穗天教学〔2026〕12号");
  EXPECT_EQ(changes[1].type, "12");
  EXPECT_EQ(changes[1].status_before, "02");
  EXPECT_EQ(changes[1].status_after, "01");
  EXPECT_EQ(changes[1].change_date, "2026-09-01");
  EXPECT_EQ(changes[1].reason, "病愈返校");
  EXPECT_EQ(changes[1].case_id, resumption.id);
  EXPECT_EQ(changes[1].approval_ref, "case:" + std::to_string(resumption.id));
  EXPECT_EQ(Updates(s), 2);
}

// --- The year end (registry_calendar.hpp) -----------------------------------------------

TEST_P(StatusChangeCasesTest, FromOneJulyGraduatingGradesOnlyDieCompleteOrLeave) {
  Student sixth = Enrol(60, 6), third = Enrol(61, 3);
  clock_.Set(*ParseUtc("2026-07-01T02:00:00.000Z"));  // 1 July in Beijing
  EXPECT_THAT(Open("tianhe1.registrar", sixth, Request("11")),
              IsErrorCode("graduating_business_closed"));
  EXPECT_THAT(Open("tianhe1.registrar", sixth, Request("29", "", "05")),
              IsErrorCode("graduating_business_closed"));
  OpenOk("tianhe1.registrar", third, Request("11"));  // not a graduating grade
  OpenOk("tianhe1.registrar", sixth, Request("51"));  // a death is always recorded
  clock_.Set(*ParseUtc("2026-08-10T16:00:00.000Z"));  // 11 August: the new school year
  Student sixth2 = Enrol(62, 6);
  OpenOk("tianhe1.registrar", sixth2, Request("11"));
}

NEMIS_STORE_TEST_SUITE(StatusChangeCasesTest);

}  // namespace
}  // namespace nemis::registry
