// Transfers (转学) on both stores: which approval chain a request opens and what its case
// shows; every refusal, with its stable code and nothing written; the final approval that
// moves the enrolment, records the status changes 21 and 22, logs the change and closes
// the student's other cases, all in the approval's transaction or not at all; and two
// schools asking for one student at once.
#include "registry/transfer.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "codes/id_number.hpp"
#include "crypto/encoding.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "registry/pending_clearance.hpp"
#include "registry/personal_mask.hpp"
#include "registry/personal_record.hpp"
#include "registry/promotion.hpp"
#include "registry/registry_case_testing.hpp"
#include "registry/status_change.hpp"
#include "registry/student_store.hpp"
#include "registry/transfer_external.hpp"
#include "testing/killed_write.hpp"
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

// Primary schools in 天河区 (440106) and 荔湾区 (440103) of 广州 and in 江岸区 (420102) of
// 武汉, and a junior high school (初级中学, 311) in 天河区. Students start at kTianhe1.
const std::string kTianhe1 = "2144000001", kTianhe2 = "2144000002", kLiwan = "2144000003",
                  kJiangan = "2142000001", kTianheJunior = "3144000001";

// Accounts and what each may do where: (permission, institution code). The transfer
// definitions (definitions/builtin.json) open with student.create at the receiving school
// and approve with student.approve at each party.
const GrantTable kGrants = {
    {"tianhe1.registrar", {{"student.create", kTianhe1}}},
    {"tianhe2.registrar", {{"student.create", kTianhe2}}},
    {"tianhe2.deputy", {{"student.create", kTianhe2}}},
    {"liwan.registrar", {{"student.create", kLiwan}}},
    {"jiangan.registrar", {{"student.create", kJiangan}}},
    {"junior.registrar", {{"student.create", kTianheJunior}}},
    {"tianhe1.head", {{"student.approve", kTianhe1}}},
    {"tianhe.county", {{"student.approve", "440106"}}},
    {"liwan.county", {{"student.approve", "440103"}}},
    {"jiangan.county", {{"student.approve", "420102"}}},
    {"hubei.province", {{"student.approve", "420000"}}},
    {"guangdong.province", {{"student.approve", "440000"}}},
    // Both duties of a same-county case: may act on either step, yet only on one.
    {"tianhe.both", {{"student.approve", kTianhe1}, {"student.approve", "440106"}}},
    // Opens at the receiving school and could approve at the sending one.
    {"tianhe.opener", {{"student.create", kTianhe2}, {"student.approve", kTianhe1}}},
    // Whatever a grant says, no one on this node acts for another node.
    {"node45.impostor", {{"student.approve", "node:45"}}},
};

// Who approves each step of each chain, one account per step.
const std::vector<std::string> kSameCountyApprovers = {"tianhe1.head", "tianhe.county"};
const std::vector<std::string> kOtherCountyApprovers = {"liwan.county", "tianhe1.head",
                                                        "tianhe.county"};
const std::vector<std::string> kOtherProvinceApprovers = {
    "jiangan.county", "hubei.province", "tianhe1.head", "tianhe.county", "guangdong.province"};

workflow::Actor ActorFor(const std::string& account) { return ActorWithGrants(account, kGrants); }

class TransferTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    org::OrgStore orgs(db(), clock_);
    ASSERT_OK(orgs.SeedDivisions("440000"));
    ASSERT_OK(orgs.SeedDivisions("420000"));
    AddSchool(orgs, kTianhe1, "440106", "天河区第一小学", "211");
    AddSchool(orgs, kTianhe2, "440106", "天河区第二小学", "211");
    AddSchool(orgs, kLiwan, "440103", "荔湾区第一小学", "211");
    AddSchool(orgs, kJiangan, "420102", "江岸区第一小学", "211");
    AddSchool(orgs, kTianheJunior, "440106", "天河区第一中学", "311");
    students_ = std::make_unique<StudentStore>(db(), cipher_, clock_);
    cases_ =
        std::make_unique<workflow::CaseStore>(db(), clock_, workflow::WorkingCalendar::Shipped());
    transfers_ = std::make_unique<Transfers>(db(), cipher_, *cases_, clock_, TransferRules{});
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

  // A complete request for `s` into `to`, class 05.
  static TransferRequest RequestFor(const Student& s, const std::string& to, int grade = 3) {
    return {s.student_number, "",           to, std::to_string(grade), "05",
            "随父母工作调动", "2026-03-20", ""};
  }

  Result<ApprovalCase> Open(const std::string& account, const TransferRequest& request) {
    return transfers_->Open(ActorFor(account), request);
  }
  ApprovalCase OpenOk(const std::string& account, const TransferRequest& request) {
    auto opened = Open(account, request);
    EXPECT_OK(opened);
    return opened.ok() ? *opened : ApprovalCase{};
  }

  // Acts as the API does: the case's own definition, and the transfer's case end.
  Result<ApprovalCase> Act(const std::string& account, const ApprovalCase& kase, CaseAction action,
                           std::string_view reason = "") {
    const workflow::Actor actor = ActorFor(account);
    return cases_->Act(
        actor, Definition(kase.type), kase.id, action, kase.version, reason,
        [&](db::Connection& c, const ApprovalCase& k) { return transfers_->OnEnd(c, actor, k); });
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
  std::string SubjectOf(const Student& s) const {
    return "student:" + NumberIndex(cipher_, s.student_number);
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
  void SetStatus(const Student& s, const std::string& status) {
    Sql("UPDATE student SET status = $1 WHERE id = $2", {status, s.id});
  }
  void SetSchoolOpen(const std::string& code, bool open) {
    Sql("UPDATE org SET status = $1 WHERE code = $2", {open ? "open" : "closed", code});
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
  // Checks that the case's first step waits at `code`, by the definition and in the store.
  void ExpectFirstStepAt(const ApprovalCase& k, const std::string& code) {
    EXPECT_EQ(k.step, 0);
    EXPECT_EQ(k.parties.at(Definition(k.type).steps.at(0).duty.party), code);
    EXPECT_EQ(WaitingAt(k), code);
  }
  // Checks that `s` is still where Enrol put it, and nothing records a move.
  void ExpectNotMoved(const Student& s) {
    Student now = Reload(s);
    EXPECT_EQ(now.enrolment.school_code, kTianhe1);
    EXPECT_EQ(now.enrolment.grade, s.enrolment.grade);
    EXPECT_EQ(now.enrolment.class_no, "02");
    EXPECT_EQ(now.version, s.version);
    EXPECT_TRUE(ChangesOf(s).empty());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM student_change"), 0);
  }

  // Monday 16 March 2026, 01:30 in Beijing, still the 15th in UTC.
  FixedClock clock_{*ParseUtc("2026-03-15T17:30:00.000Z")};
  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
  std::unique_ptr<StudentStore> students_;
  std::unique_ptr<workflow::CaseStore> cases_;
  std::unique_ptr<Transfers> transfers_;
};

// --- The chain a request opens -------------------------------------------------------

TEST_P(TransferTest, WithinTheCountyTheSendingSchoolThenTheCountyApprove) {
  Student s = Enrol(1);
  ApprovalCase k = OpenOk("tianhe2.registrar", RequestFor(s, kTianhe2, 3));
  EXPECT_EQ(k.type, "transfer.same_county");
  EXPECT_EQ(k.status, CaseStatus::kOpen);
  EXPECT_EQ(k.subject, SubjectOf(s));
  EXPECT_EQ(k.opened_by, "tianhe2.registrar");
  EXPECT_EQ(k.parties, (std::map<std::string, std::string>{{"receiving_school", kTianhe2},
                                                           {"sending_school", kTianhe1},
                                                           {"county", "440106"}}));
  ExpectFirstStepAt(k, kTianhe1);
  // The county may not act before the sending school.
  EXPECT_THAT(Act("tianhe.county", k, CaseAction::kApprove), IsErrorCode("forbidden"));

  // What every party sees: the student masked, where from and where to.
  const nlohmann::json d = nlohmann::json::parse(k.details);
  const std::string& number = s.student_number;
  ASSERT_EQ(number.size(), 19u);
  EXPECT_EQ(d["student"]["number"], "G4401**********" + number.substr(15));
  EXPECT_EQ(d["student"]["name"], "王**");
  EXPECT_EQ(d["student"]["gender"], 1);
  EXPECT_EQ(d["stage"], "primary");
  EXPECT_EQ(
      d["from"],
      (nlohmann::json{
          {"school", kTianhe1}, {"schoolName", "天河区第一小学"}, {"grade", 3}, {"class", "02"}}));
  EXPECT_EQ(
      d["to"],
      (nlohmann::json{
          {"school", kTianhe2}, {"schoolName", "天河区第二小学"}, {"grade", 3}, {"class", "05"}}));
  EXPECT_EQ(d["reason"], "随父母工作调动");
  EXPECT_EQ(d["date"], "2026-03-20");
  EXPECT_EQ(k.details.find(number.substr(1)), std::string::npos) << k.details;
  EXPECT_EQ(k.details.find("王小二"), std::string::npos) << k.details;
}

TEST_P(TransferTest, AcrossCountiesTheReceivingCountyApprovesFirst) {
  Student s = Enrol(2);
  ApprovalCase k = OpenOk("liwan.registrar", RequestFor(s, kLiwan));
  EXPECT_EQ(k.type, "transfer.other_county");
  EXPECT_EQ(k.parties, (std::map<std::string, std::string>{{"receiving_school", kLiwan},
                                                           {"sending_school", kTianhe1},
                                                           {"receiving_county", "440103"},
                                                           {"sending_county", "440106"}}));
  ExpectFirstStepAt(k, "440103");
  EXPECT_THAT(Act("tianhe1.head", k, CaseAction::kApprove), IsErrorCode("forbidden"));
}

TEST_P(TransferTest, AcrossProvincesBothProvincesApprove) {
  Student s = Enrol(3);
  ApprovalCase k = OpenOk("jiangan.registrar", RequestFor(s, kJiangan));
  EXPECT_EQ(k.type, "transfer.other_province");
  EXPECT_EQ(k.parties, (std::map<std::string, std::string>{{"receiving_school", kJiangan},
                                                           {"sending_school", kTianhe1},
                                                           {"receiving_county", "420102"},
                                                           {"sending_county", "440106"},
                                                           {"receiving_province", "420000"},
                                                           {"sending_province", "440000"}}));
  ExpectFirstStepAt(k, "420102");
}

// --- A student of a province on another node ---------------------------------------------

// 广西 (45) is not in this node's tree: its students are on its own node.
TransferRequest ExternalRequest(const std::string& number = "G450102201603011234",
                                const std::string& name = "韦小宁") {
  return {number, name, kTianhe2, "3", "05", "随父母工作调动", "2026-03-20", "45"};
}

TEST_P(TransferTest, AStudentOfAProvinceOnAnotherNodeWaitsForThatNodeAfterOurSteps) {
  ApprovalCase k = OpenOk("tianhe2.registrar", ExternalRequest());
  EXPECT_EQ(k.type, "transfer.external_in");
  EXPECT_EQ(k.parties, (std::map<std::string, std::string>{{"receiving_school", kTianhe2},
                                                           {"receiving_county", "440106"},
                                                           {"receiving_province", "440000"},
                                                           {"sending_node", "node:45"}}));
  ExpectFirstStepAt(k, "440106");
  const auto details = nlohmann::json::parse(k.details);
  EXPECT_EQ(details["student"]["number"], MaskStudentNumberForRecords("G450102201603011234"));
  EXPECT_EQ(details["from"]["schoolName"], "广西壮族自治区（其他节点）");
  EXPECT_EQ(k.details.find("韦小宁"), std::string::npos) << k.details;

  // What the exchange will carry, sealed beside the case: the number and name as given.
  auto person = db().Read<std::string>([&](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(
        auto rs, c.Query("SELECT node, person FROM external_transfer WHERE case_id = $1", {k.id}));
    if (rs.rows.size() != 1 || rs.rows[0].Text(0) != "node:45")
      return Error::Internal("no external_transfer row");
    return rs.rows[0].Text(1);
  });
  ASSERT_OK(person);
  EXPECT_EQ(person->find("G450102201603011234"), std::string::npos);
  auto sealed = crypto::Base64UrlDecode(*person);
  ASSERT_OK(sealed);
  auto opened = cipher_.Open(*sealed);
  ASSERT_OK(opened);
  EXPECT_EQ(nlohmann::json::parse(*opened),
            (nlohmann::json{{"studentNumber", "G450102201603011234"}, {"name", "韦小宁"}}));

  auto ours = Approve(k, {"tianhe.county", "guangdong.province"});
  ASSERT_OK(ours);
  EXPECT_EQ(ours->status, CaseStatus::kOpen);
  EXPECT_EQ(WaitingAt(*ours), "node:45");
  for (const char* account : {"node45.impostor", "guangdong.province", "tianhe.county"})
    EXPECT_FALSE(Act(account, *ours, CaseAction::kApprove).ok()) << account;
  // A second school asking for the same child waits until this case has ended.
  TransferRequest again = ExternalRequest();
  again.to_school = kLiwan;
  EXPECT_THAT(Open("liwan.registrar", again), IsErrorCode("transfer_pending"));
  // Waiting for the other node, it cannot be withdrawn: that node may be releasing the child.
  EXPECT_THAT(Act("tianhe2.registrar", *ours, CaseAction::kCancel),
              IsErrorCode("transfer_at_other_node"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 0);
}

TEST_P(TransferTest, FromProvinceCountsOnlyForAProvinceOnAnotherNode) {
  // 湖北 (42) is on this node: an unknown number is not found, as without fromProvince.
  TransferRequest hubei = ExternalRequest();
  hubei.from_province = "420000";
  EXPECT_THAT(Open("tianhe2.registrar", hubei), IsErrorCode("not_found"));
  // A student found here takes the ordinary chain whatever province the school says.
  Student s = Enrol(41);
  TransferRequest here = RequestFor(s, kTianhe2);
  here.from_province = "45";
  EXPECT_EQ(OpenOk("tianhe2.registrar", here).type, "transfer.same_county");
  EXPECT_EQ(Cases(), 1);

  TransferRequest bad = ExternalRequest("12345", "");
  bad.from_province = "99";
  auto refused = Open("tianhe2.registrar", bad);
  ASSERT_THAT(refused, IsErrorCode("validation_failed"));
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "fromProvince");
  auto incomplete = Open("tianhe2.registrar", ExternalRequest("12345", ""));
  ASSERT_THAT(incomplete, IsErrorCode("validation_failed"));
  std::set<std::string> fields;
  for (const auto& f : incomplete.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"studentNumber", "name"}));
  TransferRequest grade8 = ExternalRequest();
  grade8.grade = "8";
  EXPECT_THAT(Open("tianhe2.registrar", grade8), IsErrorCode("grade_not_offered"));
  // Only whoever may register at the receiving school opens it.
  EXPECT_FALSE(Open("liwan.registrar", ExternalRequest()).ok());
  EXPECT_EQ(Cases(), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM external_transfer"), 0);
}

// --- Refusals: a stable code each, and no case written ----------------------------------

TEST_P(TransferTest, AnIncompleteRequestNamesEachFieldAndWritesNothing) {
  auto empty = Open("tianhe2.registrar", TransferRequest{});
  ASSERT_THAT(empty, IsErrorCode("validation_failed"));
  std::map<std::string, std::string> fields;
  for (const FieldError& f : empty.error().fields) fields[f.field] = f.code;
  EXPECT_EQ(fields, (std::map<std::string, std::string>{{"studentNumber", "required"},
                                                        {"toSchool", "required"},
                                                        {"grade", "required"},
                                                        {"class", "required"},
                                                        {"reason", "required"},
                                                        {"date", "required"}}));

  Student s = Enrol(4);
  TransferRequest bad = RequestFor(s, kTianhe2);
  bad.grade = "十三年级";
  bad.date = "2026/03/20";
  bad.class_no = std::string(21, '1');
  bad.reason = "搬家\x01";
  auto malformed = Open("tianhe2.registrar", bad);
  ASSERT_THAT(malformed, IsErrorCode("validation_failed"));
  fields.clear();
  for (const FieldError& f : malformed.error().fields) fields[f.field] = f.code;
  EXPECT_EQ(fields, (std::map<std::string, std::string>{{"grade", "bad_grade"},
                                                        {"date", "bad_date"},
                                                        {"class", "bad_class"},
                                                        {"reason", "bad_reason"}}));
  EXPECT_EQ(Cases(), 0);
}

TEST_P(TransferTest, AWrongNameAndAnUnknownNumberAreTheSameNotFound) {
  Student s = Enrol(5);
  TransferRequest unknown = RequestFor(s, kTianhe2);
  const std::string other17 = "44010620170315999";
  unknown.student_number = "G" + other17 + codes::IdCheckCharacter(other17);
  TransferRequest wrong_name = RequestFor(s, kTianhe2);
  wrong_name.name = "王小明";
  auto a = Open("tianhe2.registrar", unknown);
  auto b = Open("tianhe2.registrar", wrong_name);
  ASSERT_THAT(a, IsErrorCode("not_found"));
  ASSERT_THAT(b, IsErrorCode("not_found"));
  EXPECT_EQ(a.error().message, b.error().message);
  EXPECT_EQ(Cases(), 0);
  TransferRequest right_name = RequestFor(s, kTianhe2);
  right_name.name = " 王小六 ";  // as the family gives it, spaces aside
  EXPECT_OK(Open("tianhe2.registrar", right_name));
}

TEST_P(TransferTest, BothSchoolsMustBeOpenAndDifferent) {
  Student s = Enrol(6);
  auto unknown = Open("tianhe2.registrar", RequestFor(s, "2144009999"));
  ASSERT_THAT(unknown, IsErrorCode("validation_failed"));
  ASSERT_EQ(unknown.error().fields.size(), 1u);
  EXPECT_EQ(unknown.error().fields[0].field, "toSchool");
  EXPECT_EQ(unknown.error().fields[0].code, "unknown_school");
  // A division is not a school either.
  EXPECT_THAT(Open("tianhe2.registrar", RequestFor(s, "440106")), IsErrorCode("validation_failed"));

  EXPECT_THAT(Open("tianhe1.registrar", RequestFor(s, kTianhe1)), IsErrorCode("same_school"));
  SetSchoolOpen(kTianhe2, false);
  EXPECT_THAT(Open("tianhe2.registrar", RequestFor(s, kTianhe2)), IsErrorCode("school_closed"));
  SetSchoolOpen(kTianhe2, true);
  SetSchoolOpen(kTianhe1, false);
  EXPECT_THAT(Open("tianhe2.registrar", RequestFor(s, kTianhe2)),
              IsErrorCode("sending_school_closed"));
  EXPECT_EQ(Cases(), 0);
}

TEST_P(TransferTest, OnlyAStudentInSchoolMayTransfer) {
  Student s = Enrol(8);
  const std::pair<const char*, const char*> refusals[] = {{"02", "student_suspended"},
                                                          {"04", "student_disciplined"},
                                                          {"03", "student_not_active"},
                                                          {"06", "student_not_active"}};
  for (const auto& [status, code] : refusals) {
    SetStatus(s, status);
    EXPECT_THAT(Open("tianhe2.registrar", RequestFor(s, kTianhe2)), IsErrorCode(code)) << status;
  }
  EXPECT_EQ(Cases(), 0);
  SetStatus(s, "05");  // 复学: back in school
  EXPECT_OK(Open("tianhe2.registrar", RequestFor(s, kTianhe2)));
}

TEST_P(TransferTest, ASecondTransferWaitsUntilTheFirstHasEnded) {
  Student s = Enrol(9);
  ApprovalCase first = OpenOk("tianhe2.registrar", RequestFor(s, kTianhe2));
  EXPECT_THAT(Open("liwan.registrar", RequestFor(s, kLiwan)), IsErrorCode("transfer_pending"));
  EXPECT_THAT(Open("tianhe2.deputy", RequestFor(s, kTianhe2)), IsErrorCode("transfer_pending"));
  EXPECT_EQ(Cases(), 1);
  ASSERT_OK(Act("tianhe2.registrar", first, CaseAction::kCancel));
  EXPECT_OK(Open("liwan.registrar", RequestFor(s, kLiwan)));
}

TEST_P(TransferTest, TheReceivingSchoolMustTeachTheStudentsStageAndGrade) {
  Student s = Enrol(10);
  // A primary pupil cannot move into a junior high school, in any grade.
  EXPECT_THAT(Open("junior.registrar", RequestFor(s, kTianheJunior, 3)),
              IsErrorCode("stage_not_offered"));
  EXPECT_THAT(Open("junior.registrar", RequestFor(s, kTianheJunior, 7)),
              IsErrorCode("stage_not_offered"));
  EXPECT_THAT(Open("tianhe2.registrar", RequestFor(s, kTianhe2, 9)),
              IsErrorCode("grade_not_offered"));
  EXPECT_THAT(Open("tianhe2.registrar", RequestFor(s, kTianhe2, 0)),
              IsErrorCode("grade_not_offered"));
  EXPECT_EQ(Cases(), 0);
  // Another grade of the stage is the school's to decide, where the province allows it.
  EXPECT_OK(Open("tianhe2.registrar", RequestFor(s, kTianhe2, 4)));
}

TEST_P(TransferTest, ASameGradeProvinceReceivesOnlyIntoTheStudentsGrade) {
  // registry.transfer_same_grade_provinces as config_keys.cpp documents it ("e.g. 44").
  const TransferRules rules = TransferRules::Parse(" 44, 45 ,");
  EXPECT_EQ(rules.same_grade_provinces, (std::set<std::string>{"44", "45"}));
  Transfers strict(db(), cipher_, *cases_, clock_, TransferRules::Parse("44"));
  Student s = Enrol(11), t = Enrol(12);
  EXPECT_THAT(strict.Open(ActorFor("tianhe2.registrar"), RequestFor(s, kTianhe2, 4)),
              IsErrorCode("grade_change_not_allowed"));
  EXPECT_THAT(strict.Open(ActorFor("tianhe2.registrar"), RequestFor(s, kTianhe2, 2)),
              IsErrorCode("grade_change_not_allowed"));
  EXPECT_EQ(Cases(), 0);
  EXPECT_OK(strict.Open(ActorFor("tianhe2.registrar"), RequestFor(s, kTianhe2, 3)));
  // The rule is the receiving province's: 湖北 (42) has none.
  EXPECT_OK(strict.Open(ActorFor("jiangan.registrar"), RequestFor(t, kJiangan, 4)));
}

TEST_P(TransferTest, WhoMayNotRegisterAtTheReceivingSchoolLearnsNothingOfTheStudent) {
  Student s = Enrol(14);
  auto active = Open("liwan.registrar", RequestFor(s, kTianhe2));
  ASSERT_THAT(active, IsErrorCode("forbidden"));
  EXPECT_EQ(active.error().kind, ErrorKind::kForbidden);
  SetStatus(s, "02");
  auto suspended = Open("liwan.registrar", RequestFor(s, kTianhe2));
  ASSERT_THAT(suspended, IsErrorCode("forbidden"));
  TransferRequest unknown = RequestFor(s, kTianhe2);
  unknown.name = "某某";
  auto no_match = Open("liwan.registrar", unknown);
  ASSERT_THAT(no_match, IsErrorCode("forbidden"));
  EXPECT_EQ(active.error().message, suspended.error().message);
  EXPECT_EQ(active.error().message, no_match.error().message);
  // An approver of the sending school is no receiver either.
  EXPECT_THAT(Open("tianhe1.head", RequestFor(s, kTianhe2)), IsErrorCode("forbidden"));
  EXPECT_EQ(Cases(), 0);
}

// --- The end of the case -------------------------------------------------------------

TEST_P(TransferTest, TheFinalApprovalMovesTheStudentAndRecordsOutAndIn) {
  Student s = Enrol(15);
  ApprovalCase k = OpenOk("jiangan.registrar", RequestFor(s, kJiangan, 4));
  const std::vector<std::string> before_last(kOtherProvinceApprovers.begin(),
                                             kOtherProvinceApprovers.end() - 1);
  auto at_last = Approve(k, before_last);
  ASSERT_OK(at_last);
  EXPECT_EQ(at_last->step, 4);
  ExpectNotMoved(s);  // nothing moves before the last step
  auto approved = Act("guangdong.province", *at_last, CaseAction::kApprove);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->status, CaseStatus::kApproved);

  org::OrgStore orgs(db(), clock_);
  auto jiangan = orgs.Get(org::Scope::Everything(), kJiangan);
  ASSERT_OK(jiangan);
  Student moved = Reload(s);
  EXPECT_EQ(moved.enrolment.school_code, kJiangan);
  EXPECT_EQ(moved.enrolment.school_id, jiangan->id);
  EXPECT_EQ(moved.enrolment.province_code, "420000");
  EXPECT_EQ(moved.enrolment.city_code, "420100");
  EXPECT_EQ(moved.enrolment.county_code, "420102");
  EXPECT_EQ(moved.enrolment.grade, 4);
  EXPECT_EQ(moved.enrolment.class_no, "05");
  EXPECT_EQ(moved.enrolment.stage, "primary");
  EXPECT_EQ(moved.enrolment.status, "01");
  EXPECT_EQ(moved.version, s.version + 1);

  std::vector<StatusChange> changes = ChangesOf(s);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].type, "21");
  EXPECT_EQ(changes[1].type, "22");
  for (const StatusChange& c : changes) {
    EXPECT_EQ(c.change_date, "2026-03-20");
    EXPECT_EQ(c.reason, "随父母工作调动");
    EXPECT_EQ(c.approved_on, "2026-03-16") << "the day in Beijing, not in UTC";
    EXPECT_EQ(c.approval_ref, "case:" + std::to_string(k.id));
    EXPECT_EQ(c.case_id, k.id);
    EXPECT_EQ(c.from_school, kTianhe1);
    EXPECT_EQ(c.to_school, kJiangan);
    EXPECT_EQ(c.from_grade, 3);
    EXPECT_EQ(c.to_grade, 4);
    EXPECT_EQ(c.from_class, "02");
    EXPECT_EQ(c.to_class, "05");
    EXPECT_EQ(c.status_before, "01");
    EXPECT_EQ(c.status_after, "01");
    EXPECT_EQ(c.recorded_at, "2026-03-15T17:30:00.000Z");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'student' AND op = 'U' "
                  "AND entity_id = $1",
                  {s.id}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 1);
}

