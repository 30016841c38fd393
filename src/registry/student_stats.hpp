// Student counts at any level of the tree, grouped by any combination of
// dimensions (grade, gender, ethnicity, flags, child institution ...). Computed
// in SQL on the ancestor-code columns: no recursive scans.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"

namespace nemis::registry {

enum class StatsDimension {
  kGrade,
  kGender,
  kEthnicity,
  kStage,
  kLeftBehind,
  kMigrantChild,
  kOrphan,
  kMartyrChild,
  kDisabilityType,
  kInRegularClass,
  kBoarding,
  kHukouType,
  kStatus,
  kOrg,
  kUrbanRural,  // the school's 城乡分类代码
  kSchool,      // the school's code, whatever the root's level
  kClassNo,     // the class (班级) within its school and grade
  kCounty,      // the school's county (区县) code, whatever the root's level; NULL if none
  kBirthYear,   // the year of birth (grade-age checks, age pyramids)
  kSchoolType   // the school's 办学类型 (GB/T 33782 three-digit code)
};

/// The API name of a dimension ("grade", "leftBehind", "org").
std::string_view DimensionName(StatsDimension d);
std::optional<StatsDimension> ParseDimension(std::string_view name);
/// The SQL of a dimension over the student table as `s` (the grade now; for kOrg the child
/// of an institution of `level`).
std::string DimensionSql(StatsDimension d, org::OrgLevel level);
/// "grade,gender" as dimensions; a 400 bad_dimension naming an unknown or repeated one.
Result<std::vector<StatsDimension>> ParseDimensions(std::string_view text);
/// Every dimension, for documentation and errors.
const std::vector<StatsDimension>& AllDimensions();

struct StatsQuery {
  std::string org_code;  // empty: the caller's scope
  std::vector<StatsDimension> by;
  bool all_statuses = false;  // default: students currently in school (status 01)
};

struct StatsRow {
  std::vector<db::Value> keys;  // one per dimension; integers for numeric dimensions
  int64_t count = 0;
};

struct StatsResult {
  std::string org_code;
  std::vector<StatsDimension> by;
  std::vector<StatsRow> rows;
  int64_t total = 0;
};

/// The SQL of a count at the national root grouped by `by` (no parameters): counted per
/// province first and added up, so that on a national node partitioned by province
/// (exchange/student_partitions.hpp) each shard counts its own province and sends one row per
/// group. CountStudents runs it there.
std::string NationalCountSql(const std::vector<StatsDimension>& by, bool all_statuses);

Result<StatsResult> CountStudents(db::Database& db, const org::Scope& caller,
                                  const StatsQuery& query);

}  // namespace nemis::registry
