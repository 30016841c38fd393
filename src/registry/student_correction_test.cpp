// Corrections of protected fields as approval cases, on both stores: the chain a request
// opens and what its case shows (masked); every refusal with its stable code and nothing
// written; the final approval that applies the values with their history; a student changed
// meanwhile (correction_stale); rejection and cancellation that change nothing; an ID
// registered by someone else meanwhile; a G number's ID refused, a J student's ID added; and
// no clear ID in the sealed table, the case or anywhere else it writes.
#include "registry/student_correction.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "codes/id_number.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "registry/personal_record.hpp"
#include "registry/personal_reseal.hpp"
#include "registry/registry_case_testing.hpp"
#include "registry/student_lock.hpp"
#include "registry/student_store.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

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

const std::string kTianhe1 = "2144000001", kTianhe2 = "2144000002", kLiwan = "2144000003";
const std::string kTianheCounty = "440106";

const GrantTable kGrants = {
    {"tianhe1.registrar", {{"student.update", kTianhe1}}},
    {"tianhe1.head", {{"student.approve", kTianhe1}}},
    {"tianhe.county", {{"student.approve", kTianheCounty}}},
};

workflow::Actor ActorFor(const std::string& account) { return ActorWithGrants(account, kGrants); }

std::string IdOf(const std::string& first17) { return first17 + codes::IdCheckCharacter(first17); }

CorrectionRequest Request() {
  CorrectionRequest r;
  r.reason = "户籍登记姓名与学籍不一致";
  r.document = "天河派出所户籍证明〔2026〕8号";
  r.date = "2026-03-10";
  return r;
}

std::map<std::string, std::string> FieldsOf(const Error& e) {
  std::map<std::string, std::string> fields;
  for (const FieldError& f : e.fields) fields[f.field] = f.code;
  return fields;
}

class StudentCorrectionTest : public testing::StoreTest {
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
    corrections_ = std::make_unique<StudentCorrections>(db(), cipher_, *cases_, clock_);
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
  org::Scope ScopeOf(const std::string& code) {
    org::OrgStore orgs(db(), clock_);
    auto school = orgs.Get(org::Scope::Everything(), code);
    EXPECT_OK(school);
    return school.ok() ? org::Scope::Of(*school) : org::Scope();
  }

  // A girl born 2017-03-15 in grade 3 at `school`: with the citizen ID 440106 20170315 <seq>
  // (a G number), or none (a J number, her guardian's ID given instead).
  Student Enrol(int seq, bool with_id = true, const std::string& school = kTianhe1) {
    Draft d;
    d.Set(F::kName, "王小红");
    d.Set(F::kGender, "2");
    d.Set(F::kBirthDate, "2017-03-15");
    d.Set(F::kEthnicity, "01");
    if (with_id)
      d.Set(F::kIdNumber, IdOf("44010620170315" + std::to_string(1000 + seq * 2).substr(1)));
    else
      d.Set(F::kGuardian1IdNumber, IdOf("44010619880101001"));
    d.Set(F::kSchoolCode, school);
    d.Set(F::kGrade, "3");
    d.Set(F::kClassNo, "02");
    d.Set(F::kEntryDate, "2023-09");
    d.Set(F::kGuardian1Name, "王家长");
    d.Set(F::kGuardian1Relation, "1");
    auto r = students_->Register(StudentViewer::Node(), d.input, {});
    EXPECT_OK(r);
    return r.ok() ? r->student : Student{};
  }