// The process approving the last step is killed before each statement of the approval in
// turn (testing/killed_write.hpp): every time, the student is where it was, the case still
// waits at the county and nothing is logged; the run that is not killed moves the student
// once, with 21 and 22.
TEST_P(TransferTest, AFinalApprovalKilledAtAnyStatementLeavesNothingHalfDone) {
  Student s = Enrol(17);
  ApprovalCase k = OpenOk("tianhe2.registrar", RequestFor(s, kTianhe2, 3));
  auto at_county = Act("tianhe1.head", k, CaseAction::kApprove);
  ASSERT_OK(at_county);
  const int64_t logged = Count("SELECT COUNT(*) FROM change_log");
  const int64_t events = Count("SELECT COUNT(*) FROM wf_case_event");
  const workflow::Actor county = ActorFor("tianhe.county");
  const auto approve_in_child = [&](db::Database& store) {
    workflow::CaseStore cases(store, clock_, workflow::WorkingCalendar::Shipped());
    Transfers transfers(store, cipher_, cases, clock_, TransferRules{});
    (void)cases.Act(county, Definition(k.type), k.id, CaseAction::kApprove, at_county->version, "",
                    [&](db::Connection& c, const ApprovalCase& kase) {
                      return transfers.OnEnd(c, county, kase);
                    });
  };
  int kills = 0;
  for (int at = 1; at < 500; ++at) {
    if (testing::RunKilledAt(url(), StoreOptions(), at, approve_in_child) ==
        testing::KilledRun::kFinished)
      break;
    ++kills;
    SCOPED_TRACE("killed before statement " + std::to_string(at));
    ExpectNotMoved(s);
    auto waiting = cases_->Get(k.id);
    ASSERT_OK(waiting);
    EXPECT_TRUE(waiting->IsOpen());
    EXPECT_EQ(waiting->step, 1);
    EXPECT_EQ(waiting->version, at_county->version);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log"), logged);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM wf_case_event"), events);
  }
  EXPECT_GE(kills, 6) << "the approval sends fewer statements than moving a student takes";
  auto approved = cases_->Get(k.id);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->status, CaseStatus::kApproved);
  EXPECT_EQ(Reload(s).enrolment.school_code, kTianhe2);
  EXPECT_EQ(Reload(s).version, s.version + 1);
  std::vector<StatusChange> changes = ChangesOf(s);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].type, "21");
  EXPECT_EQ(changes[1].type, "22");
}

