// E. Personal data never reaches the logs: after lookups by G number, searches by
// name and ID, updates, rejected requests and imports, the server's and the CLI's
// logs hold none of the ID numbers, names or phone numbers the test used (not even
// percent-encoded), while the access log did record the requests.
#include <gtest/gtest.h>

#include "fixture.hpp"
#include "roster_files.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

class PrivacyLogTest : public ServerTest {};

TEST_P(PrivacyLogTest, LogsHoldNoIdNumbersNamesOrPhones) {
  const GenRoster& roster = SeedRoster();
  const School& school = PrimarySchool();
  std::string log_file = store().File("server.log");
  StartServer({{"log.file", log_file}, {"log.level", "debug"}});

  std::vector<std::string> secrets;  // every personal value the test sends or reads
  IdSource ids("110101", 2014), guardians("110102", 1984);
  std::vector<std::pair<std::string, IdSource::Person>> people = {
      {"欧阳娜娜", ids.Next(2)}, {"李𠮷", ids.Next(2)}, {"阿卜杜拉·买买提", ids.Next(1)}};
  for (auto& [name, p] : people) {
    json body = StudentBody(school, name, p, 5, "2");
    std::string guardian_id = guardians.Next(1).id_number;
    body["guardian1IdNumber"] = guardian_id;
    body["guardian1Phone"] = "13912345678";
    body["phone"] = "13987654321";
    HttpResponse r = http().PostJson("/api/v1/students", body,
                                     {{"Idempotency-Key", "privacy-" + p.id_number.substr(14)}});
    ASSERT_EQ(r.status, 201) << r.Describe();
    secrets.insert(secrets.end(), {name, p.id_number, "G" + p.id_number, guardian_id});
  }
  secrets.insert(secrets.end(), {"13912345678", "13987654321"});

  for (auto& [name, p] : people) {
    std::string number = "G" + p.id_number;
    EXPECT_EQ(http().Get("/api/v1/students/" + number).status, 200);
    EXPECT_EQ(http().Get("/api/v1/students?q=" + UrlEncode(name)).status, 200);
    EXPECT_EQ(http().Get("/api/v1/students?q=" + p.id_number).status, 200);
    EXPECT_EQ(http().Get("/api/v1/students?q=" + number).status, 200);
    EXPECT_EQ(
        http()
            .Patch("/api/v1/students/" + number, R"({"classNo":"3"})", {{"If-Match", "\"v1\""}})
            .status,
        200);
    EXPECT_EQ(
        http()
            .Patch("/api/v1/students/" + number, R"({"classNo":"4"})", {{"If-Match", "\"v1\""}})
            .status,
        412);
    EXPECT_EQ(http()
                  .Patch("/api/v1/students/" + number, json({{"name", name + "改"}}).dump(),
                         {{"If-Match", "\"v2\""}})
                  .status,
              422);
    EXPECT_EQ(http().Request("DELETE", "/api/v1/students/" + number).status, 405);
    EXPECT_EQ(http().Get("/api/v1/students/" + number + "/history").status, 404);
    EXPECT_EQ(http().Get("/api/v1/student/" + number).status, 404);
    // Registering the same person again: 409.
    EXPECT_EQ(http().PostJson("/api/v1/students", StudentBody(school, name, p, 5, "2")).status,
              409);
  }
  // The school's registrar sees them whole (each response audited first): that must not
  // reach the logs either.
  HttpClient registrar = SchoolRegistrarClient(school.code);
  for (auto& [name, p] : people)
    EXPECT_EQ(registrar.Get("/api/v1/students/G" + p.id_number).status, 200);
  EXPECT_EQ(registrar.Get("/api/v1/students?school=" + school.code + "&limit=50").status, 200);
  EXPECT_EQ(registrar.Get("/api/v1/students?q=" + UrlEncode(people[0].first)).status, 200);

  // A wrong ID (bad check character) and an unknown one: both personal data too.
  IdSource::Person wrong = ids.Next(1);
  std::string corrupted = CorruptCheckCharacter(wrong.id_number);
  wrong.id_number = corrupted;
  EXPECT_EQ(
      http().PostJson("/api/v1/students", StudentBody(school, "错号码", wrong, 5, "2")).status,
      422);
  std::string unknown = "G" + ids.Next(1).id_number;
  EXPECT_EQ(http().Get("/api/v1/students/" + unknown).status, 404);
  secrets.insert(secrets.end(), {corrupted, unknown, "错号码"});

  // Students of the imported roster, looked up and searched.
  const Csv& csv = roster.students;
  for (size_t i = 0; i < csv.rows.size(); i += 211) {
    std::string name = csv.Cell(i, "姓名"), id = csv.Cell(i, "身份证件号");
    if (csv.Cell(i, "身份证件类型") != "1") continue;
    EXPECT_EQ(http().Get("/api/v1/students/G" + id).status, 200);
    EXPECT_EQ(http().Get("/api/v1/students?q=" + UrlEncode(name)).status, 200);
    secrets.insert(secrets.end(),
                   {name, id, csv.Cell(i, "联系电话"), csv.Cell(i, "监护人1身份证件号")});
  }

  // An upload with personal data in rejected rows.
  IdSource::Person bad = ids.Next(2);
  bad.id_number = CorruptCheckCharacter(bad.id_number);
  HttpResponse upload = http().Post(
      "/api/v1/imports/students", std::string(kRosterHeader) + RosterRow(school, "上官婉儿", bad) +
                                      RosterRow(school, "诸葛亮", people[0].second));
  ASSERT_EQ(upload.status, 202) << upload.Describe();
  WaitForImport(http(), upload.Json().value("id", ""));
  secrets.insert(secrets.end(), {"上官婉儿", "诸葛亮", bad.id_number});
  std::string stderr_path = server().process().stderr_path();
  StopServer();
  std::string server_stderr = ReadFile(stderr_path);

  // The CLI logs too (to a file of its own).
  std::string cli_log = store().File("cli.log");
  std::string roster_path = store().File("cli-roster.csv");
  IdSource::Person cli_person = ids.Next(1);
  WriteFile(roster_path, std::string(kRosterHeader) + RosterRow(school, "司马光", cli_person) +
                             RosterRow(school, "司马光", cli_person));
  RunResult cli = Import(roster_path, {}, {{"log.file", cli_log}});
  EXPECT_EQ(cli.status.code, 1) << cli.Describe();
  secrets.insert(secrets.end(), {"司马光", cli_person.id_number});

  std::string logs = ReadFile(log_file) + server_stderr + ReadFile(cli_log) + cli.err;
  ASSERT_NE(logs.find("\"event\":\"http_request\""), std::string::npos)
      << "no access log was written";
  ASSERT_NE(logs.find("/api/v1/students/"), std::string::npos)
      << "the access log does not name the routes";
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    EXPECT_EQ(logs.find(secret), std::string::npos) << "the log holds " << secret;
    std::string encoded = UrlEncode(secret);
    if (encoded != secret) {
      EXPECT_EQ(logs.find(encoded), std::string::npos) << "the log holds " << encoded;
    }
  }
}

NEMIS_IT_BOTH_BACKENDS(PrivacyLogTest);

}  // namespace
}  // namespace nemis::it