  Result<ApprovalCase> Open(const std::string& account, const Student& s,
                            const CorrectionRequest& r,
                            const org::Scope& scope = org::Scope::Everything()) {
    return corrections_->Open(ActorFor(account), scope, s.student_number, r);
  }
  Result<ApprovalCase> Act(const std::string& account, const ApprovalCase& kase, CaseAction action,
                           std::string_view reason = "") {
    return cases_->Act(
        ActorFor(account), Definition(kase.type), kase.id, action, kase.version, reason,
        [&](db::Connection& c, const ApprovalCase& k) { return corrections_->OnEnd(c, k); });
  }
  // Opened by the registrar and approved by the school head: waiting at the county.
  ApprovalCase AtCounty(const Student& s, const CorrectionRequest& r) {
    auto opened = Open("tianhe1.registrar", s, r);
    EXPECT_OK(opened);
    if (!opened.ok()) return {};
    auto next = Act("tianhe1.head", *opened, CaseAction::kApprove);
    EXPECT_OK(next);
    return next.ok() ? *next : ApprovalCase{};
  }
  Student Reload(const Student& s) {
    auto r = students_->Get(StudentViewer::Node(), s.student_number);
    EXPECT_OK(r);
    return r.ok() ? *r : Student{};
  }
  std::vector<Correction> HistoryOf(const Student& s, bool whole = true) {
    auto r = corrections_->History(s.id, whole);
    EXPECT_OK(r);
    return r.ok() ? *r : std::vector<Correction>{};
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
  int64_t Rows() { return Count("SELECT COUNT(*) FROM student_correction"); }
  int64_t Updates(const Student& s) {
    return Count(
        "SELECT COUNT(*) FROM change_log WHERE entity = 'student' AND op = 'U' AND entity_id = $1",
        {s.id});
  }
  // How many rows of the tables a correction writes hold `text` anywhere in clear.
  int64_t ClearCopies(const std::string& text) {
    const std::string like = "%" + text + "%";
    return Count(
               "SELECT COUNT(*) FROM student_correction WHERE sealed LIKE $1 OR fields LIKE $1 "
               "OR reason LIKE $1 OR document LIKE $1",
               {like}) +
           Count("SELECT COUNT(*) FROM wf_case WHERE details LIKE $1 OR subject LIKE $1", {like}) +
           Count("SELECT COUNT(*) FROM wf_case_event WHERE reason LIKE $1", {like}) +
           Count("SELECT COUNT(*) FROM audit_log WHERE details LIKE $1 OR target LIKE $1", {like});
  }
  void ExpectUnchanged(const Student& before) {
    Student now = Reload(before);
    EXPECT_EQ(now.name, before.name);
    EXPECT_EQ(now.gender, before.gender);
    EXPECT_EQ(now.birth_date, before.birth_date);
    EXPECT_EQ(now.id_type, before.id_type);
    EXPECT_EQ(now.id_number, before.id_number);
    EXPECT_EQ(now.version, before.version);
  }

  FixedClock clock_{*ParseUtc("2026-03-15T17:30:00.000Z")};
  crypto::FieldKeys keys_ = crypto::FieldKeys::Generate(1);
  crypto::FieldCipher cipher_{keys_};
  std::unique_ptr<StudentStore> students_;
  std::unique_ptr<workflow::CaseStore> cases_;
  std::unique_ptr<StudentCorrections> corrections_;
};

TEST_P(StudentCorrectionTest, ANameCorrectedByTheSchoolAndTheCountyIsAppliedWithItsHistory) {
  Student s = Enrol(1);
  CorrectionRequest r = Request();
  r.name = "王小𠀀";  // a 4-byte 生僻字
  auto opened = Open("tianhe1.registrar", s, r);
  ASSERT_OK(opened);
  EXPECT_EQ(opened->type, "student.correction");
  EXPECT_EQ(opened->parties,
            (std::map<std::string, std::string>{{"school", kTianhe1}, {"county", kTianheCounty}}));
  const nlohmann::json d = nlohmann::json::parse(opened->details);
  ASSERT_EQ(d["corrections"].size(), 1u);
  EXPECT_EQ(d["corrections"][0]["field"], "name");
  EXPECT_EQ(d["corrections"][0]["from"], "王**");
  EXPECT_EQ(d["corrections"][0]["to"], "王**");
  EXPECT_EQ(d["student"]["name"], "王**");
  EXPECT_EQ(d["reason"], r.reason);
  EXPECT_EQ(d["document"], r.document);
  EXPECT_EQ(d["date"], "2026-03-10");
  // Pending: shown, not applied.
  ASSERT_EQ(HistoryOf(s).size(), 1u);
  EXPECT_FALSE(HistoryOf(s)[0].applied);
  ExpectUnchanged(s);

  auto at_county = Act("tianhe1.head", *opened, CaseAction::kApprove);
  ASSERT_OK(at_county);
  ExpectUnchanged(s);
  EXPECT_THAT(Act("tianhe1.head", *at_county, CaseAction::kApprove), IsErrorCode("forbidden"));
  auto approved = Act("tianhe.county", *at_county, CaseAction::kApprove);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->status, CaseStatus::kApproved);
  Student now = Reload(s);
  EXPECT_EQ(now.name, "王小𠀀");
  EXPECT_EQ(now.version, s.version + 1);
  EXPECT_EQ(now.id_number, s.id_number);
  EXPECT_EQ(Updates(s), 1);
  std::vector<Correction> history = HistoryOf(s);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_TRUE(history[0].applied);
  EXPECT_EQ(history[0].case_id, opened->id);
  EXPECT_EQ(history[0].approved_on, "2026-03-16");
  EXPECT_EQ(history[0].reason, r.reason);
  EXPECT_EQ(history[0].document, r.document);
  ASSERT_EQ(history[0].values.size(), 1u);
  EXPECT_EQ(history[0].values[0].before, "王小红");
  EXPECT_EQ(history[0].values[0].after, "王小𠀀");
  EXPECT_EQ(HistoryOf(s, false)[0].values[0].after, "王**");
  EXPECT_EQ(ClearCopies("王小红"), 0);
  EXPECT_EQ(ClearCopies("王小𠀀"), 0);
  // The student may be asked about again.
  CorrectionRequest again = Request();
  again.name = "王小红";
  EXPECT_OK(Open("tianhe1.registrar", s, again));
}

