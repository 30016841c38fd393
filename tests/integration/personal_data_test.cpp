// Personal data as the node shows and stores it (src/api/personal_disclosure.hpp,
// src/registry/personal_record.hpp): the national registrar sees a student's number,
// documents, phones and address masked, the registrar of the student's school sees
// them whole and another school's registrar does not see the student at all; every
// response that shows them whole is audited first, once, as student.view_sensitive
// naming the reader and the students (masked), masked responses are not, and when that
// audit cannot be written the answer is masked and says so; no student row holds any of
// them in clear, whichever way the student came in (API, CLI import in batches or as a
// first load, HTTP upload), and neither do the audit log and the processes' logs.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>

#include "fixture.hpp"
#include "roster_files.hpp"
#include "testing/audit_log_refusal.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

// A girl of 天河区 and her parents, written out with the check characters of GB 11643,
// so that what each caller sees is written out below too rather than computed.
constexpr const char* kStudentId = "440106201503151027";
constexpr const char* kFatherId = "440106198506012036";
constexpr const char* kMotherId = "440106198709232047";
constexpr const char* kPhone = "13812345678";
constexpr const char* kFatherPhone = "13987654321";
constexpr const char* kMotherPhone = "13600001111";
constexpr const char* kAddress = "广东省广州市天河区体育西路191号";
constexpr const char* kName = "林晓彤";
const std::string kNumber = std::string("G") + kStudentId;
const std::string kMaskedNumber = "G4401**********1027";
const std::string kPath = "/api/v1/students/" + kNumber;
// A boy of 天河区 nobody registered before the test does.
constexpr const char* kBoyId = "440106201503161014";

// The personal fields of a student's JSON, in one object for one comparison.
json PersonalFields(const json& student) {
  json fields = json::object();
  for (const char* f : {"studentNumber", "idNumber", "phone", "address", "guardian1IdNumber",
                        "guardian1Phone", "guardian2IdNumber", "guardian2Phone"})
    fields[f] = student.contains(f) ? student[f] : json();
  return fields;
}

const json kWhole = {{"studentNumber", kNumber},
                     {"idNumber", kStudentId},
                     {"phone", kPhone},
                     {"address", kAddress},
                     {"guardian1IdNumber", kFatherId},
                     {"guardian1Phone", kFatherPhone},
                     {"guardian2IdNumber", kMotherId},
                     {"guardian2Phone", kMotherPhone}};
const json kMasked = {{"studentNumber", kMaskedNumber},
                      {"idNumber", "4401**********1027"},
                      {"phone", "138****5678"},
                      {"address", "广东省广州市****"},
                      {"guardian1IdNumber", "4401**********2036"},
                      {"guardian1Phone", "139****4321"},
                      {"guardian2IdNumber", "4401**********2047"},
                      {"guardian2Phone", "136****1111"}};

constexpr const char* kMaskedWarning = "199 - \"audit log unavailable: personal data masked\"";

// One student.view_sensitive entry of the audit log.
struct SensitiveRead {
  std::string account, target, outcome;
  json details;
};

// What an entry for `students` (masked numbers, in the order shown) read by `account` says.
void ExpectSensitiveRead(const SensitiveRead& read, const std::string& account,
                         const std::string& method, const std::vector<std::string>& students) {
  std::string target = students.front();
  if (students.size() > 1) target += " (+" + std::to_string(students.size() - 1) + ")";
  EXPECT_EQ(read.account, account);
  EXPECT_EQ(read.outcome, "success");
  EXPECT_EQ(read.target, target);
  EXPECT_EQ(read.details, json({{"method", method}, {"students", students}}))
      << read.details.dump();
}

// A person as the tests' rosters give them: every personal value a roster row can hold.
struct RosterPerson {
  std::string name;
  IdSource::Person self;
  std::string address, phone, guardian_id, guardian_phone;
};

// kRosterHeader and the phone and guardian's ID and phone the import takes as well.
std::string FullRosterHeader() {
  std::string header = kRosterHeader;
  header.pop_back();  // "\n"
  return header + ",联系电话,监护人1身份证件号,监护人1联系电话\n";
}

std::string FullRosterRow(const School& school, const RosterPerson& p) {
  auto cells = RosterCells(school, p.name, p.self, p.address);
  cells.insert(cells.end(), {p.phone, p.guardian_id, p.guardian_phone});
  return CsvLine(cells);
}

