// A store with 天河区's two primary schools (registry/number_testing.hpp) and a senior high
// school, pupils and seniors registered in them, and award lists written as CSV files: for
// the tests of award lists and their payment.
#pragma once

#include <fstream>
#include <string>

#include "aid/award_list.hpp"
#include "registry/number_testing.hpp"

namespace nemis::aid::testing {

inline const std::string kSenior = "3444000003";  // 天河区高级中学, type 342, 高中

class AidTest : public registry::number_testing::NumberTest {
 protected:
  void SetUp() override {
    NumberTest::SetUp();
    org::OrgStore orgs(db(), clock_);
    org::InstitutionInput in;
    in.code = kSenior;
    in.parent_code = "440106";
    in.name = "天河区高级中学";
    in.school_type = "342";
    ASSERT_OK(orgs.Create(org::Scope::Everything(), in));
  }

  // Student `seq` in grade 10 of the senior high school.
  registry::Student EnrolSenior(int seq) {
    registry::case_testing::Draft d;
    registry::case_testing::SetPupil(d, seq, kSenior, 10, 2010, "2025-09");
    auto r = students_->Register(registry::StudentViewer::Node(), d.input, {});
    EXPECT_OK(r);
    return r.ok() ? r->student : registry::Student{};
  }

  // A list file of `lines` under the header 学籍号,姓名,资助项目,学年,金额.
  std::string ListFile(const std::vector<std::string>& lines,
                       const std::string& header = "学籍号,姓名,资助项目,学年,金额") {
    std::string path = dir_.File("list" + std::to_string(++files_) + ".csv");
    std::ofstream out(path, std::ios::binary);
    out << header << "\r\n";
    for (const std::string& line : lines) out << line << "\r\n";
    return path;
  }

  static std::string Row(const registry::Student& s, const std::string& programme,
                         const std::string& year, const std::string& amount) {
    return s.student_number + "," + s.name + "," + programme + "," + year + "," + amount;
  }

  Result<AwardListReport> Keep(const std::string& path,
                               const org::Scope& scope = org::Scope::Everything()) {
    AwardListOptions options;
    options.now = "2026-12-06T02:00:00.000Z";
    options.today = {2026, 12, 6};
    return KeepAwardList(db(), cipher_, scope, path, options);
  }

  std::string AwardText(const registry::Student& s, const std::string& column) {
    return Text("SELECT " + column + " FROM aid_award WHERE student_id = " + std::to_string(s.id));
  }

  void SetAward(const registry::Student& s, const std::string& assignment) {
    ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query("UPDATE aid_award SET " + assignment + " WHERE student_id = $1", {s.id}));
      return {};
    }));
  }

  nemis::testing::TempDir dir_;
  int files_ = 0;
};

}  // namespace nemis::aid::testing
