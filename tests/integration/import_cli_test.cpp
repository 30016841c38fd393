// C. `nemis import students` on real files: the corpus of bad files in
// tests/data/import and cases built here at run time. Every rejected file must give
// a precise report (line, field, column, code) and leave the store exactly as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "fixture.hpp"
#include "roster_files.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

constexpr int kSeeded = 2000;  // students of the seeded roster

std::string Corpus(const std::string& name) {
  return std::string(NEMIS_IMPORT_CORPUS) + "/" + name;
}

class ImportCliTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedRoster(kSeeded);
  }

  // Imports `file` with a JSON report; returns the report (exit code in *exit_code).
  json ImportWithReport(const std::string& file, std::vector<std::string> args = {},
                        int* exit_code = nullptr) {
    std::string report = store().File("report-" + std::to_string(++reports_) + ".json");
    args.push_back("--report");
    args.push_back(report);
    RunResult r = Import(file, args);
    if (exit_code) *exit_code = r.status.exited ? r.status.code : -1;
    EXPECT_TRUE(r.status.exited) << r.Describe();
    json j = ReadReport(report);
    EXPECT_TRUE(j.is_object()) << "no report: " << r.Describe();
    return j;
  }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = store().File(name);
    WriteFile(path, content);
    return path;
  }

  IdSource ids_{"110101", 2016};
  int reports_ = 0;
};

std::vector<ErrorKey> MissingColumns(const std::vector<std::string>& fields) {
  std::vector<ErrorKey> out;
  for (const auto& f : fields) out.emplace_back(1, f, "", "missing_column");  // the header line
  return out;
}

// The reader's corpus files are rosters without guardian columns, which a student
// import requires: each is refused on its header, whatever its encoding or layout.
TEST_P(ImportCliTest, CorpusReaderFilesAreRefusedOnTheirHeader) {
  for (const char* file :
       {"utf8.csv", "utf8_bom.csv", "crlf.csv", "no_trailing_newline.csv", "gb18030.csv",
        "utf16le_bom.csv", "tab_separated.tsv", "header_only.csv", "invalid_utf8_middle.csv"}) {
    SCOPED_TRACE(file);
    int rc = -1;
    json r = ImportWithReport(Corpus(file), {}, &rc);
    EXPECT_EQ(rc, 1);
    EXPECT_EQ(r["status"], "failed");
    EXPECT_EQ(r["totalRows"], 0);
    EXPECT_EQ(r["importedRows"], 0);
    EXPECT_EQ(ErrorKeys(r), MissingColumns({"guardian1Name", "guardian1Relation"}));
    EXPECT_EQ(r["errorCount"], 2);
    EXPECT_EQ(store().CountStudents(), kSeeded);
  }
}