// The values a roster row may not leave in the store in clear.
std::vector<std::string> SecretsOf(const RosterPerson& p) {
  return {p.self.id_number, "G" + p.self.id_number, p.address,
          p.phone,          p.guardian_id,          p.guardian_phone};
}

// The same in the cells of a generated roster (empty cells included).
std::vector<std::string> CellSecretsOf(const Csv& roster) {
  std::vector<std::string> secrets;
  for (size_t i = 0; i < roster.rows.size(); ++i)
    for (const char* column : {"身份证件号", "家庭住址", "联系电话", "监护人1身份证件号",
                               "监护人1联系电话", "监护人2身份证件号", "监护人2联系电话"})
      secrets.push_back(roster.Cell(i, column));
  return secrets;
}

// The G numbers the node gave a generated roster's citizens.
std::vector<std::string> GNumbersOf(const Csv& roster) {
  std::vector<std::string> numbers;
  for (size_t i = 0; i < roster.rows.size(); ++i)
    if (roster.Cell(i, "身份证件类型") == "1")
      numbers.push_back("G" + roster.Cell(i, "身份证件号"));
  return numbers;
}

// The secrets found in `text` (empty ones are skipped).
std::vector<std::string> Leaked(const std::string& text, const std::vector<std::string>& secrets) {
  std::vector<std::string> leaked;
  for (const auto& s : secrets)
    if (!s.empty() && text.find(s) != std::string::npos) leaked.push_back(s);
  return leaked;
}

// For failure messages: a leaked value, itself masked.
std::string Example(const std::vector<std::string>& leaked) {
  return leaked.empty() ? "" : MaskedDocument(leaked.front());
}

class PersonalDataTest : public ServerTest {
 protected:
  // The seeded roster (its schools registered by the import) and the server on it.
  void SeedAndStart() {
    SeedRoster();
    StartServer();
  }

  // A school of the roster that is not PrimarySchool().
  const School& OtherSchool() {
    for (const auto& s : SeedRoster().schools)
      if (s.code != PrimarySchool().code) return s;
    throw std::runtime_error("the roster has a single school");
  }

  // The girl above at `school` (a primary school), with every personal field filled in.
  static json KnownStudentBody(const School& school) {
    json body = StudentBody(school, kName, {kStudentId, "2015-03-15", 2}, 4, "2");
    body.update(json{{"phone", kPhone},
                     {"address", kAddress},
                     {"guardian1Name", "林国强"},
                     {"guardian1Relation", "1"},
                     {"guardian1IdNumber", kFatherId},
                     {"guardian1Phone", kFatherPhone},
                     {"guardian2Name", "陈美玲"},
                     {"guardian2Relation", "2"},
                     {"guardian2IdNumber", kMotherId},
                     {"guardian2Phone", kMotherPhone}});
    return body;
  }

  // Registered by the national registrar, whose answer is masked: no sensitive read.
  void RegisterKnownStudent() {
    HttpResponse r = http().PostJson("/api/v1/students", KnownStudentBody(PrimarySchool()));
    ASSERT_EQ(r.status, 201) << r.Describe();
    ASSERT_EQ(PersonalFields(r.Json()), kMasked);
  }

  static std::string RegistrarLogin(const School& school) { return "registrar." + school.code; }

  // A girl with a passport (no citizen ID: a J number), registered by the national
  // registrar; returns her number ("" after a failure).
  std::string RegisterPassportHolder() {
    json body = StudentBody(PrimarySchool(), "玛丽亚", {"E12345678", "2015-05-20", 2}, 4, "2");
    body["idType"] = "A";  // 护照
    HttpResponse created = http().PostJson("/api/v1/students", body);
    EXPECT_EQ(created.status, 201) << created.Describe();
    std::string number = created.Json().value("studentNumber", "");
    EXPECT_TRUE(number.starts_with("J") && FollowsIdRules(number.substr(1))) << created.Describe();
    EXPECT_EQ(created.Json()["idNumber"], "E1*****78");
    return created.status == 201 ? number : "";
  }

