// What a caller who may register students learns, through the real routes, about students
// outside its scope (issue 8 §5): an Idempotency-Key is the account's own (another account's
// same key and body replay nothing); a citizen ID registered elsewhere names the holding
// school only to a caller whose scope covers it, each such hit is audited with the ID
// masked, and an account collecting too many is throttled (registrations and imports) and
// reported once; a new student's Location never carries an ID the body masks.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "api/duplicate_probe.hpp"
#include "api/import_runner.hpp"
#include "audit/audit_query.hpp"
#include "codes/id_number.hpp"
#include "registry/personal_mask.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kTianhe = "2144000001";  // 天河区 (440106)
constexpr std::string_view kTianheName = "天河区第一小学";
constexpr std::string_view kLiwan = "2144000002";  // 荔湾区 (440103), a sibling county
constexpr std::string_view kElsewhereMessage =
    "该身份证件号已在其他学校注册学籍，一人一号，不能重复注册；请联系本区县学籍主管部门核查处理重复学籍";

std::string IdFor(const std::string& first17) { return first17 + codes::IdCheckCharacter(first17); }

std::optional<std::string> HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& [key, value] : r.headers)
    if (key == name) return value;
  return std::nullopt;
}

// A girl born 2019-03-15 in 天河区; `n` (0-499) makes the ID unique.
std::string GirlId(int n) {
  char seq[4];
  std::snprintf(seq, sizeof seq, "%03d", 2 * n);
  return IdFor("44010620190315" + std::string(seq));
}

Json StudentBody(std::string_view school, const std::string& id,
                 const std::string& name = "丙同学") {
  return {{"name", name},
          {"gender", "2"},
          {"birthDate", "2019-03-15"},
          {"ethnicity", "01"},
          {"idNumber", id},
          {"schoolCode", school},
          {"grade", 1},
          {"classNo", "01"},
          {"entryDate", "2025-09"},
          {"guardian1Name", "丙父"},
          {"guardian1Relation", "1"}};
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
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
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

  std::vector<audit::AuditRecord> Audited(const std::string& action,
                                          const std::string& account = "") {
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
      for (const auto& r : page->records) all += r.entry.target + " " + r.entry.details + "\n";
    return all;
  }

  // Uploads `csv` as `token`'s import and waits for its report.
  Json ImportAs(const std::string& token, const std::string& csv,
                http::Response* submitted = nullptr) {
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
    std::string csv =
        "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n";
    for (const auto& [id, school] : rows)
      csv +=
          "丁同学,2,2019-03-15,01," + id + "," + std::string(school) + ",1,01,2025-09,丁父,父亲\n";
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
    for (const auto& e : Audited("student.create", login))
      EXPECT_NE(e.entry.outcome, "success") << login;
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
  ASSERT_TRUE(
      db().WithWriter([](db::Connection& c) {
            return c.ExecScript(
                "UPDATE student SET school_id = (SELECT id FROM org WHERE code = '2144000002'), "
                "school_code = '2144000002', county_code = '440103'");
          })
          .ok());
  http::Response replay = Register(tianhe_county_, body, "k-2");
  EXPECT_EQ(replay.status, 404) << replay.body;
  EXPECT_EQ(replay.body.find("乙天河"), std::string::npos) << replay.body;
}

// Finding 2: the holding school is named only within the caller's scope.
TEST_P(StudentProbeTest, ADuplicateNamesTheSchoolOnlyWithinTheCallersScope) {
  const std::string id = GirlId(3);
  ASSERT_EQ(Register(tianhe_school_, StudentBody(kTianhe, id)).status, 201);

  http::Response inside = Register(tianhe_county_, StudentBody(kTianhe, id));
  ASSERT_EQ(inside.status, 409) << inside.body;
  Json in_error = Json::parse(inside.body)["error"];
  EXPECT_EQ(in_error["code"], "duplicate_student");
  EXPECT_NE(in_error["message"].get<std::string>().find(kTianheName), std::string::npos)
      << inside.body;
  EXPECT_NE(in_error["message"].get<std::string>().find(kTianhe), std::string::npos) << inside.body;
  EXPECT_TRUE(Audited(std::string(kDuplicateHitAction)).empty())
      << "a hit in scope tells nothing new";

  http::Response outside = Register(liwan_county_, StudentBody(kLiwan, id));
  ASSERT_EQ(outside.status, 409) << outside.body;
  Json error = Json::parse(outside.body)["error"];
  EXPECT_EQ(error["code"], "registered_elsewhere");
  EXPECT_EQ(error["message"], kElsewhereMessage);
  ASSERT_EQ(error["fields"].size(), 1u);
  EXPECT_EQ(error["fields"][0]["field"], "idNumber");
  EXPECT_EQ(error["fields"][0]["code"], "registered_elsewhere");
  EXPECT_EQ(outside.body.find(kTianheName), std::string::npos) << outside.body;
  EXPECT_EQ(outside.body.find(kTianhe), std::string::npos) << outside.body;
  EXPECT_EQ(outside.body.find("天河"), std::string::npos) << outside.body;

  auto hits = Audited(std::string(kDuplicateHitAction));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].entry.account, "county.liwan");
  EXPECT_EQ(hits[0].entry.outcome, "failure");
  EXPECT_EQ(hits[0].entry.target, registry::MaskDocumentNumber(id));
  EXPECT_EQ(Json::parse(hits[0].entry.details),
            Json({{"via", "register"}, {"idNumber", registry::MaskDocumentNumber(id)}}));
  EXPECT_EQ(WholeAuditLog().find(id), std::string::npos) << "the ID in clear";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 1);
}

