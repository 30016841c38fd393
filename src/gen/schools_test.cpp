#include "gen/schools.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <set>

#include "codes/code_tables.hpp"
#include "codes/division.hpp"
#include "codes/school_code.hpp"
#include "codes/stage.hpp"
#include "gen/test_support.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::gen {
namespace {

uint64_t TotalStudents(const std::vector<GenSchool>& schools) {
  return std::accumulate(schools.begin(), schools.end(), uint64_t{0},
                         [](uint64_t sum, const GenSchool& s) { return sum + s.students; });
}

TEST(GenerateSchoolsTest, CodesAreValidUniqueAndMatchTheType) {
  GenOptions options;
  options.students = 200000;
  auto schools = GenerateSchools(options);
  ASSERT_FALSE(schools.empty());
  std::set<std::string> codes, names;
  for (const GenSchool& s : schools) {
    EXPECT_EQ(codes::CheckSchoolCode(s.code), codes::SchoolCodeProblem::kNone) << s.code;
    EXPECT_EQ(codes::SchoolCodeProvince(s.code), "440000");
    EXPECT_EQ(codes::SchoolCodeCategory(s.code), s.category);
    EXPECT_TRUE(codes::SchoolTypeMatchesCategory(s.school_type, s.category)) << s.school_type;
    EXPECT_TRUE(codes.insert(s.code).second) << "duplicate code " << s.code;
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate name " << s.name;
    EXPECT_NE(codes::SponsorCodes().Find(s.sponsor), nullptr) << s.sponsor;
    EXPECT_NE(codes::UrbanRuralCodes().Find(s.urban_rural), nullptr) << s.urban_rural;
    EXPECT_EQ(s.address.substr(0, 9), "广东省");
  }
  EXPECT_EQ(TotalStudents(schools), options.students);
}

TEST(GenerateSchoolsTest, PlacesSchoolsInRealDivisionsOfTheProvince) {
  GenOptions options;
  options.students = 50000;
  for (const GenSchool& s : GenerateSchools(options)) {
    const codes::Division* d = codes::FindDivision(s.division);
    ASSERT_NE(d, nullptr) << s.division;
    EXPECT_TRUE(d->current);
    EXPECT_EQ(codes::ProvinceOf(s.division), "440000");
    if (s.school_type[0] == '4') {
      EXPECT_EQ(s.division, "440000") << s.name;
    } else {
      EXPECT_NE(codes::DivisionLevelOf(s.division), codes::DivisionLevel::kProvince) << s.name;
      EXPECT_TRUE(codes::ChildDivisions(s.division).empty())
          << s.division;  // a county, or 东莞/中山
    }
    EXPECT_GE(s.longitude, 109.7);
    EXPECT_LE(s.longitude, 117.3);
    EXPECT_GE(s.latitude, 20.2);
    EXPECT_LE(s.latitude, 25.5);
  }
}

TEST(GenerateSchoolsTest, EveryTypeFromTenThousandStudents) {
  GenOptions options;
  options.students = 10000;
  auto schools = GenerateSchools(options);
  std::set<std::string> types, urban_rural;
  for (const GenSchool& s : schools) {
    types.insert(s.school_type);
    urban_rural.insert(s.urban_rural);
  }
  for (const char* type :
       {"111", "211", "218", "311", "312", "341", "342", "345", "361", "362", "364",
        "365", "411", "412", "413", "414", "415", "511", "512", "514", "515"})
    EXPECT_TRUE(types.count(type)) << type;
  EXPECT_GE(urban_rural.size(), 3u);
  EXPECT_EQ(TotalStudents(schools), 10000u);
}

TEST(GenerateSchoolsTest, ProportionsLookLikeGuangdong) {
  GenOptions options;
  options.students = 1000000;
  std::map<char, size_t> by_level;
  for (const GenSchool& s : GenerateSchools(options)) ++by_level[s.school_type[0]];
  EXPECT_GT(by_level['1'], by_level['3']);  // more kindergartens than secondary schools
  EXPECT_GT(by_level['2'], by_level['3']);  // more primary than secondary schools
  EXPECT_GT(by_level['3'], by_level['4']);
  EXPECT_GT(by_level['1'], 500u);
}

TEST(GenerateSchoolsTest, DeterministicPerSeed) {
  GenOptions options;
  options.students = 30000;
  auto csv = [&] {
    auto schools = GenerateSchools(options);
    return testing::CaptureOutput([&](std::FILE* f) { ASSERT_OK(WriteSchoolsCsv(schools, f)); });
  };
  std::string a = csv();
  EXPECT_EQ(a, csv());
  options.seed = 7;
  EXPECT_NE(a, csv());
  EXPECT_EQ(a.substr(0, a.find('\n')),
            "学校标识码,学校名称,办学类型,学校类别,举办者,城乡分类,所在区划,地址,经度,纬度");
}

TEST(GenerateSchoolsTest, WorksForOtherProvinces) {
  for (const char* province : {"420000", "110000", "500000", "650000", "460000"}) {
    GenOptions options;
    options.province = province;
    options.students = 20000;
    auto schools = GenerateSchools(options);
    ASSERT_FALSE(schools.empty()) << province;
    for (const GenSchool& s : schools) {
      EXPECT_EQ(codes::CheckSchoolCode(s.code), codes::SchoolCodeProblem::kNone);
      EXPECT_EQ(codes::ProvinceOf(s.division), province);
    }
    std::string csv = testing::CaptureOutput(
        [&](std::FILE* f) { ASSERT_OK(WriteStudentsCsv(options, schools, f)); });
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 20001);
  }
}

TEST(GenerateSchoolsTest, UnknownProvinceGivesNoSchools) {
  GenOptions options;
  options.province = "990000";
  EXPECT_TRUE(GenerateSchools(options).empty());
  options.province = "440100";  // a prefecture, not a province
  EXPECT_TRUE(GenerateSchools(options).empty());
  options.province = "810000";  // no counties in the table
  EXPECT_TRUE(GenerateSchools(options).empty());
}

TEST(GenerateSchoolsTest, SmallRostersStillAddUp) {
  for (uint64_t n : {0, 1, 7, 500, 9999}) {
    GenOptions options;
    options.students = n;
    auto schools = GenerateSchools(options);
    EXPECT_FALSE(schools.empty());
    EXPECT_EQ(TotalStudents(schools), n);
  }
}

}  // namespace
}  // namespace nemis::gen