TEST_P(TransferTest, NoOneApprovesTheirOwnRequestOrTwoSteps) {
  Student s = Enrol(16);
  ApprovalCase k = OpenOk("tianhe.opener", RequestFor(s, kTianhe2));
  auto own = Act("tianhe.opener", k, CaseAction::kApprove);
  ASSERT_THAT(own, IsErrorCode("not_your_step"));
  EXPECT_EQ(own.error().kind, ErrorKind::kForbidden);
  auto at_county = Act("tianhe.both", k, CaseAction::kApprove);
  ASSERT_OK(at_county);
  EXPECT_THAT(Act("tianhe.both", *at_county, CaseAction::kApprove), IsErrorCode("not_your_step"));
  ExpectNotMoved(s);
  auto approved = Act("tianhe.county", *at_county, CaseAction::kApprove);
  ASSERT_OK(approved);
  EXPECT_EQ(Reload(s).enrolment.school_code, kTianhe2);
}

TEST_P(TransferTest, EveryChainEndsWithTheStudentMoved) {
  Student a = Enrol(17), b = Enrol(18);
  ASSERT_OK(Approve(OpenOk("tianhe2.registrar", RequestFor(a, kTianhe2)), kSameCountyApprovers));
  ASSERT_OK(Approve(OpenOk("liwan.registrar", RequestFor(b, kLiwan)), kOtherCountyApprovers));
  Student moved_a = Reload(a), moved_b = Reload(b);
  EXPECT_EQ(moved_a.enrolment.school_code, kTianhe2);
  EXPECT_EQ(moved_a.enrolment.county_code, "440106");
  EXPECT_EQ(moved_b.enrolment.school_code, kLiwan);
  EXPECT_EQ(moved_b.enrolment.county_code, "440103");
  EXPECT_EQ(moved_b.enrolment.city_code, "440100");
  EXPECT_EQ(ChangesOf(a).size(), 2u);
  EXPECT_EQ(ChangesOf(b).size(), 2u);
}