  // Every student.view_sensitive entry, oldest first, read from the store.
  std::vector<SensitiveRead> SensitiveReads() {
    std::vector<SensitiveRead> reads;
    for (auto& row : store().QueryRows("SELECT account, target, outcome, details FROM audit_log "
                                       "WHERE action = 'student.view_sensitive' ORDER BY seq"))
      reads.push_back({row[0], row[1], row[2], json::parse(row[3], nullptr, false)});
    return reads;
  }

  // Makes every append to the audit log fail, as a full disk or a lost table would.
  void BreakTheAuditLog() {
    store().Execute(testing::RefuseAuditAppendsSql(GetParam() == Backend::kPostgres));
  }
  void RepairTheAuditLog() {
    store().Execute(testing::AllowAuditAppendsSql(GetParam() == Backend::kPostgres));
  }

  // Every column of every row of `table` as one text.
  std::string TableText(const std::string& table) {
    std::string text;
    for (const auto& row : store().QueryRows("SELECT * FROM " + table))
      for (const auto& cell : row) text += cell + '\x1f';
    return text;
  }
};

TEST_P(PersonalDataTest,
       NationalRegistrarSeesMaskedValuesSchoolRegistrarWholeAnotherSchoolNothing) {
  SeedAndStart();
  ASSERT_NO_FATAL_FAILURE(RegisterKnownStudent());

  HttpResponse national = http().Get(kPath);
  ASSERT_EQ(national.status, 200) << national.Describe();
  EXPECT_EQ(PersonalFields(national.Json()), kMasked);
  EXPECT_EQ(national.Json()["name"], kName);  // not personal data in this sense: shown to both
  EXPECT_EQ(national.Header("Warning"), std::nullopt);

  HttpResponse registrar = SchoolRegistrarClient(PrimarySchool().code).Get(kPath);
  ASSERT_EQ(registrar.status, 200) << registrar.Describe();
  EXPECT_EQ(PersonalFields(registrar.Json()), kWhole);
  EXPECT_EQ(registrar.Json()["name"], kName);
  EXPECT_EQ(registrar.Header("Warning"), std::nullopt);

  HttpResponse other = SchoolRegistrarClient(OtherSchool().code).Get(kPath);
  EXPECT_EQ(other.status, 404) << other.Describe();
  EXPECT_EQ(other.ErrorCode(), "not_found") << other.Describe();
  EXPECT_EQ(other.body.find(kStudentId), std::string::npos) << other.Describe();
}

// Documents other than a citizen ID keep two characters at each end when shorter than
// 12; the J number of a student without a citizen ID holds no one's ID and shows whole.
TEST_P(PersonalDataTest, OtherDocumentsKeepTwoCharactersAtEachEndAndJNumbersShowWhole) {
  SeedAndStart();
  std::string number = RegisterPassportHolder();
  ASSERT_FALSE(number.empty());
  HttpResponse national = http().Get("/api/v1/students/" + number);
  ASSERT_EQ(national.status, 200) << national.Describe();
  EXPECT_EQ(national.Json()["studentNumber"], number);
  EXPECT_EQ(national.Json()["idNumber"], "E1*****78");
}

// A J or L number follows the citizen-ID rules (region, birth date, sequence, check
// character): shown whole in responses, it is masked in the audit log like a G number.
TEST_P(PersonalDataTest, SchoolRegistrarSeesAStudentWithAJNumberWholeAndAudited) {
  SeedAndStart();
  std::string number = RegisterPassportHolder();
  ASSERT_FALSE(number.empty());
  HttpResponse registrar =
      SchoolRegistrarClient(PrimarySchool().code).Get("/api/v1/students/" + number);
  ASSERT_EQ(registrar.status, 200) << registrar.Describe();
  EXPECT_EQ(registrar.Header("Warning"), std::nullopt);
  EXPECT_EQ(registrar.Json()["idNumber"], "E12345678");
  auto reads = SensitiveReads();
  ASSERT_EQ(reads.size(), 1u);
  ExpectSensitiveRead(reads[0], RegistrarLogin(PrimarySchool()), "GET",
                      {MaskedNumberInRecords(number)});
}

