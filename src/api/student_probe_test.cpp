// What a caller who may register students learns, through the real routes, about students
// outside its scope (issue 8 §5): an Idempotency-Key is the account's own (another account's
// same key and body replay nothing), and a replay is a read within the caller's scope.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "api/import_runner.hpp"
#include "audit/audit_query.hpp"
#include "codes/id_number.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kTianhe = "2144000001";  // 天河区 (440106)
constexpr std::string_view kTianheName = "天河区第一小学";
constexpr std::string_view kLiwan = "2144000002";  // 荔湾区 (440103), a sibling county
constexpr std::string_view kElsewhereMessage =
    "该身份证件号已在其他学校注册学籍，一人一号，不能重复注册；请联系本区县学籍主管部门核查处理重复学籍";

std::string IdFor(const std::string& first17) { return first17 + codes::IdCheckCharacter(first17); }

// A girl born 2019-03-15 in 天河区; `n` (0-499) makes the ID unique.
std::string GirlId(int n) {
  char seq[4];
  std::snprintf(seq, sizeof seq, "%03d", 2 * n);
  return IdFor("44010620190315" + std::string(seq));
}

Json StudentBody(std::string_view school, const std::string& id, const std::string& name = "丙同学") {
  return {{"name", name},       {"gender", "2"},      {"birthDate", "2019-03-15"}, {"ethnicity", "01"},
          {"idNumber", id},     {"schoolCode", school}, {"grade", 1},             {"classNo", "01"},
          {"entryDate", "2025-09"}, {"guardian1Name", "丙父"}, {"guardian1Relation", "1"}};
}

class StudentProbeTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool(kTianhe, "440106", kTianheName);
    AddSchool(kLiwan, "440103", "荔湾区第一小学");
    AddAllRoutes(router_, *ctx_);
    tianhe_school_ = TokenFor("reg.tianhe", "school_registrar", std::string(kTianhe));
    liwan_school_ = TokenFor("reg.liwan", "school_registrar", std::string(kLiwan));
    tianhe_county_ = TokenFor("county.tianhe", "county_registrar", "440106");
    liwan_county_ = TokenFor("county.liwan", "county_registrar", "440103");
  }
  void TearDown() override {
    ctx_->imports = nullptr;
    runner_.reset();  // before the store closes
    ApiStoreTest::TearDown();
  }

  void AddSchool(std::string_view code, std::string_view county, std::string_view name) {
    org::InstitutionInput in;
    in.code = std::string(code);
    in.parent_code = std::string(county);
    in.name = std::string(name);
    in.school_type = "211";
    ASSERT_TRUE(ctx_->orgs.Create(org::Scope::Everything(), in).ok());
  }

  http::Response Register(const std::string& token, const Json& body, std::string key = "") {
    std::vector<std::pair<std::string, std::string>> headers = {{"Authorization", "Bearer " + token},
                                                                {"Content-Type", "application/json"}};
    if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
    return Call("POST", "/api/v1/students", body.dump(), headers);
  }

  int64_t Count(const std::string& sql) {
    auto n = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      return rs.rows.at(0).Int(0);
    });
    return n.ok() ? *n : -1;
  }

  std::vector<audit::AuditRecord> Audited(const std::string& action, const std::string& account = "") {
    audit::AuditFilter f;
    f.action = action;
    f.account = account;
    f.limit = audit::kMaxQueryLimit;
    auto page = audit::Query(db(), f);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->records : std::vector<audit::AuditRecord>{};
  }

  // Every entry of the audit log as one text, to look for what must not be there.
  std::string WholeAuditLog() {
    audit::AuditFilter f;
    f.limit = audit::kMaxQueryLimit;
    auto page = audit::Query(db(), f);
    EXPECT_TRUE(page.ok());
    std::string all;
    if (page.ok())
      for (const auto& r : page->records)
        all += r.entry.target + " " + r.entry.details + "\n";
    return all;
  }

  // Uploads `csv` as `token`'s import and waits for its report.
  Json ImportAs(const std::string& token, const std::string& csv, http::Response* submitted = nullptr) {
    if (!runner_) {
      runner_ = std::make_unique<ImportRunner>(db(), ctx_->cipher, dir_.File("imports"));
      ctx_->imports = runner_.get();
    }
    std::string upload = dir_.File("upload-" + std::to_string(++uploads_) + ".csv");
    std::ofstream(upload, std::ios::binary) << csv;
    http::Request r;
    r.method = "POST";
    r.target = "/api/v1/imports/students?skipInvalid=true";
    EXPECT_TRUE(http::ParseTarget(r.target, &r.path, &r.query).ok());
    r.headers = {{"Authorization", "Bearer " + token}};
    r.body_file = upload;
    r.remote_address = "10.0.0.9";
    r.request_id = "req-import-" + std::to_string(uploads_);
    auto match = router_.Find(r.method, r.path);
    EXPECT_NE(match.route, nullptr);
    http::Response response = match.route->handler(r);
    if (submitted) *submitted = response;
    if (response.status != 202) return Json();
    std::string id = Json::parse(response.body)["id"];
    last_import_ = id;
    for (int i = 0; i < 600; ++i) {
      auto task = runner_->Get(id);
      if (task && task->state == "finished") return Json::parse(task->report_json);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "import " << id << " did not finish";
    return Json();
  }

  static std::string Roster(const std::vector<std::pair<std::string, std::string_view>>& rows) {
    std::string csv = "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n";
    for (const auto& [id, school] : rows)
      csv += "丁同学,2,2019-03-15,01," + id + "," + std::string(school) + ",1,01,2025-09,丁父,父亲\n";
    return csv;
  }

  std::string tianhe_school_, liwan_school_, tianhe_county_, liwan_county_;
  testing::TempDir dir_;
  std::unique_ptr<ImportRunner> runner_;
  int uploads_ = 0;
  std::string last_import_;
};

