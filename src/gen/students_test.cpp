#include "gen/students.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <unordered_set>

#include "codes/id_number.hpp"
#include "codes/stage.hpp"
#include "gen/test_support.hpp"
#include "importer/student_columns.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::gen {
namespace {

using importer::StudentColumn;
using testing::Split;

size_t Col(StudentColumn c) { return static_cast<size_t>(c); }

std::vector<std::string_view> Lines(const std::string& csv) {
  auto lines = Split(csv, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

TEST(StudentsCsvTest, HeaderListsEveryColumnInOrder) {
  GenOptions options;
  options.students = 100;
  std::string csv = testing::StudentsCsv(options);
  auto header = Split(Lines(csv)[0], ',');
  ASSERT_EQ(header.size(), importer::kStudentColumns.size());
  for (size_t i = 0; i < header.size(); ++i)
    EXPECT_EQ(header[i], importer::kStudentColumns[i].chinese);
  EXPECT_EQ(header[0], "学籍号");
  EXPECT_EQ(header[36], "学校所在区划");
  EXPECT_EQ(StudentsCsvHeader(), std::string(Lines(csv)[0]) + "\n");
}

TEST(StudentsCsvTest, SameSeedSameBytesOtherSeedOtherBytes) {
  GenOptions options;
  options.students = 20000;
  std::string a = testing::StudentsCsv(options);
  EXPECT_EQ(a, testing::StudentsCsv(options));
  options.seed = 2;
  std::string b = testing::StudentsCsv(options);
  EXPECT_NE(a, b);
  EXPECT_EQ(Lines(a).size(), 20001u);
  EXPECT_EQ(Lines(b).size(), 20001u);
}

// One pass over a large roster checking every row against the national rules.
class LargeRosterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    options_ = new GenOptions();
    options_->students = 200000;
    schools_ = new std::vector<GenSchool>(GenerateSchools(*options_));
    csv_ = new std::string(testing::CaptureOutput(
        [](std::FILE* f) { ASSERT_OK(WriteStudentsCsv(*options_, *schools_, f)); }));
  }
  static void TearDownTestSuite() {
    delete csv_;
    delete schools_;
    delete options_;
  }
  static GenOptions* options_;
  static std::vector<GenSchool>* schools_;
  static std::string* csv_;
};
GenOptions* LargeRosterTest::options_;
std::vector<GenSchool>* LargeRosterTest::schools_;
std::string* LargeRosterTest::csv_;

TEST_F(LargeRosterTest, EveryIdIsValidAndUnique) {
  std::unordered_set<uint64_t> keys;
  size_t citizens = 0, others = 0, guardians = 0;
  auto lines = Lines(*csv_);
  ASSERT_EQ(lines.size(), options_->students + 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    auto f = Split(lines[i], ',');
    ASSERT_EQ(f.size(), importer::kStudentColumns.size()) << lines[i];
    int gender = f[Col(StudentColumn::kGender)] == "1" ? 1 : 2;
    std::string_view id = f[Col(StudentColumn::kIdNumber)];
    if (f[Col(StudentColumn::kIdType)] == "1") {
      codes::IdFacts facts;
      ASSERT_EQ(codes::CheckIdNumber(id, options_->today, gender, &facts), codes::IdProblem::kNone)
          << id;
      EXPECT_EQ(facts.birth_date.ToIso(), f[Col(StudentColumn::kBirthDate)]);
      ASSERT_TRUE(keys.insert(codes::PackIdNumber(id)).second) << "duplicate " << id;
      ++citizens;
    } else {
      EXPECT_NE(f[Col(StudentColumn::kNationality)], "156");
      ++others;
    }
    for (auto [id_col, rel_col] :
         {std::pair{StudentColumn::kGuardian1IdNumber, StudentColumn::kGuardian1Relation},
          std::pair{StudentColumn::kGuardian2IdNumber, StudentColumn::kGuardian2Relation}}) {
      std::string_view gid = f[Col(id_col)];
      int expected = f[Col(rel_col)] == "1" ? 1 : f[Col(rel_col)] == "2" ? 2 : 0;
      codes::IdFacts facts;
      ASSERT_EQ(codes::CheckIdNumber(gid, options_->today, expected, &facts),
                codes::IdProblem::kNone)
          << gid;
      EXPECT_GE(facts.birth_date.year, 1950);
      EXPECT_LE(facts.birth_date.year, 1995);
      ASSERT_TRUE(keys.insert(codes::PackIdNumber(gid)).second) << "duplicate guardian " << gid;
      ++guardians;
    }
  }
  EXPECT_EQ(guardians, 2 * options_->students);
  // About 0.3% of students have no Chinese ID.
  EXPECT_GT(others, options_->students / 1000);
  EXPECT_LT(others, options_->students / 100);
  EXPECT_GT(citizens, options_->students * 99 / 100);
}

TEST_F(LargeRosterTest, GradesStagesAndBirthDatesAgreeWithTheSchool) {
  std::map<std::string_view, const GenSchool*> by_code;
  for (const GenSchool& s : *schools_) by_code[s.code] = &s;
  auto lines = Lines(*csv_);
  const int year = options_->school_year;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto f = Split(lines[i], ',');
    auto school = by_code.find(f[Col(StudentColumn::kSchoolCode)]);
    ASSERT_NE(school, by_code.end());
    EXPECT_EQ(f[Col(StudentColumn::kSchoolName)], school->second->name);
    EXPECT_EQ(f[Col(StudentColumn::kSchoolType)], school->second->school_type);
    EXPECT_EQ(f[Col(StudentColumn::kSchoolDivision)], school->second->division);
    auto stage = codes::ParseStage(f[Col(StudentColumn::kStage)]);
    auto grade = codes::ParseGrade(f[Col(StudentColumn::kGrade)]);
    ASSERT_TRUE(stage && grade) << lines[i];
    auto held = codes::StagesOfSchoolType(school->second->school_type);
    EXPECT_NE(std::find(held.begin(), held.end(), *stage), held.end()) << lines[i];
    EXPECT_TRUE(codes::GradeInStage(*stage, *grade)) << lines[i];
    // Grade g of school year Y: born (Y-6-g)-09-01 .. (Y-5-g)-08-31, a few a year earlier.
    auto birth = ParseIsoDate(f[Col(StudentColumn::kBirthDate)]);
    ASSERT_TRUE(birth);
    EXPECT_GE(*birth, (Date{year - 7 - *grade, 9, 1})) << lines[i];
    EXPECT_LE(*birth, (Date{year - 5 - *grade, 8, 31})) << lines[i];
    std::string_view entry = f[Col(StudentColumn::kEntryDate)];
    ASSERT_EQ(entry.size(), 7u);
    EXPECT_EQ(entry.substr(4), "-09");
    // Entered the stage's first grade: 小班 -2, 一年级 1, 七年级 7, 高一/中职一年级 10, 大一 13.
    const int first_grade[] = {-2, 1, 7, 10, 10, 13};
    int entry_year = std::stoi(std::string(entry.substr(0, 4)));
    EXPECT_EQ(entry_year, year - (*grade - first_grade[static_cast<int>(*stage)])) << lines[i];
    EXPECT_FALSE(f[Col(StudentColumn::kClassNo)].empty());
  }
}

