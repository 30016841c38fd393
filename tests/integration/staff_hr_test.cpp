// The staff basic database from the human-resources department end to end, on both stores:
// `nemis staff hr-sync` against a simulated HR feed (tests/departments/hr_sim.mjs, started
// per test) reads the feed a page at a time to its end and keeps the records sealed, one row
// a person; a later run goes on from where the last stopped; records that are not sound are
// counted by reason; an answer lost, a page delivered twice and a quota used up mid-way
// neither lose nor double a record; every failure of the feed stops the run with its error
// code; `nemis staff status` counts; every run is audited.
#include <gtest/gtest.h>

#include "department_sim.hpp"
#include "fixture.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

struct Teacher {
  std::string name;
  int gender;
  IdSource::Person person{};
};

class StaffHrTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedRoster(60);
    IdSource ids("110105", 1980);
    for (Teacher& t : teachers_) t.person = ids.Next(t.gender);
    token_file_ = store().File("hr.token");
    WriteFile(token_file_, "hr-t0k3n\n");
  }

  // The feed: 张老师, 李老师 and 王老师 at the primary school, 张老师 again with a new title,
  // one at a school this node does not have, one with an ID that fails its check digit.
  std::vector<std::string> Feed() {
    const std::string school = PrimarySchool().code;
    const std::string bad_id = CorruptCheckCharacter(teachers_[3].person.id_number);
    return {Line(teachers_[0], school, "一级教师"),
            Line(teachers_[1], school, "二级教师"),
            Line(teachers_[2], school, ""),
            Line(teachers_[0], school, "高级教师"),
            Line(teachers_[3], "2199009999", "一级教师"),
            bad_id + ",赵老师," + school + ",专业技术岗位,一级教师,在岗"};
  }
  static std::string Line(const Teacher& t, const std::string& unit, const std::string& title) {
    return t.person.id_number + "," + t.name + "," + unit + "," +
           (title.empty() ? "工勤技能岗位" : "专业技术岗位") + "," + title + ",在岗";
  }

  std::unique_ptr<DepartmentSim> Hr(const std::vector<std::string>& lines,
                                    const std::string& mode = "ok",
                                    const std::string& token = "hr-t0k3n") {
    const std::string path = store().File("feed" + std::to_string(++files_) + ".csv");
    std::string csv = "身份证件号,姓名,单位代码,岗位类别,职称,状态\n";
    for (const std::string& l : lines) csv += l + "\n";
    WriteFile(path, csv);
    return std::make_unique<DepartmentSim>(
        store(), NEMIS_HR_SIM,
        std::vector<std::string>{"--records", path, "--mode", mode, "--token", token});
  }

  RunResult Sync(const DepartmentSim* hr, std::map<std::string, std::string> settings = {}) {
    if (hr) settings.try_emplace("hr.url", hr->Url("/staff/changes"));
    settings.try_emplace("hr.token_file", token_file_);
    settings.try_emplace("hr.batch", "2");
    return RunNemisOnStore({"staff", "hr-sync", "--db", store().url()}, settings);
  }

  std::vector<std::string> Asked(const DepartmentSim& hr) {
    std::vector<std::string> out;
    for (const json& line : hr.Log())
      if (line["status"] == 200) out.push_back(line["after"].get<std::string>());
    return out;
  }
  std::string Cursor() {
    auto rows = store().QueryRows("SELECT cursor FROM hr_feed");
    return rows.empty() ? "" : rows[0][0];
  }
  // Each row's school_code, post, title, status, ordered by title.
  std::vector<std::vector<std::string>> Rows() {
    return store().QueryRows("SELECT school_code, post, title, status FROM staff ORDER BY id");
  }

  std::vector<Teacher> teachers_ = {{"张老师", 2}, {"李老师", 1}, {"王老师", 1}, {"赵老师", 2}};
  std::string token_file_;
  int files_ = 0;
};