// Finding 2: more than N hits in an hour: 429 on registrations and imports, one alert.
TEST_P(StudentProbeTest, AnAccountCollectingHitsIsThrottledAndReportedOnce) {
  ASSERT_TRUE(config_.Set("registry.duplicate_hits_per_hour", "2", "test").ok());
  for (int n = 10; n < 13; ++n)
    ASSERT_EQ(Register(tianhe_school_, StudentBody(kTianhe, GirlId(n))).status, 201);
  for (int n = 10; n < 13; ++n) {
    http::Response hit = Register(liwan_county_, StudentBody(kLiwan, GirlId(n)));
    EXPECT_EQ(hit.status, 409) << n << ": " << hit.body;
  }
  EXPECT_EQ(Audited(std::string(kDuplicateProbeAlert)).size(), 1u);
  // Over the limit: refused before anything is looked up, whatever the ID.
  for (int n = 13; n < 16; ++n) {
    http::Response refused = Register(liwan_county_, StudentBody(kLiwan, GirlId(n)));
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_EQ(Json::parse(refused.body)["error"]["code"], "duplicate_probe_throttled");
    EXPECT_NE(Json::parse(refused.body)["error"]["message"].get<std::string>().find("超过 2 次"),
              std::string::npos);
  }
  http::Response upload;
  ImportAs(liwan_county_, Roster({{GirlId(20), kLiwan}}), &upload);
  EXPECT_EQ(upload.status, 429) << upload.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 3);
  EXPECT_EQ(Audited(std::string(kDuplicateHitAction), "county.liwan").size(), 3u);
  auto alerts = Audited(std::string(kDuplicateProbeAlert));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].entry.account, "county.liwan");
  EXPECT_EQ(alerts[0].entry.target, "county.liwan");
  EXPECT_EQ(Json::parse(alerts[0].entry.details)["hits"], 3);
  // Other accounts are not affected.
  EXPECT_EQ(Register(liwan_school_, StudentBody(kLiwan, GirlId(30))).status, 201);
}