TEST_P(ImportCliTest, CorpusEnglishHeadersAreMatchedAndExtraColumnsIgnored) {
  int rc = -1;
  json r = ImportWithReport(Corpus("english_headers.csv"), {}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(r["status"], "rejected");
  EXPECT_EQ(r["encoding"], "utf-8");
  EXPECT_EQ(r["totalRows"], 1);
  // School 1101010001 has no valid province; "G1" is no G number; a student without an
  // ID needs a guardian's. The guardian columns (English, mixed case) were matched.
  const std::vector<ErrorKey> expected = {
      {2, "studentNumber", "StudentNumber", "number_mismatch"},
      {2, "schoolCode", "schoolCode", "unknown_province"},
      {2, "guardian1IdNumber", "监护人1身份证件号", "required_without_student_id"},
  };
  EXPECT_EQ(ErrorKeys(r), expected) << r.dump(2);
  ASSERT_EQ(r["warnings"].size(), 1u);
  EXPECT_NE(r["warnings"][0].get<std::string>().find("remarks"), std::string::npos)
      << r["warnings"];
  EXPECT_EQ(store().CountStudents(), kSeeded);
}

TEST_P(ImportCliTest, CorpusHeaderProblemsFailTheWholeFile) {
  struct Case {
    const char* file;
    std::vector<ErrorKey> errors;
  };
  const std::vector<std::string> all_but_name = {
      "gender",  "birthDate", "ethnicity",     "schoolCode",       "grade",
      "classNo", "entryDate", "guardian1Name", "guardian1Relation"};
  const std::vector<Case> cases = {
      {"duplicate_header.csv", {{1, "name", "", "duplicate_column"}}},
      {"missing_required_columns.csv", MissingColumns({"gender", "birthDate"})},
      // Reader-shaped files, not rosters: the header is what is wrong.
      {"ragged.csv", MissingColumns({"schoolCode", "grade", "classNo", "entryDate", "guardian1Name",
                                     "guardian1Relation"})},
      {"quoted_commas_newlines.csv", MissingColumns(all_but_name)},
      {"unterminated_quote.csv", MissingColumns(all_but_name)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    int rc = -1;
    json r = ImportWithReport(Corpus(c.file), {}, &rc);
    EXPECT_EQ(rc, 1);
    EXPECT_EQ(r["status"], "failed");
    EXPECT_EQ(r["totalRows"], 0);
    EXPECT_EQ(ErrorKeys(r), c.errors);
    EXPECT_EQ(r["errorCount"], c.errors.size());
    EXPECT_EQ(store().CountStudents(), kSeeded);
  }
}

// A file-level failure must appear in the report's error list (the CSV report is
// all an Excel user sees), not only in the message.
TEST_P(ImportCliTest, CorpusEmptyFileIsReportedAsAnError) {
  int rc = -1;
  json r = ImportWithReport(Corpus("empty.csv"), {}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(r["status"], "failed");
  EXPECT_EQ(r["totalRows"], 0);
  EXPECT_EQ(r["errorCount"], 1);
  EXPECT_EQ(ErrorKeys(r), (std::vector<ErrorKey>{{1, "", "", "empty_file"}})) << r.dump(2);
  EXPECT_EQ(r["errorsTruncated"], false);
  EXPECT_EQ(store().CountStudents(), kSeeded);
}

// Valid rows for more than the 64 KiB the encoding is detected on, then a byte that
// is no UTF-8: the file fails whole (also with --skip-invalid), naming the line.
TEST_P(ImportCliTest, InvalidUtf8InTheMiddleFailsWholeNamingTheLine) {
  const School& school = PrimarySchool();
  std::string text = kRosterHeader;
  int line = 1;
  while (text.size() < 100 * 1024) {
    text += RosterRow(school, "王小明", ids_.Next(1));
    ++line;
  }
  std::string bad = RosterRow(school, "王小明", ids_.Next(1));
  bad.replace(bad.find("王"), 3, "\xFF\xFE\xFD");
  text += bad + RosterRow(school, "王小明", ids_.Next(1));
  const int bad_line = line + 1;
  std::string path = Write("invalid-utf8.csv", text);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, std::vector<std::string>{"--skip-invalid"}}) {
    SCOPED_TRACE(args.empty() ? "strict" : "skip-invalid");
    int rc = -1;
    json r = ImportWithReport(path, args, &rc);
    EXPECT_EQ(rc, 1);
    EXPECT_EQ(r["status"], "failed");
    std::string message = r.value("message", "");
    EXPECT_NE(message.find("第 " + std::to_string(bad_line) + " 行"), std::string::npos) << message;
    EXPECT_NE(message.find("GB18030"), std::string::npos) << message;
    EXPECT_EQ(store().CountStudents(), kSeeded);
    auto keys = ErrorKeys(r);
    bool named = std::any_of(keys.begin(), keys.end(), [&](const ErrorKey& k) {
      return std::get<0>(k) == static_cast<uint64_t>(bad_line) &&
             std::get<3>(k) == "invalid_encoding";
    });
    EXPECT_TRUE(named) << "the report's errors do not hold {line " << bad_line
                       << ", invalid_encoding}: " << r["errors"].dump().substr(0, 500);
  }
}

TEST_P(ImportCliTest, UnterminatedQuoteFailsWholeNamingTheLine) {
  const School& school = PrimarySchool();
  std::string text = std::string(kRosterHeader) + RosterRow(school, "甲", ids_.Next(1));
  std::string open = RosterRow(school, "乙", ids_.Next(1), "x");
  open.replace(open.rfind(",x"), 2, ",\"北京市东城区");
  text += open + RosterRow(school, "丙", ids_.Next(1));
  int rc = -1;
  json r = ImportWithReport(Write("open-quote.csv", text), {}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(r["status"], "failed");
  EXPECT_NE(r.value("message", "").find("第 3 行"), std::string::npos) << r.dump(2);
  EXPECT_EQ(store().CountStudents(), kSeeded);
  auto keys = ErrorKeys(r);
  bool named = std::any_of(keys.begin(), keys.end(), [](const ErrorKey& k) {
    return std::get<0>(k) == 3 && std::get<3>(k) == "unterminated_quote";
  });
  EXPECT_TRUE(named) << "the report's errors do not hold {line 3, unterminated_quote}: "
                     << r.dump(2);
}

// What Excel saves as "Unicode text": UTF-16LE with a BOM, tab separated, CRLF.
TEST_P(ImportCliTest, Utf16TabSeparatedFileImports) {
  const School& school = PrimarySchool();
  IdSource::Person a = ids_.Next(2), b = ids_.Next(1);
  std::string text = std::string(kRosterHeader) + RosterRow(school, "李𠮷", a) +
                     RosterRow(school, "阿卜杜拉·买买提", b);
  std::string tsv;
  for (char ch : text)
    tsv += ch == ',' ? std::string("\t") : ch == '\n' ? std::string("\r\n") : std::string(1, ch);
  int rc = -1;
  json r = ImportWithReport(Write("unicode.txt", "\xFF\xFE" + ToUtf16Le(tsv)), {}, &rc);
  EXPECT_EQ(rc, 0) << r.dump(2);
  EXPECT_EQ(r["encoding"], "utf-16le");
  EXPECT_EQ(r["importedRows"], 2);
  StartServer();
  EXPECT_EQ(http().Get("/api/v1/students/G" + a.id_number).Json()["name"], "李𠮷");
  EXPECT_EQ(http().Get("/api/v1/students/G" + b.id_number).Json()["name"], "阿卜杜拉·买买提");
}

TEST_P(ImportCliTest, Gb18030FileImportsWithNamesIntact) {
  const School& school = PrimarySchool();
  IdSource::Person a = ids_.Next(2), b = ids_.Next(1), c = ids_.Next(1);
  std::string text = std::string(kRosterHeader) + RosterRow(school, "李𠮷", a) +
                     RosterRow(school, "阿卜杜拉·买买提", b) +
                     RosterRow(school, "王小明", c, "广东省深圳市福田区,景山街道1号");
  std::string path = Write("gbk.csv", ToGb18030(text));
  // Read as UTF-8 on purpose: refused whole, naming the line.
  int rc = -1;
  json wrong = ImportWithReport(path, {"--encoding", "utf-8"}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(wrong["status"], "failed");
  EXPECT_NE(wrong.value("message", "").find("第 1 行"), std::string::npos) << wrong.dump(2);
  EXPECT_EQ(store().CountStudents(), kSeeded);

  json r = ImportWithReport(path, {}, &rc);
  EXPECT_EQ(rc, 0) << r.dump(2);
  EXPECT_EQ(r["status"], "done");
  EXPECT_EQ(r["encoding"], "gb18030");
  EXPECT_EQ(r["importedRows"], 3);
  EXPECT_EQ(store().CountStudents(), kSeeded + 3);
  StartServer();
  EXPECT_EQ(http().Get("/api/v1/students/G" + a.id_number).Json()["name"], "李𠮷");
  EXPECT_EQ(http().Get("/api/v1/students/G" + b.id_number).Json()["name"], "阿卜杜拉·买买提");
  // The school's registrar sees the address whole: the quoted comma is part of it.
  HttpClient registrar = SchoolRegistrarClient(school.code);
  EXPECT_EQ(registrar.Get("/api/v1/students/G" + c.id_number).Json()["address"],
            "广东省深圳市福田区,景山街道1号");
}

TEST_P(ImportCliTest, RaggedRowsAreReportedByLine) {
  const School& school = PrimarySchool();
  auto short_row = RosterCells(school, "缺列", ids_.Next(1));
  short_row.pop_back();
  auto long_row = RosterCells(school, "多列", ids_.Next(1));
  long_row.push_back("多余");
  IdSource::Person ok1 = ids_.Next(1), ok2 = ids_.Next(2);
  std::string path = Write("ragged.csv", std::string(kRosterHeader) +
                                             RosterRow(school, "正常甲", ok1) + CsvLine(short_row) +
                                             CsvLine(long_row) + RosterRow(school, "正常乙", ok2));
  int rc = -1;
  json r = ImportWithReport(path, {}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(r["status"], "rejected");
  EXPECT_EQ(r["totalRows"], 4);
  EXPECT_EQ(ErrorKeys(r),
            (std::vector<ErrorKey>{{3, "", "", "ragged_row"}, {4, "", "", "ragged_row"}}));
  EXPECT_EQ(store().CountStudents(), kSeeded);

  json skipped = ImportWithReport(path, {"--skip-invalid"}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(skipped["status"], "done");
  EXPECT_EQ(skipped["importedRows"], 2);
  EXPECT_EQ(skipped["rejectedRows"], 2);
  EXPECT_EQ(ErrorKeys(skipped), ErrorKeys(r));
  EXPECT_EQ(store().CountStudents(), kSeeded + 2);
  EXPECT_EQ(store().CountStudentsWithIds({ok1.id_number, ok2.id_number}), 2);
}

TEST_P(ImportCliTest, QuotedCommasAndLineBreaksKeepPhysicalLineNumbers) {
  const School& school = PrimarySchool();
  IdSource::Person comma = ids_.Next(1), line_break = ids_.Next(1), bad = ids_.Next(2);
  bad.id_number = CorruptCheckCharacter(bad.id_number);
  std::string path =
      Write("quoted.csv", std::string(kRosterHeader) +
                              RosterRow(school, "逗号", comma, "福田区,景山街道\"1\"号") +
                              RosterRow(school, "换行", line_break, "第一行\r\n第二行") +
                              RosterRow(school, "校验错", bad));
  int rc = -1;
  json r = ImportWithReport(path, {}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(r["totalRows"], 3);
  EXPECT_EQ(ErrorKeys(r), (std::vector<ErrorKey>{{3, "address", "家庭住址", "bad_address"},
                                                 {5, "idNumber", "身份证件号", "bad_check_digit"}}))
      << r.dump(2);
  EXPECT_EQ(store().CountStudents(), kSeeded);

  json skipped = ImportWithReport(path, {"--skip-invalid"}, &rc);
  EXPECT_EQ(skipped["importedRows"], 1);
  StartServer();
  HttpResponse s = SchoolRegistrarClient(school.code).Get("/api/v1/students/G" + comma.id_number);
  ASSERT_EQ(s.status, 200) << s.Describe();
  EXPECT_EQ(s.Json()["address"], "福田区,景山街道\"1\"号");
}

TEST_P(ImportCliTest, BomAndCrlfAreHandled) {
  const School& school = PrimarySchool();
  IdSource::Person a = ids_.Next(1), b = ids_.Next(2);
  std::string text =
      std::string(kRosterHeader) + RosterRow(school, "甲", a) + RosterRow(school, "乙", b);
  std::string crlf;
  for (char ch : text) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
  int rc = -1;
  json r = ImportWithReport(Write("bom.csv", "\xEF\xBB\xBF" + crlf), {}, &rc);
  EXPECT_EQ(rc, 0) << r.dump(2);
  EXPECT_EQ(r["importedRows"], 2);
  EXPECT_EQ(r["warnings"].size(), 0u) << r["warnings"];  // the BOM is not part of the first header
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student WHERE name = '甲' AND id_index = '" +
                             store().DocumentIndex(a.id_number) + "'"),
            1);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student WHERE class_no = '1' AND id_index = '" +
                             store().DocumentIndex(b.id_number) + "'"),
            1);  // the last column did not keep the CR
}

TEST_P(ImportCliTest, TenMegabyteFieldIsARowErrorNotACrash) {
  const School& school = PrimarySchool();
  IdSource::Person a = ids_.Next(1), big = ids_.Next(1), c = ids_.Next(2);
  std::string text = std::string(kRosterHeader) + RosterRow(school, "前", a) +
                     RosterRow(school, "巨大", big, std::string(10 * 1024 * 1024, 'x')) +
                     RosterRow(school, "后", c);
  std::string path = Write("huge-field.csv", text);
  int rc = -1;
  json r = ImportWithReport(path, {}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(r["status"], "rejected");
  EXPECT_EQ(r["totalRows"], 3);
  auto keys = ErrorKeys(r);
  ASSERT_EQ(keys.size(), 1u) << r.dump(2);
  EXPECT_EQ(std::get<0>(keys[0]), 3u);
  EXPECT_EQ(std::get<3>(keys[0]), "field_too_long");
  EXPECT_NE(r["errors"][0].value("message", "").find("第 3 行"), std::string::npos)
      << r["errors"][0];
  EXPECT_EQ(store().CountStudents(), kSeeded);

  json skipped = ImportWithReport(path, {"--skip-invalid"}, &rc);
  EXPECT_EQ(skipped["importedRows"], 2);
  EXPECT_EQ(store().CountStudentsWithIds({a.id_number, c.id_number}), 2);
}

// The reader knows which column is too long: the report should say so, as it does
// for every other field error.
TEST_P(ImportCliTest, TenMegabyteFieldErrorNamesItsColumn) {
  const School& school = PrimarySchool();
  std::string text = std::string(kRosterHeader) +
                     RosterRow(school, "巨大", ids_.Next(1), std::string(10 << 20, 'x'));
  json r = ImportWithReport(Write("huge-field.csv", text));
  EXPECT_EQ(ErrorKeys(r), (std::vector<ErrorKey>{{2, "address", "家庭住址", "field_too_long"}}))
      << r.dump(2);
}

TEST_P(ImportCliTest, DuplicateRowsInTheFileRejectTheLaterOne) {
  const School& school = PrimarySchool();
  IdSource::Person a = ids_.Next(1), b = ids_.Next(2);
  std::string path = Write("dups.csv", std::string(kRosterHeader) + RosterRow(school, "甲", a) +
                                           RosterRow(school, "乙", b) + RosterRow(school, "甲", a) +
                                           RosterRow(school, "甲二", a));
  int rc = -1;
  json r = ImportWithReport(path, {}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(r["status"], "rejected");
  ASSERT_EQ(r["errors"].size(), 2u) << r.dump(2);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(r["errors"][i]["line"], 4 + i);
    EXPECT_EQ(r["errors"][i]["field"], "idNumber");
    EXPECT_EQ(r["errors"][i]["code"], "duplicate_in_file");
    EXPECT_NE(r["errors"][i].value("message", "").find("第 2 行"), std::string::npos)
        << r["errors"][i];
  }
  EXPECT_EQ(store().CountStudents(), kSeeded);

  json skipped = ImportWithReport(path, {"--skip-invalid"}, &rc);
  EXPECT_EQ(skipped["importedRows"], 2);
  EXPECT_EQ(store().CountStudentsWithIds({a.id_number}), 1);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student WHERE name = '甲' AND id_index = '" +
                             store().DocumentIndex(a.id_number) + "'"),
            1);
}

TEST_P(ImportCliTest, DuplicateInFileErrorNamesTheIdColumn) {
  const School& school = PrimarySchool();
  IdSource::Person a = ids_.Next(1);
  json r =
      ImportWithReport(Write("dups.csv", std::string(kRosterHeader) + RosterRow(school, "甲", a) +
                                             RosterRow(school, "甲", a)));
  EXPECT_EQ(ErrorKeys(r),
            (std::vector<ErrorKey>{{3, "idNumber", "身份证件号", "duplicate_in_file"}}))
      << r.dump(2);
}

TEST_P(ImportCliTest, InvalidIdNumbersAreReportedExactly) {
  const School& school = PrimarySchool();
  // A citizen of the seeded roster, registered already.
  const GenRoster& seeded = SeedRoster();
  size_t row = 0;
  while (seeded.students.Cell(row, "身份证件类型") != "1") ++row;
  const School& holder = seeded.SchoolByCode(seeded.students.Cell(row, "学校标识码"));
  IdSource::Person taken{seeded.students.Cell(row, "身份证件号"),
                         seeded.students.Cell(row, "出生日期"),
                         std::stoi(seeded.students.Cell(row, "性别"))};

  IdSource::Person check = ids_.Next(1), length = ids_.Next(1), region = ids_.Next(1),
                   future = ids_.Next(1), gender = ids_.Next(1), good = ids_.Next(1);
  check.id_number = CorruptCheckCharacter(check.id_number);
  length.id_number = length.id_number.substr(0, 17);
  region.id_number = MakeIdNumber("990101", "20160102", 101);
  future.id_number = MakeIdNumber("110101", "20990102", 101);
  future.birth_date = "2099-01-02";
  gender.gender = 2;  // the sequence is odd: a boy's number
  std::string path = Write(
      "bad-ids.csv", std::string(kRosterHeader) + RosterRow(school, "校验", check) +
                         RosterRow(school, "长度", length) + RosterRow(school, "地区", region) +
                         RosterRow(school, "未来", future) + RosterRow(school, "性别", gender) +
                         RosterRow(school, "已有", taken) + RosterRow(school, "正常", good));
  int rc = -1;
  json r = ImportWithReport(path, {}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(r["status"], "rejected");
  EXPECT_EQ(r["totalRows"], 7);
  EXPECT_EQ(r["rejectedRows"], 6);
  // The future birth date is refused through the ID and the date field alike.
  const std::vector<ErrorKey> expected = {
      {2, "idNumber", "身份证件号", "bad_check_digit"},
      {3, "idNumber", "身份证件号", "bad_length"},
      {4, "idNumber", "身份证件号", "unknown_region"},
      {5, "birthDate", "出生日期", "future_date"},
      {5, "idNumber", "身份证件号", "future_birth_date"},
      {6, "idNumber", "身份证件号", "gender_mismatch"},
      {7, "idNumber", "身份证件号", "duplicate_student"},
  };
  auto keys = ErrorKeys(r);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, expected) << r.dump(2);
  for (const auto& e : r["errors"]) {
    if (e["code"] != "duplicate_student") continue;
    std::string message = e.value("message", "");
    EXPECT_NE(message.find(holder.name), std::string::npos) << message;
    EXPECT_NE(message.find(holder.code), std::string::npos) << message;
  }
  EXPECT_EQ(store().CountStudents(), kSeeded);

  // --skip-invalid: the one good row goes in, the run still exits 1.
  json skipped = ImportWithReport(path, {"--skip-invalid"}, &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(skipped["status"], "done");
  EXPECT_EQ(skipped["importedRows"], 1);
  EXPECT_EQ(skipped["rejectedRows"], 6);
  EXPECT_EQ(store().CountStudents(), kSeeded + 1);
  EXPECT_EQ(store().CountStudentsWithNumbers({"G" + good.id_number}), 1);
}

TEST_P(ImportCliTest, ReportAsCsvForExcel) {
  const School& school = PrimarySchool();
  IdSource::Person bad = ids_.Next(1);
  bad.id_number = CorruptCheckCharacter(bad.id_number);
  std::string path =
      Write("one-bad.csv", std::string(kRosterHeader) + RosterRow(school, "错", bad));
  std::string report = store().File("report.csv");
  RunResult r = Import(path, {"--report", report});
  EXPECT_EQ(r.status.code, 1) << r.Describe();
  std::string csv = ReadFile(report);
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF行号,字段,列名,错误代码,错误说明\r\n", 0), 0u) << csv;
  Csv parsed = ParseCsv(csv);
  ASSERT_EQ(parsed.rows.size(), 1u) << csv;
  EXPECT_EQ(parsed.rows[0][0], "2");
  EXPECT_EQ(parsed.rows[0][1], "idNumber");
  EXPECT_EQ(parsed.rows[0][2], "身份证件号");
  EXPECT_EQ(parsed.rows[0][3], "bad_check_digit");
  // Summary on standard output names the line and the code.
  EXPECT_NE(r.out.find("第 2 行「身份证件号」"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[bad_check_digit]"), std::string::npos) << r.out;
}

TEST_P(ImportCliTest, SameFileTwiceIsReportedAsAlreadyImported) {
  const School& school = PrimarySchool();
  std::string text = std::string(kRosterHeader);
  for (int i = 0; i < 5; ++i) text += RosterRow(school, "重复导入", ids_.Next(1 + i % 2));
  std::string path = Write("twice.csv", text);
  int rc = -1;
  json first = ImportWithReport(path, {}, &rc);
  EXPECT_EQ(rc, 0) << first.dump(2);
  EXPECT_EQ(first["importedRows"], 5);
  EXPECT_EQ(store().CountStudents(), kSeeded + 5);
  json second = ImportWithReport(path, {}, &rc);
  EXPECT_EQ(rc, 0) << second.dump(2);
  EXPECT_EQ(second["status"], "already_imported");
  EXPECT_EQ(second["importId"], first["importId"]);
  EXPECT_EQ(store().CountStudents(), kSeeded + 5);
  // The same content under another name is the same file.
  json renamed = ImportWithReport(Write("twice-copy.csv", text), {}, &rc);
  EXPECT_EQ(renamed["status"], "already_imported");
  EXPECT_EQ(store().CountStudents(), kSeeded + 5);
  // And the seeded roster itself, imported again.
  json seeded = ImportWithReport(SeedRoster().students_path, {}, &rc);
  EXPECT_EQ(seeded["status"], "already_imported");
  EXPECT_EQ(store().CountStudents(), kSeeded + 5);
}

NEMIS_IT_BOTH_BACKENDS(ImportCliTest);

// Imports of raw `nemis gen` output into an empty store (the roster registers its own schools).
class ImportLargeTest : public ServerTest {};

TEST_P(ImportLargeTest, TwentyThousandRowsImportFullyAndAreRetrievableByGNumber) {
  GenRoster gen = GenerateRoster(store().dir().path().string(), 20000, 11, "large");
  std::string report = store().File("large.json");
  RunResult run = Import(gen.students_path, {"--report", report});
  json r = ReadReport(report);
  // `nemis gen` exists to feed `nemis import`: its raw output must import cleanly.
  ASSERT_TRUE(run.status.Ok()) << run.Describe();
  EXPECT_EQ(r["status"], "done");
  EXPECT_EQ(r["rejectedRows"], 0);
  EXPECT_EQ(r["totalRows"], 20000);
  EXPECT_EQ(r["importedRows"], 20000);
  EXPECT_EQ(r["schoolsRegistered"], static_cast<int64_t>(gen.schools.size()));
  EXPECT_EQ(store().CountStudents(), 20000);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(DISTINCT number_index) FROM student"), 20000);
  const Csv& csv = gen.students;
  size_t type_col = csv.Column("身份证件类型"), id_col = csv.Column("身份证件号"),
         name_col = csv.Column("姓名"), school_col = csv.Column("学校标识码");
  std::vector<std::string> citizen_ids;
  for (const auto& row : csv.rows)
    if (row[type_col] == "1") citizen_ids.push_back(row[id_col]);
  const auto with_id = static_cast<int64_t>(citizen_ids.size());
  // Every citizen got the G number of its own ID.
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student WHERE id_type = '1'"), with_id);
  EXPECT_EQ(store().CountNumberedByTheirIds(citizen_ids), with_id);
  StartServer();
  int checked = 0;
  for (size_t i = 0; i < csv.rows.size(); i += 97) {
    const auto& row = csv.rows[i];
    if (row[type_col] != "1") continue;
    HttpResponse s = http().Get("/api/v1/students/G" + row[id_col]);
    ASSERT_EQ(s.status, 200) << "line " << i + 2 << ": " << s.Describe();
    EXPECT_EQ(s.Json()["name"], row[name_col]);
    EXPECT_EQ(s.Json()["schoolCode"], row[school_col]);
    ++checked;
  }
  EXPECT_GT(checked, 150);
}

NEMIS_IT_BOTH_BACKENDS(ImportLargeTest);

}  // namespace
}  // namespace nemis::it
