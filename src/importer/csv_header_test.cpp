#include "importer/csv_header.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "importer/csv_reader.hpp"
#include "importer/csv_testing.hpp"
#include "importer/student_columns.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::importer {
namespace {

using testing::CorpusPath;
using ::testing::ElementsAre;
using ::testing::Field;

Result<HeaderMapping> MatchFileHeader(const std::string& name) {
  auto reader = CsvReader::Open(CorpusPath(name));
  EXPECT_OK(reader);
  CsvRecord header;
  EXPECT_TRUE((*reader)->Next(header));
  return MatchHeader(header, kStudentColumns);
}

TEST(CsvHeaderTest, StudentSpecIsInEnumOrder) {
  // HeaderMapping::field(StudentColumn) relies on it.
  for (size_t i = 0; i < kStudentColumns.size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(kStudentColumns[i].field), i);
  }
}

TEST(CsvHeaderTest, ChineseHeadersInAnyOrder) {
  std::vector<std::string_view> header;  // every column, last spec column first
  for (auto it = kStudentColumns.rbegin(); it != kStudentColumns.rend(); ++it) {
    header.push_back(it->chinese);
  }
  std::vector<HeaderColumn> columns;
  for (const auto& spec : kStudentColumns)
    columns.push_back({spec.chinese, spec.english, spec.required});
  auto mapping = MatchHeaderColumns(header, columns);
  ASSERT_OK(mapping);
  const int last = static_cast<int>(kStudentColumns.size()) - 1;
  EXPECT_EQ(mapping->field(StudentColumn::kStudentNumber), last);
  EXPECT_EQ(mapping->field(StudentColumn::kName), last - 1);
  EXPECT_EQ(mapping->field(StudentColumn::kSchoolDivision), 0);
  EXPECT_TRUE(mapping->warnings.empty());
}

TEST(CsvHeaderTest, OptionalColumnsMayBeAbsent) {
  auto mapping = MatchFileHeader("english_headers.csv");
  ASSERT_OK(mapping);
  EXPECT_EQ(mapping->field(StudentColumn::kIdNumber), -1);
  EXPECT_FALSE(mapping->has(StudentColumn::kPhone));
  EXPECT_TRUE(mapping->has(StudentColumn::kName));
}

TEST(CsvHeaderTest, EnglishHeadersInAnyCaseWithSpacesAndAnUnknownColumn) {
  auto mapping = MatchFileHeader("english_headers.csv");
  ASSERT_OK(mapping);
  EXPECT_EQ(mapping->field(StudentColumn::kStudentNumber), 0);       // "StudentNumber"
  EXPECT_EQ(mapping->field(StudentColumn::kName), 1);                // " NAME "
  EXPECT_EQ(mapping->field(StudentColumn::kBirthDate), 3);           // "BirthDate"
  EXPECT_EQ(mapping->field(StudentColumn::kGuardian1Relation), 11);  // "Guardian1Relation"
  ASSERT_EQ(mapping->warnings.size(), 1u);
  EXPECT_EQ(mapping->warnings[0].field, 9u);
  EXPECT_EQ(mapping->warnings[0].code, "unknown_column");
  EXPECT_EQ(mapping->warnings[0].message, "第 10 列（J）“remarks”不是可导入的列，已忽略");
}

TEST(CsvHeaderTest, DuplicateColumnNamesBothPositions) {
  auto mapping = MatchFileHeader("duplicate_header.csv");
  ASSERT_THAT(mapping, nemis::testing::IsErrorCode("bad_header"));
  EXPECT_EQ(mapping.error().kind, ErrorKind::kInvalid);
  ASSERT_EQ(mapping.error().fields.size(), 1u);
  EXPECT_EQ(mapping.error().fields[0],
            (FieldError{"name", "duplicate_column",
                        "第 2 列（B）“姓名”和第 4 列（D）“name”是同一列“姓名”，只能保留一列"}));
}

TEST(CsvHeaderTest, MissingRequiredColumnsAreNamedInChinese) {
  auto mapping = MatchFileHeader("missing_required_columns.csv");
  ASSERT_THAT(mapping, nemis::testing::IsErrorCode("bad_header"));
  // Exactly the spec's required columns the file lacks (性别 and 出生日期 when this was written).
  const std::string file_header =
      testing::ReadFileBytes(CorpusPath("missing_required_columns.csv"));
  std::vector<FieldError> expected;
  std::string message = "表头有误：";
  for (const auto& spec : kStudentColumns) {
    if (!spec.required || file_header.find(spec.chinese) != std::string::npos) continue;
    const std::string text =
        "缺少必填列“" + std::string(spec.chinese) + "”（" + std::string(spec.english) + "）";
    message += (expected.empty() ? "" : "；") + text;
    expected.push_back({std::string(spec.english), "missing_column", text});
  }
  EXPECT_EQ(mapping.error().fields, expected);
  EXPECT_EQ(mapping.error().message, message);
  ASSERT_GE(expected.size(), 2u);
  EXPECT_EQ(expected[0], (FieldError{"gender", "missing_column", "缺少必填列“性别”（gender）"}));
  EXPECT_EQ(expected[1].message, "缺少必填列“出生日期”（birthDate）");
}