TEST_P(StudentCorrectionTest, EveryRefusalNamesItsFieldAndWritesNothing) {
  Student s = Enrol(2);
  EXPECT_THAT(Open("tianhe1.registrar", s, Request()), IsErrorCode("nothing_to_correct"));
  CorrectionRequest bare;
  bare.name = "王小明";
  bare.date = "2026-02-30";
  auto incomplete = Open("tianhe1.registrar", s, bare);
  ASSERT_THAT(incomplete, IsErrorCode("validation_failed"));
  EXPECT_EQ(FieldsOf(incomplete.error()),
            (std::map<std::string, std::string>{
                {"reason", "required"}, {"document", "required"}, {"date", "bad_date"}}));

  CorrectionRequest bad = Request();
  bad.name = "王2";
  bad.gender = "3";
  bad.birth_date = "2030-01-01";
  auto invalid = Open("tianhe1.registrar", s, bad);
  ASSERT_THAT(invalid, IsErrorCode("validation_failed"));
  EXPECT_EQ(FieldsOf(invalid.error()).at("name"), "bad_name");
  EXPECT_EQ(FieldsOf(invalid.error()).at("gender"), "unknown_code");
  EXPECT_EQ(FieldsOf(invalid.error()).at("birthDate"), "future_date");

  // The same value, however written, is no correction; a birth date must agree with the ID,
  // and so must the gender.
  CorrectionRequest same = Request();
  same.name = " 王小红 ";
  same.gender = "女";
  EXPECT_EQ(FieldsOf(Open("tianhe1.registrar", s, same).error()),
            (std::map<std::string, std::string>{{"name", "unchanged"}, {"gender", "unchanged"}}));
  CorrectionRequest birth = Request();
  birth.birth_date = "2017-03-16";
  EXPECT_EQ(FieldsOf(Open("tianhe1.registrar", s, birth).error()).at("birthDate"), "id_mismatch");
  CorrectionRequest gender = Request();
  gender.gender = "1";
  EXPECT_EQ(FieldsOf(Open("tianhe1.registrar", s, gender).error()).count("idNumber"), 1u);
  // A minority name with the middle dot is a name.
  CorrectionRequest dot = Request();
  dot.name = "阿卜杜拉·买买提";
  EXPECT_OK(Open("tianhe1.registrar", s, dot));
  EXPECT_EQ(Cases(), 1);
  EXPECT_EQ(Rows(), 1);
}

