// C. Imports over HTTP: POST /api/v1/imports/students answers 202, the client polls
// GET /api/v1/imports/{id} until "finished", then fetches the report as JSON or CSV.
// Rejected uploads write nothing. (HTTP imports do not register schools: the store's
// schools come from the roster the test seeds with the CLI.)
#include <gtest/gtest.h>

#include "fixture.hpp"
#include "roster_files.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

constexpr int kSeeded = 2000;

class ImportHttpTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedRoster(kSeeded);
    StartServer();
  }

  // Uploads `content`, waits for the end, returns the finished task (with its report).
  json Upload(const std::string& content, const std::string& query = "",
              std::string* id_out = nullptr) {
    HttpResponse r =
        http().Post("/api/v1/imports/students" + query, content, {{"Content-Type", "text/csv"}});
    EXPECT_EQ(r.status, 202) << r.Describe();
    std::string id = r.Json().value("id", "");
    if (id_out) *id_out = id;
    if (id.empty()) return json();
    return WaitForImport(http(), id);
  }

  IdSource ids_{"110101", 2016};
};

TEST_P(ImportHttpTest, ValidUploadImportsAndReportsInJsonAndCsv) {
  const School& school = PrimarySchool();
  IdSource::Person a = ids_.Next(1), b = ids_.Next(2), c = ids_.Next(1);
  std::string csv = std::string(kRosterHeader) + RosterRow(school, "上传甲", a) +
                    RosterRow(school, "上传乙", b) + RosterRow(school, "上传丙", c);
  std::string id;
  json task = Upload(csv, "", &id);
  EXPECT_EQ(task["state"], "finished");
  json report = task["report"];
  EXPECT_EQ(report["status"], "done") << report.dump(2);
  EXPECT_EQ(report["totalRows"], 3);
  EXPECT_EQ(report["importedRows"], 3);
  EXPECT_EQ(report["errors"].size(), 0u);
  EXPECT_EQ(store().CountStudents(), kSeeded + 3);
  EXPECT_EQ(http().Get("/api/v1/students/G" + b.id_number).Json()["name"], "上传乙");

  HttpResponse as_json = http().Get("/api/v1/imports/" + id + "/report?format=json");
  ASSERT_EQ(as_json.status, 200) << as_json.Describe();
  EXPECT_EQ(as_json.Json(), report);
  HttpResponse as_csv = http().Get("/api/v1/imports/" + id + "/report?format=csv");
  ASSERT_EQ(as_csv.status, 200) << as_csv.Describe();
  EXPECT_EQ(as_csv.Header("Content-Type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_EQ(as_csv.Header("Content-Disposition").value_or(""),
            "attachment; filename=\"import-" + id + ".csv\"");
  EXPECT_EQ(as_csv.body, "\xEF\xBB\xBF行号,字段,列名,错误代码,错误说明\r\n");
}

TEST_P(ImportHttpTest, RejectedUploadWritesNothingAndReportsEachRow) {
  const School& school = PrimarySchool();
  IdSource::Person good = ids_.Next(1), bad = ids_.Next(2);
  const IdSource::Person& dup = good;  // the same person again
  bad.id_number = CorruptCheckCharacter(bad.id_number);
  auto ragged = RosterCells(school, "缺列", ids_.Next(1));
  ragged.pop_back();
  std::string csv = std::string(kRosterHeader) + RosterRow(school, "好", good) +
                    RosterRow(school, "坏", bad) + CsvLine(ragged) + RosterRow(school, "重", dup);
  std::string id;
  json task = Upload(csv, "", &id);
  json report = task["report"];
  EXPECT_EQ(report["status"], "rejected") << report.dump(2);
  EXPECT_EQ(report["totalRows"], 4);
  EXPECT_EQ(report["rejectedRows"], 3);
  EXPECT_EQ(report["importedRows"], 0);
  const std::vector<LineFieldCode> expected = {{3, "idNumber", "bad_check_digit"},
                                               {4, "", "ragged_row"},
                                               {5, "idNumber", "duplicate_in_file"}};
  EXPECT_EQ(LineFieldCodes(report), expected) << report.dump(2);
  EXPECT_EQ(report["errors"][0]["column"], "身份证件号");
  EXPECT_EQ(store().CountStudents(), kSeeded);

  HttpResponse as_csv = http().Get("/api/v1/imports/" + id + "/report?format=csv");
  ASSERT_EQ(as_csv.status, 200);
  Csv rows = ParseCsv(as_csv.body);
  ASSERT_EQ(rows.header,
            (std::vector<std::string>{"行号", "字段", "列名", "错误代码", "错误说明"}));
  ASSERT_EQ(rows.rows.size(), 3u) << as_csv.body;
  EXPECT_EQ(rows.rows[0][0], "3");
  EXPECT_EQ(rows.rows[0][3], "bad_check_digit");
  EXPECT_EQ(rows.rows[1][0], "4");
  EXPECT_EQ(rows.rows[1][3], "ragged_row");
  EXPECT_EQ(rows.rows[2][0], "5");
  EXPECT_EQ(rows.rows[2][3], "duplicate_in_file");
  EXPECT_NE(rows.rows[2][4].find("第 2 行"), std::string::npos) << rows.rows[2][4];

  // skipInvalid=true: the good row goes in.
  json skipped = Upload(csv, "?skipInvalid=true")["report"];
  EXPECT_EQ(skipped["status"], "done") << skipped.dump(2);
  EXPECT_EQ(skipped["importedRows"], 1);
  EXPECT_EQ(skipped["rejectedRows"], 3);
  EXPECT_EQ(store().CountStudents(), kSeeded + 1);
}

// The portal validates an upload first (dryRun=true): the report row by row, nothing
// written; the real upload of the same file then imports it.
TEST_P(ImportHttpTest, ADryRunReportsAndWritesNothing) {
  const School& school = PrimarySchool();
  IdSource::Person good = ids_.Next(1), bad = ids_.Next(2);
  bad.id_number = CorruptCheckCharacter(bad.id_number);
  std::string csv = std::string(kRosterHeader) + RosterRow(school, "校验甲", good) +
                    RosterRow(school, "校验乙", bad);
  json report = Upload(csv, "?dryRun=true")["report"];
  EXPECT_EQ(report["status"], "rejected") << report.dump(2);
  EXPECT_EQ(report["dryRun"], true);
  const std::vector<LineFieldCode> expected = {{3, "idNumber", "bad_check_digit"}};
  EXPECT_EQ(LineFieldCodes(report), expected) << report.dump(2);
  std::string fixed = std::string(kRosterHeader) + RosterRow(school, "校验甲", good);
  report = Upload(fixed, "?dryRun=true")["report"];
  EXPECT_EQ(report["status"], "validated") << report.dump(2);
  EXPECT_EQ(report["importedRows"], 0);
  EXPECT_EQ(store().CountStudents(), kSeeded);
  report = Upload(fixed, "")["report"];
  EXPECT_EQ(report["status"], "done") << report.dump(2);
  EXPECT_EQ(report["dryRun"], false);
  EXPECT_EQ(store().CountStudents(), kSeeded + 1);
}

TEST_P(ImportHttpTest, Gb18030UploadKeepsNames) {
  const School& school = PrimarySchool();
  IdSource::Person a = ids_.Next(2), b = ids_.Next(1);
  std::string text = std::string(kRosterHeader) + RosterRow(school, "李𠮷", a) +
                     RosterRow(school, "阿卜杜拉·买买提", b);
  json report = Upload(ToGb18030(text))["report"];
  EXPECT_EQ(report["status"], "done") << report.dump(2);
  EXPECT_EQ(report["encoding"], "gb18030");
  EXPECT_EQ(http().Get("/api/v1/students/G" + a.id_number).Json()["name"], "李𠮷");
  EXPECT_EQ(http().Get("/api/v1/students/G" + b.id_number).Json()["name"], "阿卜杜拉·买买提");
  // Forced to UTF-8 the same bytes are refused whole.
  json forced =
      Upload(ToGb18030(std::string(kRosterHeader) + RosterRow(school, "赵𠮷", ids_.Next(2))),
             "?encoding=utf-8")["report"];
  EXPECT_EQ(forced["status"], "failed") << forced.dump(2);
  EXPECT_EQ(store().CountStudents(), kSeeded + 2);
}

TEST_P(ImportHttpTest, EmptyUploadIsReportedAsAnError) {
  json report = Upload("")["report"];
  EXPECT_EQ(report["status"], "failed") << report.dump(2);
  EXPECT_EQ(ErrorKeys(report), (std::vector<ErrorKey>{{1, "", "", "empty_file"}}))
      << report.dump(2);
  EXPECT_EQ(store().CountStudents(), kSeeded);
}

TEST_P(ImportHttpTest, SameUploadTwiceIsAlreadyImported) {
  const School& school = PrimarySchool();
  std::string csv = std::string(kRosterHeader) + RosterRow(school, "两次", ids_.Next(1));
  json first = Upload(csv)["report"];
  EXPECT_EQ(first["status"], "done");
  json second = Upload(csv)["report"];
  EXPECT_EQ(second["status"], "already_imported") << second.dump(2);
  EXPECT_EQ(second["importId"], first["importId"]);
  EXPECT_EQ(store().CountStudents(), kSeeded + 1);
}

TEST_P(ImportHttpTest, RosterOfUnknownSchoolsIsRejectedOverHttp) {
  // The HTTP route does not register schools: a roster of another province's schools is refused.
  GenRoster other = GenerateRoster(store().dir().path().string(), 300, 99, "other");
  json report = Upload(ReadFile(other.students_path))["report"];
  EXPECT_EQ(report["status"], "rejected") << report.dump(2).substr(0, 2000);
  EXPECT_EQ(report["rejectedRows"], 300);
  EXPECT_EQ(report["errors"][0]["code"], "unknown_school");
  EXPECT_EQ(report["errors"][0]["field"], "schoolCode");
  EXPECT_EQ(store().CountStudents(), kSeeded);
}

TEST_P(ImportHttpTest, ParametersAndUnknownTasks) {
  HttpResponse r = http().Post("/api/v1/imports/students?skipInvalid=maybe", "姓名\n");
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "bad_parameter");
  r = http().Post("/api/v1/imports/students?dryRun=yes", "姓名\n");
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_NE(r.body.find("dryRun"), std::string::npos) << r.Describe();
  r = http().Post("/api/v1/imports/students?encoding=latin1", "姓名\n");
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "bad_parameter");
  r = http().Get("/api/v1/imports/01900000-0000-7000-8000-000000000000/report");
  EXPECT_EQ(r.status, 404) << r.Describe();
  r = http().Get("/api/v1/imports/../../etc/passwd");
  EXPECT_EQ(r.status, 404) << r.Describe();
  std::string id;
  Upload(std::string(kRosterHeader), "", &id);
  r = http().Get("/api/v1/imports/" + id + "/report?format=xml");
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "bad_parameter");
}

TEST_P(ImportHttpTest, FinishedReportsOutliveARestart) {
  const School& school = PrimarySchool();
  std::string id;
  json before = Upload(std::string(kRosterHeader) + RosterRow(school, "重启", ids_.Next(1)), "",
                       &id)["report"];
  EXPECT_EQ(before["status"], "done");
  StartServer();
  HttpResponse task = http().Get("/api/v1/imports/" + id);
  ASSERT_EQ(task.status, 200) << task.Describe();
  EXPECT_EQ(task.Json()["state"], "finished");
  EXPECT_EQ(task.Json()["report"], before);
  HttpResponse csv = http().Get("/api/v1/imports/" + id + "/report?format=csv");
  EXPECT_EQ(csv.status, 200) << csv.Describe();
}

NEMIS_IT_BOTH_BACKENDS(ImportHttpTest);

}  // namespace
}  // namespace nemis::it