TEST_P(PersonalDataTest, EveryWholeReadIsAuditedOnceAndMaskedReadsNotAtAll) {
  SeedAndStart();
  ASSERT_NO_FATAL_FAILURE(RegisterKnownStudent());
  const School& school = PrimarySchool();
  // Two classmates in her class, which holds no one of the roster (its classes are "01"...):
  // the class's page is the three of them in the order of registration.
  IdSource ids("110101", 2015);
  std::vector<std::string> mates;  // their G numbers
  for (const IdSource::Person& p : {ids.Next(1), ids.Next(2)}) {
    HttpResponse r = http().PostJson("/api/v1/students", StudentBody(school, "同班", p, 4, "2"));
    ASSERT_EQ(r.status, 201) << r.Describe();
    mates.push_back("G" + p.id_number);
  }
  const std::string page_target = "/api/v1/students?school=" + school.code + "&grade=4&class=2";
  const std::vector<std::string> page_shown = {kMaskedNumber, MaskedStudentNumber(mates[0]),
                                               MaskedStudentNumber(mates[1])};
  HttpClient registrar = SchoolRegistrarClient(school.code);

  // The national registrar reads one, a page and three searches: all masked, none audited.
  for (const std::string& target : {kPath, page_target, "/api/v1/students?q=" + kNumber,
                                    "/api/v1/students?q=" + std::string(kStudentId),
                                    "/api/v1/students?q=" + UrlEncode(kName)}) {
    HttpResponse r = http().Get(target);
    ASSERT_EQ(r.status, 200) << target << ": " << r.Describe();
    EXPECT_NE(r.body.find("**********"), std::string::npos) << target << ": " << r.Describe();
    EXPECT_EQ(r.body.find(kStudentId), std::string::npos) << target << ": " << r.Describe();
  }
  EXPECT_EQ(SensitiveReads().size(), 0u);

  // The school's registrar: one entry for one student.
  HttpResponse one = registrar.Get(kPath);
  ASSERT_EQ(one.status, 200) << one.Describe();
  EXPECT_EQ(PersonalFields(one.Json()), kWhole);
  auto reads = SensitiveReads();
  ASSERT_EQ(reads.size(), 1u);
  ExpectSensitiveRead(reads[0], RegistrarLogin(school), "GET", {kMaskedNumber});

  // One entry for a page, naming each of its students, masked, in the page's order.
  HttpResponse page = registrar.Get(page_target);
  ASSERT_EQ(page.status, 200) << page.Describe();
  ASSERT_EQ(page.Json()["items"].size(), 3u) << page.Describe();
  EXPECT_EQ(page.Json()["items"][0]["studentNumber"], kNumber);
  EXPECT_EQ(page.Json()["items"][1]["studentNumber"], mates[0]);
  EXPECT_EQ(page.Json()["items"][2]["studentNumber"], mates[1]);
  reads = SensitiveReads();
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[1].target, kMaskedNumber + " (+2)");
  ExpectSensitiveRead(reads[1], RegistrarLogin(school), "GET", page_shown);

  // One entry for a search by the whole G number (found through its blind index).
  HttpResponse found = registrar.Get("/api/v1/students?q=" + kNumber);
  ASSERT_EQ(found.status, 200) << found.Describe();
  ASSERT_EQ(found.Json()["items"].size(), 1u) << found.Describe();
  EXPECT_EQ(PersonalFields(found.Json()["items"][0]), kWhole);
  reads = SensitiveReads();
  ASSERT_EQ(reads.size(), 3u);
  ExpectSensitiveRead(reads[2], RegistrarLogin(school), "GET", {kMaskedNumber});

  // A search that finds nobody shows nothing: nothing to audit.
  HttpResponse none = registrar.Get(std::string("/api/v1/students?q=G") + kBoyId);
  ASSERT_EQ(none.status, 200) << none.Describe();
  EXPECT_EQ(none.Json()["items"].size(), 0u) << none.Describe();
  EXPECT_EQ(SensitiveReads().size(), 3u);
  // Nor does a student outside the reader's school.
  EXPECT_EQ(SchoolRegistrarClient(OtherSchool().code).Get(kPath).status, 404);
  EXPECT_EQ(SensitiveReads().size(), 3u);
}

