// Which students' personal data a caller sees whole, what that leaves in the audit log,
// and that nothing is disclosed when the audit log cannot be written.
#include "api/personal_disclosure.hpp"

#include <gtest/gtest.h>

#include "api/api_testing.hpp"
#include "audit/audit_query.hpp"
#include "identity/permissions.hpp"
#include "testing/audit_log_refusal.hpp"

namespace nemis::api {
namespace {

registry::Student StudentAt(const std::string& school, const std::string& county,
                            const std::string& id) {
  registry::Student s;
  s.student_number = "G" + id;
  s.id_number = id;
  s.phone = "13812345678";
  s.address = "广东省广州市天河区体育西路 1 号";
  s.enrolment.school_code = school;
  s.enrolment.province_code = "440000";
  s.enrolment.city_code = "440100";
  s.enrolment.county_code = county;
  return s;
}

class PersonalDisclosureTest : public ApiStoreTest {
 protected:
  // A caller whose one grant gives `permissions` at a school of 天河区.
  Caller CallerWith(std::vector<std::string> permissions) {
    auto principal = std::make_shared<identity::Principal>();
    principal->login = "clerk";
    principal->grants.push_back({"school_registrar", "学校学籍管理员", false,
                                 org::Subtree{org::OrgLevel::kSchool, "2144000001", 0},
                                 std::move(permissions)});
    Caller caller;
    caller.account = "clerk";
    caller.principal = principal;
    return caller;
  }
  http::Request Request() {
    http::Request r;
    r.method = "GET";
    r.path = "/api/v1/students/G11010519491231002X";
    r.request_id = "req-1";
    return r;
  }
  std::vector<audit::AuditRecord> SensitiveReads() {
    audit::AuditFilter f;
    f.action = std::string(kSensitiveReadAction);
    auto page = audit::Query(db(), f);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->records : std::vector<audit::AuditRecord>{};
  }

  std::vector<registry::Student> students_ = {
      StudentAt("2144000001", "440106", "11010519491231002X"),
      StudentAt("2144000002", "440106", "440524188001010014")};
};

TEST_P(PersonalDisclosureTest, WholeOnlyWhereTheCallerMaySeeItAndAudited) {
  Caller clerk = CallerWith({std::string(identity::perm::kStudentView),
                             std::string(identity::perm::kStudentViewSensitive)});
  EXPECT_TRUE(DiscloseTo(*ctx_, Request(), clerk, students_));
  EXPECT_EQ(students_[0].student_number, "G11010519491231002X");  // its own school
  EXPECT_EQ(*students_[0].phone, "13812345678");
  EXPECT_EQ(students_[1].student_number, "G4405**********0014");  // another school
  EXPECT_EQ(*students_[1].id_number, "4405**********0014");
  EXPECT_EQ(*students_[1].address, "广东省广州市****");
  auto reads = SensitiveReads();
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].entry.account, "clerk");
  EXPECT_EQ(reads[0].entry.target, "G1101**********002X");
  EXPECT_EQ(reads[0].entry.details, R"({"method":"GET","students":["G1101**********002X"]})");
}

TEST_P(PersonalDisclosureTest, WithoutViewSensitiveEverythingIsMaskedAndNothingAudited) {
  Caller viewer = CallerWith({std::string(identity::perm::kStudentView)});
  EXPECT_TRUE(DiscloseTo(*ctx_, Request(), viewer, students_));
  EXPECT_EQ(students_[0].student_number, "G1101**********002X");
  EXPECT_EQ(*students_[0].phone, "138****5678");
  EXPECT_TRUE(SensitiveReads().empty());
}

TEST_P(PersonalDisclosureTest, AnUnwritableAuditLogMasksEverything) {
  std::string refuse = testing::RefuseAuditAppendsSql(backend() == db::Backend::kPostgres);
  ASSERT_TRUE(db().WithRawWriter([&](db::Connection& c) { return c.ExecScript(refuse); }).ok());
  Caller clerk = CallerWith({std::string(identity::perm::kStudentView),
                             std::string(identity::perm::kStudentViewSensitive)});
  EXPECT_FALSE(DiscloseTo(*ctx_, Request(), clerk, students_));
  EXPECT_EQ(students_[0].student_number, "G1101**********002X");
  EXPECT_EQ(*students_[0].id_number, "1101**********002X");
  EXPECT_EQ(*students_[0].phone, "138****5678");
}

}  // namespace
NEMIS_STORE_TEST_SUITE(PersonalDisclosureTest);
}  // namespace nemis::api