TEST_P(TransferTest, ARejectedOrCancelledTransferLeavesTheStudentWhereItWas) {
  Student s = Enrol(19);
  ApprovalCase k = OpenOk("tianhe2.registrar", RequestFor(s, kTianhe2));
  auto at_county = Act("tianhe1.head", k, CaseAction::kApprove);
  ASSERT_OK(at_county);
  auto rejected = Act("tianhe.county", *at_county, CaseAction::kReject, "转学材料不全");
  ASSERT_OK(rejected);
  EXPECT_EQ(rejected->status, CaseStatus::kRejected);
  ExpectNotMoved(s);

  ApprovalCase again = OpenOk("tianhe2.registrar", RequestFor(s, kTianhe2));
  auto cancelled = Act("tianhe2.registrar", again, CaseAction::kCancel);
  ASSERT_OK(cancelled);
  EXPECT_EQ(cancelled->status, CaseStatus::kCancelled);
  ExpectNotMoved(s);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'student' AND op = 'U'"), 0);
}

TEST_P(TransferTest, TheApprovalClosesTheStudentsOtherCases) {
  Student s = Enrol(20), other = Enrol(21);
  ApprovalCase first = OpenOk("tianhe2.registrar", RequestFor(s, kTianhe2));
  // Open refuses a second transfer while one is pending; the engine itself does not
  // (another process, an older node), so the second one is opened directly.
  const std::map<std::string, std::string> parties = {
      {"receiving_school", kTianhe2}, {"sending_school", kTianhe1}, {"county", "440106"}};
  auto second = cases_->Open(ActorFor("tianhe2.deputy"), Definition("transfer.same_county"),
                             SubjectOf(s), parties, first.details);
  ASSERT_OK(second);
  ApprovalCase unrelated = OpenOk("tianhe2.registrar", RequestFor(other, kTianhe2));

  ASSERT_OK(Approve(first, kSameCountyApprovers));
  auto closed = cases_->Get(second->id);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->status, CaseStatus::kCancelled);
  ASSERT_EQ(closed->history.size(), 2u);
  const workflow::CaseEvent& last = closed->history.back();
  EXPECT_EQ(last.action, CaseAction::kClose);
  EXPECT_EQ(last.actor, "tianhe.county") << "closed by whoever approved the first";
  EXPECT_EQ(last.status_after, CaseStatus::kCancelled);
  EXPECT_NE(last.reason.find(std::to_string(first.id)), std::string::npos) << last.reason;
  EXPECT_EQ(WaitingAt(*closed), "") << "out of every inbox";
  EXPECT_THAT(Act("tianhe1.head", *closed, CaseAction::kApprove), IsErrorCode("case_closed"));

  auto still_open = cases_->Get(unrelated.id);
  ASSERT_OK(still_open);
  EXPECT_EQ(still_open->status, CaseStatus::kOpen) << "another student's case";
  EXPECT_EQ(ChangesOf(s).size(), 2u);
}