TEST_F(LargeRosterTest, PeopleLookReal) {
  auto lines = Lines(*csv_);
  size_t dotted = 0, rare = 0, migrants = 0, left_behind = 0, disabled = 0, boys = 0;
  std::map<std::string_view, size_t> ethnicities;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto f = Split(lines[i], ',');
    std::string_view name = f[Col(StudentColumn::kName)];
    ASSERT_GE(name.size(), 6u) << lines[i];  // at least two Chinese characters
    if (name.find("·") != std::string_view::npos) ++dotted;
    for (unsigned char c : name)
      if (c >= 0xF0) ++rare;
    for (auto col :
         {StudentColumn::kPhone, StudentColumn::kGuardian1Phone, StudentColumn::kGuardian2Phone}) {
      std::string_view phone = f[Col(col)];
      ASSERT_EQ(phone.size(), 11u);
      EXPECT_EQ(phone[0], '1');
      EXPECT_TRUE(
          std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; }));
    }
    EXPECT_FALSE(f[Col(StudentColumn::kAddress)].empty());
    EXPECT_EQ(f[Col(StudentColumn::kAddress)].substr(0, 9), "广东省");
    migrants += f[Col(StudentColumn::kMigrantChild)] == "1";
    left_behind += f[Col(StudentColumn::kLeftBehind)] != "0";
    disabled += !f[Col(StudentColumn::kDisabilityType)].empty();
    boys += f[Col(StudentColumn::kGender)] == "1";
    ++ethnicities[f[Col(StudentColumn::kEthnicity)]];
  }
  size_t n = lines.size() - 1;
  EXPECT_GT(dotted, 10u);
  EXPECT_GT(rare, 5u);
  EXPECT_NEAR(static_cast<double>(boys) / n, 0.52, 0.01);
  EXPECT_GT(migrants, n / 20);
  EXPECT_GT(left_behind, n / 100);
  EXPECT_LT(left_behind, n / 10);
  EXPECT_GT(disabled, n / 400);
  EXPECT_GT(ethnicities["01"], n * 95 / 100);
  EXPECT_GT(ethnicities["08"], 0u);  // 壮族
  EXPECT_GT(ethnicities["22"], 0u);  // 畲族
}

TEST(StudentsCsvTest, RejectsAnUnknownProvince) {
  GenOptions options;
  options.province = "990000";
  std::vector<GenSchool> none;
  EXPECT_THAT(WriteStudentsCsv(options, none, stdout),
              nemis::testing::IsErrorCode("unknown_province"));
}

}  // namespace
}  // namespace nemis::gen
