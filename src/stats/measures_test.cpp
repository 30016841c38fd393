// Measures of an ad hoc count: students, classes and schools per group, counted from one
// grouping widened by school, grade and class; a class or school counted once per group it
// has students in and once in the totals; the filter applied first; bad names refused.
#include "stats/measures.hpp"

#include <gtest/gtest.h>

#include "testing/result_matchers.hpp"

namespace nemis::stats {
namespace {

using D = registry::StatsDimension;
using nemis::testing::IsErrorCode;
using registry::StatsQuery;
using registry::StatsResult;

TEST(MeasuresTest, NamesParseOrTheBadOneIsNamed) {
  EXPECT_EQ(*ParseMeasures(""), std::vector<Measure>{Measure::kStudents});
  EXPECT_EQ(*ParseMeasures("classes,students"),
            (std::vector<Measure>{Measure::kClasses, Measure::kStudents}));
  for (const char* bad : {"teachers", "classes,classes", "students,", ",schools"}) {
    auto r = ParseMeasures(bad);
    EXPECT_THAT(r, IsErrorCode("bad_parameter")) << bad;
  }
  auto r = ParseMeasures("students,rooms");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("rooms"), std::string::npos) << r.error().message;
  EXPECT_EQ(MeasureName(Measure::kSchools), "schools");
}

// Two schools: A has grade 1 classes 01 (3 boys, 2 girls) and 02 (4 girls); B has grade 1
// class 01 (1 boy) and grade 2 class 01 (5 boys, 1 girl of ethnicity 02).
StudentCounter TwoSchools(std::vector<D>& asked_by) {
  return [&asked_by](const StatsQuery& q) -> Result<StatsResult> {
    asked_by = q.by;  // expected: gender, ethnicity, school, grade, classNo (any order given)
    StatsResult r{"440106", q.by, {}, 0};
    const auto add = [&](const char* school, int64_t grade, const char* class_no, int64_t gender,
                         const char* ethnicity, int64_t n) {
      std::vector<db::Value> keys(q.by.size());
      for (size_t i = 0; i < q.by.size(); ++i) {
        switch (q.by[i]) {
          case D::kSchool:
            keys[i] = std::string(school);
            break;
          case D::kGrade:
            keys[i] = grade;
            break;
          case D::kClassNo:
            keys[i] = std::string(class_no);
            break;
          case D::kGender:
            keys[i] = gender;
            break;
          case D::kEthnicity:
            keys[i] = std::string(ethnicity);
            break;
          default:
            ADD_FAILURE() << "not a dimension of the fake";
            break;
        }
      }
      r.rows.push_back({keys, n});
      r.total += n;
    };
    add("A", 1, "01", 1, "01", 3);
    add("A", 1, "01", 2, "01", 2);
    add("A", 1, "02", 2, "01", 4);
    add("B", 1, "01", 1, "01", 1);
    add("B", 2, "01", 1, "01", 5);
    add("B", 2, "01", 2, "02", 1);
    return r;
  };
}

TEST(MeasuresTest, ClassesAndSchoolsOncePerGroupAndOnceInTheTotals) {
  std::vector<D> asked_by;
  const auto count = TwoSchools(asked_by);
  auto r = CountMeasured(StatsQuery{"440106", {D::kGender}, false}, {},
                         {Measure::kStudents, Measure::kClasses, Measure::kSchools}, count);
  ASSERT_OK(r);
  EXPECT_EQ(asked_by, (std::vector<D>{D::kGender, D::kSchool, D::kGrade, D::kClassNo}));
  ASSERT_EQ(r->rows.size(), 2u);
  // Boys: 9 in A 1-01, B 1-01, B 2-01; girls: 7 in A 1-01, A 1-02, B 2-01.
  EXPECT_EQ(r->rows[0].keys, std::vector<db::Value>{int64_t{1}});
  EXPECT_EQ(r->rows[0].students, 9);
  EXPECT_EQ(r->rows[0].classes, 3);
  EXPECT_EQ(r->rows[0].schools, 2);
  EXPECT_EQ(r->rows[1].students, 7);
  EXPECT_EQ(r->rows[1].classes, 3);
  EXPECT_EQ(r->rows[1].schools, 2);
  // The totals: 16 students in 4 classes (A 1-01 and B 2-01 are mixed: once) at 2 schools.
  EXPECT_EQ(r->students, 16);
  EXPECT_EQ(r->classes, 4);
  EXPECT_EQ(r->schools, 2);
}

TEST(MeasuresTest, TheFilterComesFirstAndAGroupingByClassKeepsItsOwnKeys) {
  std::vector<D> asked_by;
  const auto count = TwoSchools(asked_by);
  auto girls = CountMeasured(StatsQuery{"440106", {D::kSchool}, false}, *ParseFilter("gender=2"),
                             {Measure::kClasses}, count);
  ASSERT_OK(girls);
  EXPECT_EQ(asked_by, (std::vector<D>{D::kSchool, D::kGrade, D::kClassNo, D::kGender}));
  ASSERT_EQ(girls->rows.size(), 2u);
  EXPECT_EQ(girls->rows[0].keys, std::vector<db::Value>{std::string("A")});
  EXPECT_EQ(girls->rows[0].classes, 2);
  EXPECT_EQ(girls->rows[1].classes, 1);
  EXPECT_EQ(girls->rows[1].schools, 0);  // not asked
  EXPECT_EQ(girls->classes, 3);
  // Nothing admitted, no grouping: one row of zeros, as a plain count.
  auto none = CountMeasured(StatsQuery{"440106", {}, false}, *ParseFilter("grade=9"),
                            {Measure::kStudents, Measure::kSchools}, count);
  ASSERT_OK(none);
  ASSERT_EQ(none->rows.size(), 1u);
  EXPECT_EQ(none->rows[0].students, 0);
  EXPECT_EQ(none->rows[0].schools, 0);
  EXPECT_EQ(none->schools, 0);
}

}  // namespace
}  // namespace nemis::stats