TEST_P(StaffHrTest, SyncsTheFeedToItsEndAndGoesOnFromThere) {
  auto hr = Hr(Feed());
  RunResult r = Sync(hr.get());
  ASSERT_TRUE(r.status.Ok()) << r.Describe();
  EXPECT_NE(r.out.find("已同步：3 页，收到 6 条；新增 3，更新 1，未变 0，较旧已略过 0；"
                       "拒收 2（bad_id 1，unknown_unit 1）"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Asked(*hr), (std::vector<std::string>{"", "c2", "c4"}));
  EXPECT_EQ(Cursor(), "c6");
  const std::string school = PrimarySchool().code;
  EXPECT_EQ(Rows(),
            (std::vector<std::vector<std::string>>{{school, "专业技术岗位", "高级教师", "在岗"},
                                                   {school, "专业技术岗位", "二级教师", "在岗"},
                                                   {school, "工勤技能岗位", "", "在岗"}}));
  // Sealed at rest: neither a name nor an ID in any column.
  for (const auto& row : store().QueryRows("SELECT personal, id_index FROM staff"))
    for (const Teacher& t : teachers_)
      for (const std::string& cell : row) {
        EXPECT_EQ(cell.find(t.name), std::string::npos);
        EXPECT_EQ(cell.find(t.person.id_number.substr(0, 10)), std::string::npos);
      }

  // Later the feed has more: 李老师 retires. The run asks from c6 only.
  hr->Kill();
  std::vector<std::string> longer = Feed();
  longer.push_back(teachers_[1].person.id_number + ",李老师," + school +
                   ",专业技术岗位,二级教师,退休");
  auto later = Hr(longer);
  RunResult again = Sync(later.get());
  ASSERT_TRUE(again.status.Ok()) << again.Describe();
  EXPECT_NE(again.out.find("已同步：1 页，收到 1 条；新增 0，更新 1"), std::string::npos)
      << again.out;
  EXPECT_EQ(Asked(*later), (std::vector<std::string>{"c6"}));
  EXPECT_EQ(Rows()[1][3], "退休");

  RunResult status = RunNemisOnStore({"staff", "status", "--org", school, "--db", store().url()});
  ASSERT_TRUE(status.status.Ok()) << status.Describe();
  EXPECT_NE(status.out.find("在岗\t专业技术岗位\t1 人"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("退休\t专业技术岗位\t1 人"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("在岗\t工勤技能岗位\t1 人"), std::string::npos) << status.out;

  std::vector<int64_t> records;
  for (const json& d : store().AuditDetails("staff.hr_sync")) {
    EXPECT_TRUE(d.value("finished", false)) << d.dump();
    records.push_back(d.value("records", int64_t{-1}));
  }
  EXPECT_EQ(records, (std::vector<int64_t>{6, 1}));
}

TEST_P(StaffHrTest, LostAnswersRepeatedPagesAndAQuotaNeitherLoseNorDoubleARecord) {
  auto lost = Hr(Feed(), "lost_answer_once");
  RunResult cut = Sync(lost.get());
  EXPECT_EQ(cut.status.code, 1) << cut.Describe();
  EXPECT_NE(cut.err.find("peer_unavailable"), std::string::npos) << cut.err;
  EXPECT_EQ(Cursor(), "");
  RunResult resumed = Sync(lost.get());
  ASSERT_TRUE(resumed.status.Ok()) << resumed.Describe();
  EXPECT_NE(resumed.out.find("新增 3，更新 1"), std::string::npos) << resumed.out;
  const auto rows = Rows();
  lost->Kill();

  store().Execute("DELETE FROM staff");
  store().Execute("DELETE FROM hr_feed");
  auto twice = Hr(Feed(), "repeat_page");
  RunResult repeated = Sync(twice.get());
  ASSERT_TRUE(repeated.status.Ok()) << repeated.Describe();
  EXPECT_NE(repeated.out.find("收到 12 条；新增 3，更新 1，未变 4，较旧已略过 0；拒收 4"),
            std::string::npos)
      << repeated.out;
  EXPECT_EQ(Rows(), rows);
  twice->Kill();

  store().Execute("DELETE FROM staff");
  store().Execute("DELETE FROM hr_feed");
  auto quota = Hr(Feed(), "forbidden_after:1");
  RunResult stopped = Sync(quota.get());
  EXPECT_EQ(stopped.status.code, 1) << stopped.Describe();
  EXPECT_NE(
      stopped.err.find("人社部门人员信息接口拒绝了请求（HTTP 403）：检查 hr.url 和 hr.token_file"),
      std::string::npos)
      << stopped.err;
  EXPECT_EQ(Cursor(), "c2");
  quota->Kill();
  auto renewed = Hr(Feed());
  RunResult rest = Sync(renewed.get());
  ASSERT_TRUE(rest.status.Ok()) << rest.Describe();
  EXPECT_EQ(Asked(*renewed), (std::vector<std::string>{"c2", "c4"}));
  EXPECT_EQ(Rows(), rows);
}

TEST_P(StaffHrTest, EveryFailureOfTheFeedStopsTheRunAndIsAudited) {
  struct Case {
    std::string mode, token, code;
    std::map<std::string, std::string> settings;
  };
  for (const Case& c : std::vector<Case>{
           {"unavailable", "hr-t0k3n", "peer_unavailable", {}},
           {"ok", "another", "peer_refused", {}},
           {"garbage", "hr-t0k3n", "bad_answer", {}},
           {"bad_record", "hr-t0k3n", "bad_answer", {}},
           {"slow", "hr-t0k3n", "peer_unavailable", {{"hr.timeout_ms", "500"}}},
       }) {
    auto hr = Hr(Feed(), c.mode, c.token);
    RunResult r = Sync(hr.get(), c.settings);
    EXPECT_EQ(r.status.code, 1) << c.mode << ": " << r.Describe();
    EXPECT_NE(r.err.find(c.code), std::string::npos) << c.mode << ": " << r.err;
    EXPECT_NE(r.out.find("同步中断：0 页"), std::string::npos) << c.mode << ": " << r.out;
  }
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM staff"), 0);
  EXPECT_EQ(Cursor(), "");

  RunResult unset = RunNemisOnStore({"staff", "hr-sync", "--db", store().url()});
  EXPECT_EQ(unset.status.code, 2) << unset.Describe();
  EXPECT_NE(unset.err.find("未配置人社部门人员信息接口（hr.url）"), std::string::npos) << unset.err;
  std::vector<bool> finished;
  for (const json& d : store().AuditDetails("staff.hr_sync"))
    finished.push_back(d.value("finished", true));
  EXPECT_EQ(finished, std::vector<bool>(5, false));
}

NEMIS_IT_BOTH_BACKENDS(StaffHrTest);

}  // namespace
}  // namespace nemis::it