// A write answered with the record shows it too: a registration and a correction by
// the school's registrar are audited as sensitive reads (beside the writes themselves).
TEST_P(PersonalDataTest, WritesAnsweredWholeAreAuditedAsSensitiveReads) {
  SeedAndStart();
  const School& school = PrimarySchool();
  HttpClient registrar = SchoolRegistrarClient(school.code);
  HttpResponse created = registrar.PostJson("/api/v1/students", KnownStudentBody(school));
  ASSERT_EQ(created.status, 201) << created.Describe();
  EXPECT_EQ(PersonalFields(created.Json()), kWhole);
  auto reads = SensitiveReads();
  ASSERT_EQ(reads.size(), 1u);
  ExpectSensitiveRead(reads[0], RegistrarLogin(school), "POST", {kMaskedNumber});

  HttpResponse patched = registrar.Patch(kPath, R"({"classNo":"3"})", {{"If-Match", "\"v1\""}});
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  EXPECT_EQ(PersonalFields(patched.Json()), kWhole);
  reads = SensitiveReads();
  ASSERT_EQ(reads.size(), 2u);
  ExpectSensitiveRead(reads[1], RegistrarLogin(school), "PATCH", {kMaskedNumber});

  // The national registrar's correction is answered masked: no third entry.
  HttpResponse masked = http().Patch(kPath, R"({"classNo":"4"})", {{"If-Match", "\"v2\""}});
  ASSERT_EQ(masked.status, 200) << masked.Describe();
  EXPECT_EQ(PersonalFields(masked.Json()), kMasked);
  EXPECT_EQ(SensitiveReads().size(), 2u);
}

// Nothing personal leaves unaudited: when the entry cannot be written, the school's
// registrar gets the masked record with a warning; once the log works again, whole.
TEST_P(PersonalDataTest, UnwritableAuditLogMasksEverythingAndSaysSo) {
  SeedAndStart();
  ASSERT_NO_FATAL_FAILURE(RegisterKnownStudent());
  HttpClient registrar = SchoolRegistrarClient(PrimarySchool().code);
  BreakTheAuditLog();

  HttpResponse one = registrar.Get(kPath);
  ASSERT_EQ(one.status, 200) << one.Describe();
  EXPECT_EQ(PersonalFields(one.Json()), kMasked);
  EXPECT_EQ(one.Header("Warning").value_or(""), kMaskedWarning);
  HttpResponse page =
      registrar.Get("/api/v1/students?school=" + PrimarySchool().code + "&limit=50");
  ASSERT_EQ(page.status, 200) << page.Describe();
  EXPECT_EQ(page.Header("Warning").value_or(""), kMaskedWarning);
  for (const auto& s : page.Json()["items"]) {
    std::string number = s.value("studentNumber", "");
    EXPECT_EQ(number, MaskedStudentNumber(number)) << "shown whole without an audit entry";
    if (s["idNumber"].is_string()) {
      EXPECT_NE(s["idNumber"].get<std::string>().find('*'), std::string::npos) << s.dump();
    }
  }
  // Masked answers need no audit: no warning for the national registrar.
  HttpResponse national = http().Get(kPath);
  ASSERT_EQ(national.status, 200) << national.Describe();
  EXPECT_EQ(national.Header("Warning"), std::nullopt);

  RepairTheAuditLog();
  HttpResponse again = registrar.Get(kPath);
  ASSERT_EQ(again.status, 200) << again.Describe();
  EXPECT_EQ(PersonalFields(again.Json()), kWhole);
  EXPECT_EQ(again.Header("Warning"), std::nullopt);
  auto reads = SensitiveReads();
  ASSERT_EQ(reads.size(), 1u);
  ExpectSensitiveRead(reads[0], RegistrarLogin(PrimarySchool()), "GET", {kMaskedNumber});

  // The refused appends left no hole in the chain.
  StopServer();
  RunResult verify = RunNemisOnStore({"audit", "verify", "--db", store().url()});
  EXPECT_TRUE(verify.status.Ok()) << verify.Describe();
}