TEST_P(TransferTest, AFinalApprovalIntoAClosedSchoolChangesNothing) {
  Student s = Enrol(22);
  auto at_last = Approve(OpenOk("tianhe2.registrar", RequestFor(s, kTianhe2)), {"tianhe1.head"});
  ASSERT_OK(at_last);
  SetSchoolOpen(kTianhe2, false);
  auto refused = Act("tianhe.county", *at_last, CaseAction::kApprove);
  ASSERT_THAT(refused, IsErrorCode("school_closed"));
  EXPECT_EQ(refused.error().kind, ErrorKind::kConflict);
  auto kept = cases_->Get(at_last->id);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->status, CaseStatus::kOpen);
  EXPECT_EQ(kept->step, 1);
  EXPECT_EQ(kept->version, at_last->version);
  EXPECT_EQ(kept->history.size(), 2u);
  ExpectNotMoved(s);
  // Once the school is open again, the same approval goes through.
  SetSchoolOpen(kTianhe2, true);
  ASSERT_OK(Act("tianhe.county", *at_last, CaseAction::kApprove));
  EXPECT_EQ(Reload(s).enrolment.school_code, kTianhe2);
}

TEST_P(TransferTest, AFinalApprovalForAStudentMovedMeanwhileChangesNothing) {
  Student s = Enrol(23);
  auto at_last = Approve(OpenOk("tianhe2.registrar", RequestFor(s, kTianhe2)), {"tianhe1.head"});
  ASSERT_OK(at_last);
  org::OrgStore orgs(db(), clock_);
  auto liwan = orgs.Get(org::Scope::Everything(), kLiwan);
  ASSERT_OK(liwan);
  Sql("UPDATE student SET school_id = $1, school_code = $2, county_code = '440103' WHERE id = $3",
      {liwan->id, kLiwan, s.id});
  auto refused = Act("tianhe.county", *at_last, CaseAction::kApprove);
  ASSERT_THAT(refused, IsErrorCode("transfer_stale"));
  auto kept = cases_->Get(at_last->id);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->status, CaseStatus::kOpen);
  EXPECT_EQ(kept->step, 1);
  EXPECT_EQ(kept->version, at_last->version);
  Student now = Reload(s);
  EXPECT_EQ(now.enrolment.school_code, kLiwan);
  EXPECT_EQ(now.version, s.version);
  EXPECT_TRUE(ChangesOf(s).empty());
}