TEST_P(StudentCorrectionTest, WhoMayNotAskLearnsNothingAndOneCaseAtATime) {
  Student s = Enrol(3);
  CorrectionRequest r = Request();
  r.name = "王晓红";
  auto outside = Open("tianhe1.registrar", s, r, ScopeOf(kLiwan));
  ASSERT_THAT(outside, IsErrorCode("not_found"));
  Student unknown = s;
  unknown.student_number = "G" + IdOf("44010620170315999");
  EXPECT_EQ(Open("tianhe1.registrar", unknown, r).error().message, outside.error().message);
  // A bad value is not reported before the student is found.
  CorrectionRequest bad = r;
  bad.gender = "7";
  EXPECT_THAT(Open("tianhe1.registrar", s, bad, ScopeOf(kTianhe2)), IsErrorCode("not_found"));
  EXPECT_THAT(Open("tianhe1.head", s, bad), IsErrorCode("forbidden"));
  ASSERT_OK(Open("tianhe1.registrar", s, r, ScopeOf(kTianhe1)));
  auto pending = Open("tianhe1.registrar", s, r);
  ASSERT_THAT(pending, IsErrorCode("case_pending"));
  EXPECT_EQ(pending.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(Cases(), 1);
}

TEST_P(StudentCorrectionTest, AGNumbersIdIsNotCorrectedHere) {
  Student s = Enrol(4);
  CorrectionRequest r = Request();
  r.id_number = IdOf("44010620170315010");
  auto refused = Open("tianhe1.registrar", s, r);
  ASSERT_THAT(refused, IsErrorCode("g_number_id_change"));
  EXPECT_EQ(refused.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(FieldsOf(refused.error()).at("idNumber"), "g_number_id_change");
  r.id_number.reset();
  r.id_type = "2";
  EXPECT_THAT(Open("tianhe1.registrar", s, r), IsErrorCode("g_number_id_change"));
  EXPECT_EQ(Cases(), 0);
}

TEST_P(StudentCorrectionTest, AJStudentGetsHerIdAndKeepsHerNumber) {
  Student j = Enrol(5, false);
  ASSERT_EQ(j.number_kind, 'J');
  const std::string id = IdOf("44010620170315020");
  CorrectionRequest r = Request();
  r.id_number = id;
  ApprovalCase at_county = AtCounty(j, r);
  const nlohmann::json d = nlohmann::json::parse(at_county.details);
  ASSERT_EQ(d["corrections"].size(), 2u) << "the type comes with the number";
  EXPECT_EQ(d["corrections"][0]["field"], "idType");
  EXPECT_EQ(d["corrections"][0]["to"], "1");
  EXPECT_EQ(d["corrections"][1]["from"], nullptr);
  EXPECT_EQ(d["corrections"][1]["to"], "4401**********" + id.substr(14));
  // The waiting value is sealed: not the ID, nor its birth-date part, in any row.
  EXPECT_EQ(ClearCopies(id), 0);
  EXPECT_EQ(ClearCopies(id.substr(0, 14)), 0);
  auto raw = db().Read<std::string>([&](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT sealed, fields FROM student_correction", {}));
    return rs.rows.at(0).Text(0) + "|" + rs.rows.at(0).Text(1);
  });
  ASSERT_OK(raw);
  EXPECT_EQ(raw->find(id), std::string::npos);
  EXPECT_NE(raw->find("|idType,idNumber"), std::string::npos);

  ASSERT_OK(Act("tianhe.county", at_county, CaseAction::kApprove));
  Student now = Reload(j);
  EXPECT_EQ(now.student_number, j.student_number);
  EXPECT_EQ(now.number_kind, 'J');
  EXPECT_EQ(now.id_type, "1");
  EXPECT_EQ(now.id_number, id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student WHERE id_type = '1' AND id_index = $1",
                  {DocumentIndex(cipher_, id)}),
            1);
  EXPECT_EQ(ClearCopies(id), 0);
  // One person, one number: nobody may register with it now.
  CorrectionRequest twice = Request();
  twice.id_number = id;
  EXPECT_THAT(Open("tianhe1.registrar", Enrol(6, false), twice), IsErrorCode("duplicate_student"));
}

TEST_P(StudentCorrectionTest, AnIdRegisteredElsewhereIsRefusedAtOpeningAndAtApproval) {
  Student g = Enrol(7, true, kLiwan);
  Student j = Enrol(8, false);
  CorrectionRequest taken = Request();
  taken.id_number = g.id_number;
  EXPECT_THAT(Open("tianhe1.registrar", j, taken, ScopeOf(kTianhe1)),
              IsErrorCode("registered_elsewhere"));
  EXPECT_THAT(Open("tianhe1.registrar", j, taken), IsErrorCode("duplicate_student"));
  EXPECT_EQ(Cases(), 0);

  // Free when asked, registered by another child before the county approves.
  const std::string id = IdOf("44010620170315030");
  CorrectionRequest r = Request();
  r.id_number = id;
  ApprovalCase at_county = AtCounty(j, r);
  Draft other;
  for (auto [f, v] : {std::pair{F::kName, "李小花"},
                      {F::kGender, "2"},
                      {F::kBirthDate, "2017-03-15"},
                      {F::kEthnicity, "01"},
                      {F::kSchoolCode, kLiwan.c_str()},
                      {F::kGrade, "3"},
                      {F::kClassNo, "01"},
                      {F::kEntryDate, "2023-09"},
                      {F::kGuardian1Name, "李家长"},
                      {F::kGuardian1Relation, "1"}})
    other.Set(f, v);
  other.Set(F::kIdNumber, id);
  ASSERT_OK(students_->Register(StudentViewer::Node(), other.input, {}));
  auto refused = Act("tianhe.county", at_county, CaseAction::kApprove);
  ASSERT_THAT(refused, IsErrorCode("registered_elsewhere"));
  EXPECT_EQ(refused.error().message.find("荔湾"), std::string::npos);
  ExpectUnchanged(j);
  EXPECT_EQ(cases_->Get(at_county.id)->status, CaseStatus::kOpen);
  EXPECT_EQ(Updates(j), 0);
}

TEST_P(StudentCorrectionTest, AStudentChangedSinceTheCaseOpenedIsNotCorrected) {
  Student s = Enrol(9);
  CorrectionRequest r = Request();
  r.name = "王晓红";
  ApprovalCase at_county = AtCounty(s, r);
  // A plain correction of another field meanwhile.
  Draft patch;
  patch.Set(F::kClassNo, "05");
  auto patched = students_->Update(StudentViewer::Node(), s.student_number, patch.input,
                                   {s.version, s.enrolment.grade_mark});
  ASSERT_OK(patched);
  auto stale = Act("tianhe.county", at_county, CaseAction::kApprove);
  ASSERT_THAT(stale, IsErrorCode("correction_stale"));
  EXPECT_EQ(stale.error().kind, ErrorKind::kConflict);
  ExpectUnchanged(*patched);
  auto kept = cases_->Get(at_county.id);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->status, CaseStatus::kOpen);
  EXPECT_EQ(kept->step, 1);
  EXPECT_FALSE(HistoryOf(s).at(0).applied);
  // The county rejects it: the waiting values go, and nothing is applied.
  ASSERT_OK(Act("tianhe.county", at_county, CaseAction::kReject, "请重新申请"));
  EXPECT_TRUE(HistoryOf(s).empty());
  EXPECT_EQ(Rows(), 0);
  ExpectUnchanged(*patched);
}

