// Which students' personal data a reader sees whole, what that leaves in the audit log,
// and that nothing is disclosed when the audit log cannot be written (both stores).
#include "registry/student_disclosure.hpp"

#include <gtest/gtest.h>

#include "audit/audit_query.hpp"
#include "db/migrations/migrate.hpp"
#include "testing/audit_log_refusal.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::registry {
namespace {

Student StudentAt(const std::string& school, const std::string& county, const std::string& id) {
  Student s;
  s.student_number = "G" + id;
  s.id_number = id;
  s.phone = "13812345678";
  s.address = "广东省广州市天河区体育西路 1 号";
  s.guardian1.id_number = "440106198001010019";
  s.enrolment.school_code = school;
  s.enrolment.province_code = "440000";
  s.enrolment.city_code = "440100";
  s.enrolment.county_code = county;
  return s;
}

class StudentDisclosureTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(db::Migrate(db()).ok());
  }
  // A reader who may see personal data whole at 天河区第一小学 only, when `sensitive`.
  StudentViewer Clerk(bool sensitive) {
    StudentViewer v;
    v.scope = org::Scope::Everything();
    if (sensitive) v.sensitive = org::Scope(org::Subtree{org::OrgLevel::kSchool, "2144000001", 0});
    v.reader.account = "clerk";
    v.reader.request_id = "req-1";
    v.method = "GET";
    return v;
  }
  std::vector<audit::AuditRecord> SensitiveReads() {
    audit::AuditFilter f;
    f.action = std::string(kSensitiveReadAction);
    auto page = audit::Query(db(), f);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->records : std::vector<audit::AuditRecord>{};
  }
  void Show(const StudentViewer& viewer) { internal::ShowTo(db(), clock_, viewer, students_); }

  FixedClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1761955200))};
  std::vector<Student> students_ = {StudentAt("2144000001", "440106", "11010519491231002X"),
                                    StudentAt("2144000002", "440106", "440524188001010014")};
};

TEST_P(StudentDisclosureTest, WholeOnlyWhereTheReaderMaySeeItAndAudited) {
  Show(Clerk(true));
  EXPECT_EQ(students_[0].personal_view, PersonalView::kWhole);
  EXPECT_EQ(students_[0].student_number, "G11010519491231002X");  // its own school
  EXPECT_EQ(*students_[0].phone, "13812345678");
  EXPECT_EQ(*students_[0].guardian1.id_number, "440106198001010019");
  EXPECT_EQ(students_[1].personal_view, PersonalView::kMasked);
  EXPECT_EQ(students_[1].student_number, "G4405**********0014");  // another school
  EXPECT_EQ(*students_[1].id_number, "4405**********0014");
  EXPECT_EQ(*students_[1].address, "广东省广州市****");
  EXPECT_EQ(*students_[1].guardian1.id_number, "4401**********0019");
  auto reads = SensitiveReads();
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].entry.account, "clerk");
  EXPECT_EQ(reads[0].entry.request_id, "req-1");
  EXPECT_EQ(reads[0].entry.time, "2025-11-01T00:00:00.000Z");
  EXPECT_EQ(reads[0].entry.target, "G1101**********002X");
  EXPECT_EQ(reads[0].entry.details, R"({"method":"GET","students":["G1101**********002X"]})");
}

TEST_P(StudentDisclosureTest, SeveralShownWholeMakeOneEntryNamingEachMasked) {
  StudentViewer reader = Clerk(false);
  reader.sensitive = org::Scope::Everything();
  Show(reader);
  auto reads = SensitiveReads();
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].entry.target, "G1101**********002X (+1)");
  EXPECT_EQ(reads[0].entry.details,
            R"({"method":"GET","students":["G1101**********002X","G4405**********0014"]})");
}

TEST_P(StudentDisclosureTest, WithoutViewSensitiveEverythingIsMaskedAndNothingAudited) {
  Show(Clerk(false));
  EXPECT_EQ(students_[0].personal_view, PersonalView::kMasked);
  EXPECT_EQ(students_[0].student_number, "G1101**********002X");
  EXPECT_EQ(*students_[0].phone, "138****5678");
  EXPECT_TRUE(SensitiveReads().empty());
}

TEST_P(StudentDisclosureTest, AnUnwritableAuditLogMasksEverything) {
  std::string refuse = testing::RefuseAuditAppendsSql(backend() == db::Backend::kPostgres);
  ASSERT_TRUE(db().WithRawWriter([&](db::Connection& c) { return c.ExecScript(refuse); }).ok());
  Show(Clerk(true));
  EXPECT_EQ(students_[0].personal_view, PersonalView::kMaskedUnaudited);
  EXPECT_EQ(students_[0].student_number, "G1101**********002X");
  EXPECT_EQ(*students_[0].id_number, "1101**********002X");
  EXPECT_EQ(*students_[0].phone, "138****5678");
  EXPECT_EQ(students_[1].personal_view, PersonalView::kMasked);
}

// A write's answer is audited inside the write: rolled back with it, kept with it.
TEST_P(StudentDisclosureTest, AWritesAnswerIsAuditedInsideTheWrite) {
  StudentViewer clerk = Clerk(true);
  Status rolled_back = db().WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(internal::AuditInWrite(c, clock_, clerk, students_));
    return Error::PreconditionFailed();
  });
  EXPECT_EQ(rolled_back.error().kind, ErrorKind::kPreconditionFailed);
  EXPECT_TRUE(SensitiveReads().empty());
  ASSERT_TRUE(db().WithWriter([&](db::Connection& c) {
                    return internal::AuditInWrite(c, clock_, clerk, students_);
                  })
                  .ok());
  internal::ShowAudited(clerk, students_);
  ASSERT_EQ(SensitiveReads().size(), 1u);
  EXPECT_EQ(students_[0].personal_view, PersonalView::kWhole);
  EXPECT_EQ(students_[1].personal_view, PersonalView::kMasked);
  EXPECT_EQ(*students_[1].phone, "138****5678");
}

TEST_P(StudentDisclosureTest, AnUnwritableAuditLogRefusesTheWrite) {
  std::string refuse = testing::RefuseAuditAppendsSql(backend() == db::Backend::kPostgres);
  ASSERT_TRUE(db().WithRawWriter([&](db::Connection& c) { return c.ExecScript(refuse); }).ok());
  Status write = db().WithWriter(
      [&](db::Connection& c) { return internal::AuditInWrite(c, clock_, Clerk(true), students_); });
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, "store_unavailable");
  // Nothing to audit, nothing refused: a reader who sees nothing whole writes no entry.
  EXPECT_TRUE(db().WithWriter([&](db::Connection& c) {
                    return internal::AuditInWrite(c, clock_, Clerk(false), students_);
                  })
                  .ok());
}

TEST_P(StudentDisclosureTest, TheNodeSeesEverythingWholeWithoutAnEntry) {
  Show(StudentViewer::Node());
  EXPECT_EQ(students_[1].personal_view, PersonalView::kWhole);
  EXPECT_EQ(*students_[1].id_number, "440524188001010014");
  EXPECT_TRUE(SensitiveReads().empty());
}

TEST_P(StudentDisclosureTest, AMaskedReaderSeesNothingWhole) {
  Show(StudentViewer::Masked(org::Scope::Everything()));
  EXPECT_EQ(students_[0].personal_view, PersonalView::kMasked);
  EXPECT_EQ(students_[1].personal_view, PersonalView::kMasked);
  EXPECT_TRUE(SensitiveReads().empty());
}

}  // namespace
NEMIS_STORE_TEST_SUITE(StudentDisclosureTest);
}  // namespace nemis::registry