// Finding 2: the import report names the school only within the caller's scope, each hit
// is audited, and an import that takes its owner over the limit stops there.
TEST_P(StudentProbeTest, AnImportReportNamesTheSchoolOnlyWithinTheCallersScope) {
  for (int n = 40; n < 44; ++n)
    ASSERT_EQ(Register(tianhe_school_, StudentBody(kTianhe, GirlId(n))).status, 201);
  Json inside = ImportAs(tianhe_county_, Roster({{GirlId(40), kTianhe}, {GirlId(50), kTianhe}}));
  ASSERT_EQ(inside["errors"].size(), 1u) << inside.dump(2);
  EXPECT_EQ(inside["errors"][0]["code"], "duplicate_student");
  EXPECT_NE(inside["errors"][0]["message"].get<std::string>().find(kTianheName), std::string::npos);

  Json outside = ImportAs(
      liwan_county_, Roster({{GirlId(41), kLiwan}, {GirlId(51), kLiwan}, {GirlId(42), kLiwan}}));
  EXPECT_EQ(outside["status"], "done") << outside.dump(2);
  EXPECT_EQ(outside["importedRows"], 1);
  ASSERT_EQ(outside["errors"].size(), 2u) << outside.dump(2);
  for (const auto& e : outside["errors"]) {
    EXPECT_EQ(e["code"], "registered_elsewhere");
    EXPECT_EQ(e["message"], kElsewhereMessage);
  }
  std::string report = outside.dump();
  EXPECT_EQ(report.find(kTianheName), std::string::npos) << report;
  EXPECT_EQ(report.find(kTianhe), std::string::npos) << report;
  std::string csv = runner_->ReportCsv(last_import_).value_or("");
  EXPECT_NE(csv.find("registered_elsewhere"), std::string::npos) << csv;
  EXPECT_EQ(csv.find(kTianhe), std::string::npos) << csv;
  EXPECT_EQ(csv.find(kTianheName), std::string::npos) << csv;
  auto hits = Audited(std::string(kDuplicateHitAction), "county.liwan");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].entry.target, registry::MaskDocumentNumber(GirlId(41)));
  EXPECT_EQ(Json::parse(hits[0].entry.details),
            Json({{"via", "import"},
                  {"line", 2},
                  {"idNumber", registry::MaskDocumentNumber(GirlId(41))}}));
  EXPECT_EQ(Json::parse(hits[1].entry.details)["line"], 4);
  EXPECT_EQ(WholeAuditLog().find(GirlId(41)), std::string::npos);

  // Over the limit within an import: the import stops after the hit that passes it.
  ASSERT_TRUE(config_.Set("registry.duplicate_hits_per_hour", "2", "test").ok());
  Json stopped = ImportAs(
      liwan_county_, Roster({{GirlId(43), kLiwan}, {GirlId(52), kLiwan}, {GirlId(40), kLiwan}}));
  EXPECT_EQ(stopped["status"], "failed") << stopped.dump(2);
  EXPECT_NE(stopped["message"].get<std::string>().find("超过 2 次"), std::string::npos)
      << stopped.dump(2);
  EXPECT_EQ(stopped.dump().find(kTianheName), std::string::npos);
  EXPECT_EQ(Audited(std::string(kDuplicateHitAction), "county.liwan").size(), 3u);
  EXPECT_EQ(Audited(std::string(kDuplicateProbeAlert), "county.liwan").size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 6);  // 4 registered, 50 and 51 imported
}

// Finding 3: the Location of a new student carries its number only where the body shows
// that number whole.
TEST_P(StudentProbeTest, LocationNeverCarriesAnIdTheBodyMasks) {
  const std::string id = GirlId(60);
  http::Response masked =
      Register(tianhe_county_, StudentBody(kTianhe, id));  // no student.view_sensitive
  ASSERT_EQ(masked.status, 201) << masked.body;
  EXPECT_EQ(Json::parse(masked.body)["studentNumber"], registry::MaskStudentNumber("G" + id));
  for (const auto& [name, value] : masked.headers) {
    EXPECT_EQ(value.find(id), std::string::npos) << name << ": " << value;
    EXPECT_EQ(value.find(id.substr(4, 10)), std::string::npos) << name << ": " << value;
  }
  EXPECT_FALSE(HeaderOf(masked, "Location").has_value());

  const std::string other = GirlId(61);
  http::Response whole =
      Register(tianhe_school_, StudentBody(kTianhe, other));  // sees its students whole
  ASSERT_EQ(whole.status, 201) << whole.body;
  EXPECT_EQ(HeaderOf(whole, "Location").value_or(""), "/api/v1/students/G" + other);

  Json without_id = StudentBody(kTianhe, "", "阿卜杜拉·买买提");
  without_id.erase("idNumber");
  without_id["guardian1IdNumber"] = IdFor("44010619850101001");
  without_id["gender"] = "1";
  http::Response j = Register(tianhe_county_, without_id);
  ASSERT_EQ(j.status, 201) << j.body;
  std::string number = Json::parse(j.body)["studentNumber"];
  ASSERT_EQ(number[0], 'J');
  EXPECT_EQ(HeaderOf(j, "Location").value_or(""), "/api/v1/students/" + number)
      << "a J number holds no one's ID";
}

}  // namespace
NEMIS_STORE_TEST_SUITE(StudentProbeTest);
}  // namespace nemis::api