TEST(CsvHeaderTest, AnEmptyHeaderMissesEveryRequiredColumn) {
  auto mapping =
      MatchHeaderColumns({}, std::vector<HeaderColumn>{{"姓名", "name", true},
                                                       {"学籍号", "studentNumber", false},
                                                       {"性别", "gender", true}});
  ASSERT_THAT(mapping, nemis::testing::IsErrorCode("bad_header"));
  EXPECT_THAT(mapping.error().fields,
              ElementsAre(Field(&FieldError::field, "name"), Field(&FieldError::field, "gender")));
}

TEST(CsvHeaderTest, DuplicatesAndMissingTogether) {
  const std::vector<std::string_view> header = {"姓名", "name", "NAME"};
  const std::vector<HeaderColumn> columns = {{"姓名", "name", true}, {"性别", "gender", true}};
  auto mapping = MatchHeaderColumns(header, columns);
  ASSERT_THAT(mapping, nemis::testing::IsErrorCode("bad_header"));
  EXPECT_THAT(mapping.error().fields, ElementsAre(Field(&FieldError::code, "duplicate_column"),
                                                  Field(&FieldError::code, "duplicate_column"),
                                                  Field(&FieldError::code, "missing_column")));
  EXPECT_EQ(mapping.error().fields[1].message,
            "第 1 列（A）“姓名”和第 3 列（C）“NAME”是同一列“姓名”，只能保留一列");
}

TEST(CsvHeaderTest, NormalizationForgivesSpreadsheetHabits) {
  EXPECT_EQ(NormalizeHeaderName("\xEF\xBB\xBF姓名"), "姓名");            // stray BOM
  EXPECT_EQ(NormalizeHeaderName(" 姓　名 "), "姓名");                    // spaces, U+3000
  EXPECT_EQ(NormalizeHeaderName("*姓名"), "姓名");                       // required marker
  EXPECT_EQ(NormalizeHeaderName("学校名称（全称）"), "学校名称(全称)");  // full-width parentheses
  EXPECT_EQ(NormalizeHeaderName("监护人１姓名"), "监护人1姓名");         // full-width digit
  EXPECT_EQ(NormalizeHeaderName("ＩＤ Number"), "idnumber");
  EXPECT_EQ(NormalizeHeaderName("birthDate"), NormalizeHeaderName("BIRTHDATE"));
}

TEST(CsvHeaderTest, EmptyHeaderCellsAreWarnings) {
  const std::vector<std::string_view> header = {"姓名", "", "性别", " "};
  const std::vector<HeaderColumn> columns = {{"姓名", "name", true}, {"性别", "gender", true}};
  auto mapping = MatchHeaderColumns(header, columns);
  ASSERT_OK(mapping);
  EXPECT_EQ(mapping->field(1), 2);
  ASSERT_EQ(mapping->warnings.size(), 2u);
  EXPECT_EQ(mapping->warnings[0].code, "empty_header");
  EXPECT_EQ(mapping->warnings[1].message, "第 4 列（D）没有表头，该列已忽略");
}

// The helper is generic: a school roster spec works the same way.
struct SchoolColumnSpec {
  int column;
  std::string_view chinese;
  std::string_view english;
  bool required;
};
constexpr SchoolColumnSpec kSchoolColumns[] = {
    {0, "学校标识码", "schoolCode", true},
    {1, "学校名称（全称）", "name", true},
    {2, "办学类型", "type", false},
};

TEST(CsvHeaderTest, WorksForOtherSpecs) {
  CsvRecord header;
  const std::string bytes = "学校名称(全称),SCHOOLCODE";
  header.data = bytes.data();
  header.fields = {{0, 20}, {21, 10}};
  auto mapping = MatchHeader(header, kSchoolColumns);
  ASSERT_OK(mapping);
  EXPECT_EQ(mapping->field_of, (std::vector<int>{1, 0, -1}));
}

}  // namespace
}  // namespace nemis::importer
