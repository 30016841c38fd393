// The population department's answer about a student's resident ID (人口信息比对, registry/
// quality/population_verdicts.hpp): 'match', 'unknown' (查无此人) or 'name_mismatch'
// (姓名不符), and the day the node took it in; NULL until a verdict comes. The record-quality
// scan turns the last two into problem records (问题学籍).
#include <string_view>

namespace nemis::db {

std::string_view Migration0017PopulationCheck() {
  return R"SQL(
ALTER TABLE student ADD COLUMN population_check TEXT;
ALTER TABLE student ADD COLUMN population_checked_on TEXT;
)SQL";
}

}  // namespace nemis::db
