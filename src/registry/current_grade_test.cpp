// The grade now (current_grade.hpp): the rule in C++, and the SQL the queries use giving the
// same answer as the C++ on both stores for every case.
#include "registry/current_grade.hpp"

#include <gtest/gtest.h>

#include <string>

#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::registry {
namespace {

struct Case {
  int grade;
  const char* stage;
  const char* status;
  int64_t mark, promotions;
  int now;
};

// Primary ends in grade 6, junior in 9, preschool in 0 (大班).
constexpr Case kCases[] = {
    {3, "primary", "01", 0, 0, 3},  // never promoted
    {3, "primary", "01", 0, 1, 4},  // one promotion since the grade was written
    {3, "primary", "05", 2, 4, 5},  // 复学 counts as in school
    {5, "primary", "01", 0, 3, 6},  // never past the final grade
    {6, "primary", "01", 0, 2, 6},  // held back in the final grade
    {3, "primary", "02", 0, 2, 3},  // 休学: not promoted
    {6, "primary", "07", 0, 1, 6},  // graduated
    {7, "junior", "01", 1, 1, 7},   // written as of the school's count now
    {7, "junior", "01", 2, 1, 7},   // enrolled ahead of the school's promotion
    {-1, "preschool", "01", 0, 1, 0}, {-2, "preschool", "01", 0, 5, 0},
    {3, "nonsense", "01", 0, 2, 3},  // no such stage: as stored
};

TEST(CurrentGradeTest, MovesUpWithTheSchoolsPromotionsInSchoolOnlyAndStopsAtTheFinalGrade) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.stage) + " " + std::to_string(c.grade) + " " + c.status);
    EXPECT_EQ(CurrentGrade(c.grade, c.stage, c.status, c.mark, c.promotions), c.now);
  }
}

class CurrentGradeSqlTest : public testing::StoreTest {};

TEST_P(CurrentGradeSqlTest, TheSqlAgreesWithTheRule) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.stage) + " " + std::to_string(c.grade) + " " + c.status);
    const std::string sql = "WITH s (grade, stage, status, grade_mark) AS (SELECT " +
                            std::to_string(c.grade) + ", '" + c.stage + "', '" + c.status + "', " +
                            std::to_string(c.mark) + ") SELECT " +
                            CurrentGradeSql(std::to_string(c.promotions)) + " FROM s";
    auto now = db().Read<int64_t>([&](db::Connection& conn) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, conn.Query(sql));
      return rs.rows.at(0).Int(0);
    });
    ASSERT_OK(now);
    EXPECT_EQ(*now, c.now);
  }
}

NEMIS_STORE_TEST_SUITE(CurrentGradeSqlTest);

}  // namespace
}  // namespace nemis::registry