TEST_P(PersonalDataTest, NoStudentRowHoldsPersonalDataInClear) {
  // A first load into the empty registry (one transaction, indexes built at the end)...
  GenRoster generated = GenerateRoster(store().dir().path().string(), 300, 21, "first-load");
  RunResult first = Import(generated.students_path, {}, {{"import.first_load_min_rows", "1"}});
  ASSERT_TRUE(first.status.Ok()) << first.Describe();
  const School* primary = generated.FirstSchoolOfCategory("21");
  ASSERT_NE(primary, nullptr);
  const School& school = *primary;

  // ...then an import in batches, an HTTP upload and a registration with a correction.
  IdSource kids("110101", 2016), adults("110102", 1980);
  auto person = [&](const std::string& name, int n) {
    return RosterPerson{name,
                        kids.Next(1 + n % 2),
                        "广东省广州市天河区天河路" + std::to_string(100 + n) + "号",
                        "1370000" + std::to_string(1000 + n),
                        adults.Next(1).id_number,
                        "1350000" + std::to_string(1000 + n)};
  };
  const std::vector<RosterPerson> batch = {person("欧阳明", 1), person("司马兰", 2)};
  const RosterPerson uploaded = person("上官云", 3);
  std::string batch_csv = FullRosterHeader();
  for (const auto& p : batch) batch_csv += FullRosterRow(school, p);
  std::string batch_path = store().File("batch.csv");
  WriteFile(batch_path, batch_csv);
  RunResult batches = Import(batch_path);
  ASSERT_TRUE(batches.status.Ok()) << batches.Describe();

  StartServer();
  HttpResponse upload =
      http().Post("/api/v1/imports/students", FullRosterHeader() + FullRosterRow(school, uploaded),
                  {{"Content-Type", "text/csv"}});
  ASSERT_EQ(upload.status, 202) << upload.Describe();
  json done = WaitForImport(http(), upload.Json().value("id", ""));
  ASSERT_EQ(done["report"]["importedRows"], 1) << done.dump();
  HttpResponse created = http().PostJson("/api/v1/students", KnownStudentBody(school));
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string moved = "广东省广州市越秀区中山五路88号";
  ASSERT_EQ(http().Patch(kPath, json({{"address", moved}}).dump(), {{"If-Match", "\"v1\""}}).status,
            200);
  const std::string server_log = server().Stderr();
  StopServer();

  std::vector<std::string> secrets = CellSecretsOf(generated.students);
  // The scan finds what is there: the roster file holds each of these in clear.
  EXPECT_EQ(Leaked(ReadFile(generated.students_path), secrets).size(),
            static_cast<size_t>(
                std::ranges::count_if(secrets, [](const auto& v) { return !v.empty(); })));
  std::ranges::copy(GNumbersOf(generated.students), std::back_inserter(secrets));
  for (const auto& p : batch) std::ranges::copy(SecretsOf(p), std::back_inserter(secrets));
  std::ranges::copy(SecretsOf(uploaded), std::back_inserter(secrets));
  for (const auto& [field, value] : kWhole.items()) secrets.push_back(value.get<std::string>());
  secrets.push_back(moved);

  const std::string rows = TableText("student");
  // The scan sees what is stored: every student is there, names (not sealed) in clear.
  EXPECT_EQ(store().CountStudents(), 300 + 2 + 1 + 1);
  for (const std::string& name :
       {std::string(kName), batch[0].name, uploaded.name, generated.students.Cell(0, "姓名")})
    EXPECT_NE(rows.find(name), std::string::npos) << name;
  EXPECT_EQ(store().QueryInt(
                "SELECT COUNT(*) FROM student WHERE personal IS NULL OR number_index IS NULL"),
            0);
  // Each student holds the G number of its own ID (one person, one number).
  EXPECT_EQ(store().CountNumberedByTheirIds(
                {kStudentId, batch[0].self.id_number, uploaded.self.id_number}),
            3);

  std::vector<std::string> leaked = Leaked(rows, secrets);
  EXPECT_TRUE(leaked.empty()) << leaked.size() << " of " << secrets.size()
                              << " personal values are stored in clear in the student table, e.g. "
                              << Example(leaked);
  leaked = Leaked(TableText("audit_log"), secrets);
  EXPECT_TRUE(leaked.empty()) << leaked.size() << " personal values in the audit log, e.g. "
                              << Example(leaked);
  leaked = Leaked(server_log + first.err + batches.err, secrets);
  EXPECT_TRUE(leaked.empty()) << leaked.size() << " personal values in the logs, e.g. "
                              << Example(leaked);
}

NEMIS_IT_BOTH_BACKENDS(PersonalDataTest);

}  // namespace
}  // namespace nemis::it