// Finding 1: another account's same key and body are a new request, not a replay.
TEST_P(StudentProbeTest, AnIdempotencyKeyIsTheAccountsOwn) {
  Json body = StudentBody(kTianhe, GirlId(1), "甲天河");
  http::Response first = Register(tianhe_school_, body, "register-1");
  ASSERT_EQ(first.status, 201) << first.body;
  // Another school's registrar, same key and body: validated as its own request, and
  // 天河's school is not in its scope.
  http::Response other = Register(liwan_school_, body, "register-1");
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(other.body.find("甲天河"), std::string::npos) << other.body;
  EXPECT_EQ(other.body.find(GirlId(1)), std::string::npos) << other.body;
  EXPECT_EQ(other.body.find("\"studentNumber\""), std::string::npos) << other.body;
  // Another county's registrar too.
  http::Response county = Register(liwan_county_, body, "register-1");
  EXPECT_EQ(county.status, 422) << county.body;
  EXPECT_EQ(county.body.find("甲天河"), std::string::npos) << county.body;
  for (const auto& login : {"reg.liwan", "county.liwan"})
    for (const auto& e : Audited("student.create", login)) EXPECT_NE(e.entry.outcome, "success") << login;
  // The account that sent it still gets its replay.
  http::Response again = Register(tianhe_school_, body, "register-1");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json::parse(again.body)["name"], "甲天河");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 1);
}

// Finding 1: a replay is a read; a student now outside the caller's scope is not found.
TEST_P(StudentProbeTest, AReplayOfAStudentNowOutOfScopeIsNotFound) {
  Json body = StudentBody(kTianhe, GirlId(2), "乙天河");
  ASSERT_EQ(Register(tianhe_county_, body, "k-2").status, 201);
  // The student moves to 荔湾 (as a transfer would).
  ASSERT_TRUE(db().WithWriter([](db::Connection& c) {
    return c.ExecScript("UPDATE student SET school_id = (SELECT id FROM org WHERE code = '2144000002'), "
                        "school_code = '2144000002', county_code = '440103'");
  }).ok());
  http::Response replay = Register(tianhe_county_, body, "k-2");
  EXPECT_EQ(replay.status, 404) << replay.body;
  EXPECT_EQ(replay.body.find("乙天河"), std::string::npos) << replay.body;
}

}  // namespace
NEMIS_STORE_TEST_SUITE(StudentProbeTest);
}  // namespace nemis::api