TEST_P(StudentCorrectionTest, ARejectedOrCancelledCorrectionIsNeverApplied) {
  Student s = Enrol(10);
  CorrectionRequest r = Request();
  r.name = "王晓红";
  auto opened = Open("tianhe1.registrar", s, r);
  ASSERT_OK(opened);
  ASSERT_OK(Act("tianhe1.head", *opened, CaseAction::kReject, "证明材料不全"));
  EXPECT_EQ(Rows(), 0);
  ExpectUnchanged(s);
  auto again = Open("tianhe1.registrar", s, r);
  ASSERT_OK(again);
  ASSERT_OK(Act("tianhe1.registrar", *again, CaseAction::kCancel));
  EXPECT_EQ(Rows(), 0);
  EXPECT_TRUE(HistoryOf(s).empty());
  ExpectUnchanged(s);
  EXPECT_EQ(Updates(s), 0);
}

TEST_P(StudentCorrectionTest, WaitingValuesThatCannotBeOpenedAreNeverApplied) {
  Student s = Enrol(12);
  CorrectionRequest r = Request();
  r.name = "王晓红";
  ApprovalCase at_county = AtCounty(s, r);
  auto tamper = [&](const std::string& sql) {
    ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, {at_county.id}));
      return rs.affected == 1 ? Status() : Error::Internal("no row");
    }));
  };
  // Another key's value (a forged or damaged row): the tag does not verify.
  const std::string forged = SealCorrected(crypto::FieldCipher(crypto::FieldKeys::Generate(1)),
                                           {{F::kName, "王小红", "李四"}});
  tamper("UPDATE student_correction SET sealed = '" + forged + "' WHERE case_id = $1");
  auto refused = Act("tianhe.county", at_county, CaseAction::kApprove);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kInternal);
  ExpectUnchanged(s);
  EXPECT_EQ(cases_->Get(at_county.id)->status, CaseStatus::kOpen);
  // No waiting values at all.
  tamper("DELETE FROM student_correction WHERE case_id = $1");
  auto missing = Act("tianhe.county", at_county, CaseAction::kApprove);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kInternal);
  ExpectUnchanged(s);
  EXPECT_EQ(Updates(s), 0);
}

TEST_P(StudentCorrectionTest, AKeyRotationSealsTheValuesAgain) {
  Student j = Enrol(11, false);
  const std::string id = IdOf("44010620170315040");
  CorrectionRequest r = Request();
  r.id_number = id;
  ASSERT_OK(Open("tianhe1.registrar", j, r));
  crypto::FieldKeys v2 = crypto::FieldKeys::Generate(2);
  v2.index_key = keys_.index_key;  // as RotateFieldKeys does
  auto resealed = ResealCorrections(db(), crypto::FieldCipher(v2, {keys_}));
  ASSERT_OK(resealed);
  EXPECT_EQ(*resealed, 1);
  // The new generation alone opens them.
  crypto::FieldCipher only_new(v2);
  auto history = StudentCorrections(db(), only_new, *cases_, clock_).History(j.id, true);
  ASSERT_OK(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->at(0).values.back().after, id);
  EXPECT_FALSE(corrections_->History(j.id, true).ok()) << "the old generation no longer opens them";
}

NEMIS_STORE_TEST_SUITE(StudentCorrectionTest);

}  // namespace
}  // namespace nemis::registry
