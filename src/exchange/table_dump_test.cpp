// The bulk export of the students' status changes (学籍异动) on both stores: each student's in
// order, only the students in scope, the JY/T 1002 names as the header, CSV and JSON lines.
#include "exchange/table_dump.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "exchange/exchange_testing.hpp"
#include "registry/status_change.hpp"

namespace nemis::exchange {
namespace {

using testing::kSchool1;
using testing::kSchool2;

class TableDumpTest : public testing::TwoNodeTest {
 protected:
  void Change(const registry::Student& s, const std::string& type, const std::string& date,
              const std::string& before, const std::string& after) {
    registry::StatusChange c;
    c.type = type;
    c.change_date = date;
    c.reason = "家长申请";
    c.approved_on = date;
    c.approval_ref = "天教学〔2026〕3号";
    c.from_school = c.to_school = s.enrolment.school_code;
    c.from_grade = c.to_grade = 3;
    c.from_class = c.to_class = "02";
    c.status_before = before;
    c.status_after = after;
    c.recorded_at = "2026-03-15T08:00:00.000Z";
    ASSERT_OK(db().WithWriter(
        [&](db::Connection& conn) { return registry::RecordStatusChange(conn, s.id, c); }));
  }

  std::string Dump(DumpFormat format, const org::Scope& scope, int64_t expected_rows) {
    std::ostringstream out;
    auto rows = DumpRows(db(), province_cipher_, DumpTable::kStatusChanges, format, scope, out);
    EXPECT_OK(rows);
    EXPECT_EQ(rows.ok() ? *rows : -1, expected_rows);
    return out.str();
  }

  org::Scope County(const std::string& code) {
    auto county = org::OrgStore(db()).Get(org::Scope::Everything(), code);
    EXPECT_OK(county);
    return org::Scope::Of(*county);
  }
};

TEST_P(TableDumpTest, StatusChangesOfTheStudentsInScopeInOrder) {
  const registry::Student tianhe = RegisterInProvince(1, kSchool1);
  const registry::Student liwan = RegisterInProvince(2, kSchool2);
  Change(tianhe, "11", "2026-03-01", "01", "02");  // 休学
  Change(liwan, "11", "2026-03-02", "01", "02");
  Change(tianhe, "12", "2026-03-10", "02", "05");  // 复学

  const std::string csv = Dump(DumpFormat::kCsv, County("440106"), 2);
  const std::string header =
      "\xEF\xBB\xBF学籍号,姓名,异动类别,异动日期,异动原因,审批日期,审批文号,原学校标识码,"
      "现学校标识码,原年级,现年级,原班级,现班级,异动前学生状态,异动后学生状态,登记时间\r\n";
  const std::string row_prefix = tianhe.student_number + "," + tianhe.name + ",";
  EXPECT_EQ(csv, header + row_prefix + "11,2026-03-01,家长申请,2026-03-01,天教学〔2026〕3号," +
                     kSchool1 + "," + kSchool1 + ",3,3,02,02,01,02,2026-03-15T08:00:00.000Z\r\n" +
                     row_prefix + "12,2026-03-10,家长申请,2026-03-10,天教学〔2026〕3号," +
                     kSchool1 + "," + kSchool1 + ",3,3,02,02,02,05,2026-03-15T08:00:00.000Z\r\n");
  EXPECT_EQ(csv.find(liwan.student_number), std::string::npos);  // another county's

  const std::string lines = Dump(DumpFormat::kJsonLines, org::Scope::Everything(), 3);
  std::istringstream in(lines);
  std::string first;
  ASSERT_TRUE(std::getline(in, first));
  const nlohmann::json j = nlohmann::json::parse(first);
  EXPECT_EQ(j["学籍号"], tianhe.student_number);
  EXPECT_EQ(j["异动类别"], "11");
  EXPECT_EQ(j["异动后学生状态"], "02");
}

TEST(TableDumpNamesTest, ChangesIsATable) {
  EXPECT_EQ(*ParseDumpTable("changes"), DumpTable::kStatusChanges);
  auto bad = ParseDumpTable("accounts");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "bad_parameter");
  EXPECT_NE(bad.error().message.find("changes"), std::string::npos);
}

NEMIS_STORE_TEST_SUITE(TableDumpTest);

}  // namespace
}  // namespace nemis::exchange