TEST_P(TransferTest, AStudentSuspendedMeanwhileIsNotMoved) {
  Student s = Enrol(24);
  auto at_last = Approve(OpenOk("tianhe2.registrar", RequestFor(s, kTianhe2)), {"tianhe1.head"});
  ASSERT_OK(at_last);
  SetStatus(s, "02");
  EXPECT_THAT(Act("tianhe.county", *at_last, CaseAction::kApprove),
              IsErrorCode("student_suspended"));
  auto kept = cases_->Get(at_last->id);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->status, CaseStatus::kOpen);
  ExpectNotMoved(s);
}

TEST_P(TransferTest, AStudentPromotedWhileTheCaseWaitsArrivesInTheNextGrade) {
  Student s = Enrol(25, 3);
  ApprovalCase k = OpenOk("tianhe2.registrar", RequestFor(s, kTianhe2, 4));
  // The annual promotion runs while the case waits: 3 -> 4.
  Sql("UPDATE student SET grade = grade + 1 WHERE id = $1", {s.id});
  ASSERT_OK(Approve(k, kSameCountyApprovers));
  Student moved = Reload(s);
  EXPECT_EQ(moved.enrolment.school_code, kTianhe2);
  EXPECT_EQ(moved.enrolment.grade, 5) << "the grade asked for, one year on";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student WHERE number_index = $1",
                  {NumberIndex(cipher_, s.student_number)}),
            1);
  std::vector<StatusChange> changes = ChangesOf(s);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].from_grade, 4) << "where the student was when it left";
  EXPECT_EQ(changes[0].to_grade, 5);
}

// The promotion runs (in batches of two students) while the county approves twelve
// transfers: whichever comes first, each student ends in the receiving school, promoted
// once (3 -> 4), with one record and its 21 and 22.
TEST_P(TransferTest, APromotionRunningWhileTransfersAreApprovedMovesAndPromotesEachOnce) {
  std::vector<Student> students;
  std::vector<ApprovalCase> at_county;
  for (int i = 0; i < 12; ++i) {
    students.push_back(Enrol(50 + i, 3));
    auto next =
        Act("tianhe1.head", OpenOk("tianhe2.registrar", RequestFor(students.back(), kTianhe2, 3)),
            CaseAction::kApprove);
    ASSERT_OK(next);
    at_county.push_back(*next);
  }
  clock_.Set(*ParseUtc("2026-08-10T17:00:00.000Z"));  // 01:00 on 11 August in Beijing
  std::latch start(2);
  std::thread promotion([&] {
    PromotionOptions options;
    options.year = 2026;
    options.where = org::Scope::Everything();
    options.batch_ids = 2;
    start.arrive_and_wait();
    EXPECT_OK(Promote(db(), clock_, options));
  });
  std::thread approvals([&] {
    start.arrive_and_wait();
    for (const ApprovalCase& k : at_county)
      EXPECT_OK(Act("tianhe.county", k, CaseAction::kApprove));
  });
  promotion.join();
  approvals.join();
  for (const Student& s : students) {
    SCOPED_TRACE("student " + std::to_string(s.id));
    const Student now = Reload(s);
    EXPECT_EQ(now.enrolment.school_code, kTianhe2);
    EXPECT_EQ(now.enrolment.grade, 4);
    const std::vector<StatusChange> changes = ChangesOf(s);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].type, "21");
    EXPECT_EQ(changes[1].type, "22");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 12);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM org WHERE level = 4 AND promoted_year = 2026"), 5);
}

// --- Two schools at once -------------------------------------------------------------

TEST_P(TransferTest, TwoSchoolsAskingForOneStudentAtOnceOneWins) {
  for (int round = 0; round < 5; ++round) {
    Student s = Enrol(30 + round);
    std::latch start(2);
    Result<ApprovalCase> a = Error::Internal("not run"), b = Error::Internal("not run");
    std::thread first([&] {
      start.arrive_and_wait();
      a = Open("tianhe2.registrar", RequestFor(s, kTianhe2));
    });
    std::thread second([&] {
      start.arrive_and_wait();
      b = Open("liwan.registrar", RequestFor(s, kLiwan));
    });
    first.join();
    second.join();
    ASSERT_NE(a.ok(), b.ok()) << "round " << round << ": exactly one opens";
    const Error& lost = a.ok() ? b.error() : a.error();
    EXPECT_EQ(lost.code, "transfer_pending") << "round " << round << ": " << lost.message;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM wf_case WHERE subject = $1 AND status = 'open'",
                    {SubjectOf(s)}),
              1);
  }
}

// --- The year end (registry_calendar.hpp, pending_clearance.hpp) ------------------------

TEST_P(TransferTest, FromFifteenJulyToThePromotionNoTransferOpens) {
  Student third = Enrol(40, 3), sixth = Enrol(41, 6);
  clock_.Set(*ParseUtc("2026-06-30T16:00:00.000Z"));  // 1 July, 00:00 in Beijing
  EXPECT_THAT(Open("tianhe2.registrar", RequestFor(sixth, kTianhe2, 6)),
              IsErrorCode("graduating_business_closed"));
  clock_.Set(*ParseUtc("2026-07-14T15:59:00.000Z"));  // 14 July, 23:59
  EXPECT_THAT(Open("tianhe2.registrar", RequestFor(sixth, kTianhe2, 6)),
              IsErrorCode("graduating_business_closed"));
  clock_.Set(*ParseUtc("2026-07-14T16:00:00.000Z"));  // 15 July
  EXPECT_THAT(Open("tianhe2.registrar", RequestFor(third, kTianhe2)),
              IsErrorCode("transfers_closed"));
  clock_.Set(*ParseUtc("2026-08-10T15:59:00.000Z"));  // 10 August, 23:59
  EXPECT_THAT(Open("tianhe2.registrar", RequestFor(third, kTianhe2)),
              IsErrorCode("transfers_closed"));
  EXPECT_EQ(Cases(), 0);
  clock_.Set(*ParseUtc("2026-08-10T16:00:00.000Z"));  // 24:00 on 10 August: a new year
  OpenOk("tianhe2.registrar", RequestFor(third, kTianhe2));
}

TEST_P(TransferTest, TheClearanceClosesOnlyTheGraduatingGradesPendingCases) {
  Student third = Enrol(42, 3), sixth = Enrol(43, 6);
  ApprovalCase stays = OpenOk("tianhe2.registrar", RequestFor(third, kTianhe2));
  ApprovalCase cleared = OpenOk("tianhe2.registrar", RequestFor(sixth, kTianhe2, 6));
  workflow::Actor node;
  node.account = "system:registry-clear-pending";
  ClearanceOptions options;
  options.year = 2026;
  options.where = org::Scope::Everything();

  // Not before 15 July, nor after the promotion: the graduating grades would be wrong.
  EXPECT_THAT(ClearGraduatingBusiness(db(), *cases_, clock_, node, options),
              IsErrorCode("clearance_out_of_window"));
  clock_.Set(*ParseUtc("2026-08-10T16:00:00.000Z"));
  EXPECT_THAT(ClearGraduatingBusiness(db(), *cases_, clock_, node, options),
              IsErrorCode("clearance_out_of_window"));

  clock_.Set(*ParseUtc("2026-07-14T16:00:00.000Z"));  // 15 July in Beijing
  options.dry_run = true;
  auto dry = ClearGraduatingBusiness(db(), *cases_, clock_, node, options);
  ASSERT_OK(dry);
  EXPECT_EQ(dry->cases, 1);
  EXPECT_EQ(dry->students, 1);
  EXPECT_EQ(dry->schools, (std::map<std::string, int64_t>{{kTianhe1, 1}}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM wf_case WHERE status = 'open'"), 2);

  // Another county's clearance does not reach these students.
  options.dry_run = false;
  options.where =
      org::Scope::Of(*org::OrgStore(db(), clock_).Get(org::Scope::Everything(), "440103"));
  auto elsewhere = ClearGraduatingBusiness(db(), *cases_, clock_, node, options);
  ASSERT_OK(elsewhere);
  EXPECT_EQ(elsewhere->cases, 0);

  options.where = org::Scope::Everything();
  auto done = ClearGraduatingBusiness(db(), *cases_, clock_, node, options);
  ASSERT_OK(done);
  EXPECT_EQ(done->cases, 1);
  auto closed = cases_->Get(cleared.id);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->status, CaseStatus::kCancelled);
  ASSERT_FALSE(closed->history.empty());
  EXPECT_EQ(closed->history.back().action, CaseAction::kClose);
  EXPECT_EQ(closed->history.back().reason, ClearanceReason(2026));
  EXPECT_EQ(closed->history.back().actor, "system:registry-clear-pending");
  auto open = cases_->Get(stays.id);
  ASSERT_OK(open);
  EXPECT_EQ(open->status, CaseStatus::kOpen);
  // The student is as it was before the case, and a second run finds nothing.
  ExpectNotMoved(sixth);
  auto again = ClearGraduatingBusiness(db(), *cases_, clock_, node, options);
  ASSERT_OK(again);
  EXPECT_EQ(again->cases, 0);
}

NEMIS_STORE_TEST_SUITE(TransferTest);

}  // namespace
}  // namespace nemis::registry
