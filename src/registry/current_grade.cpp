#include "registry/current_grade.hpp"

#include <algorithm>

#include "codes/stage.hpp"
#include "db/sql_builder.hpp"

namespace nemis::registry {
namespace {

bool InSchool(std::string_view status) { return status == "01" || status == "05"; }

}  // namespace

int CurrentGrade(int grade, std::string_view stage, std::string_view status, int64_t mark,
                 int64_t promotions) {
  if (!InSchool(status) || promotions <= mark) return grade;
  auto parsed = codes::ParseStage(stage);
  if (!parsed) return grade;
  const int last = codes::LastGrade(*parsed);
  if (grade >= last) return grade;
  return static_cast<int>(std::min<int64_t>(grade + (promotions - mark), last));
}

const std::string& LastGradeSql() {
  static const std::string sql = [] {
    std::string out = "(CASE s.stage";
    for (codes::Stage stage : codes::AllStages())
      out += " WHEN '" + std::string(codes::StageId(stage)) + "' THEN " +
             std::to_string(codes::LastGrade(stage));
    return out + " END)";
  }();
  return sql;
}

std::string CurrentGradeSql(std::string_view promotions) {
  const std::string& last = LastGradeSql();
  const std::string moved = "s.grade + " + std::string(promotions) + " - s.grade_mark";
  return "(CASE WHEN s.status IN ('01', '05') AND " + std::string(promotions) +
         " > s.grade_mark AND s.grade < " + last + " THEN (CASE WHEN " + moved + " < " + last +
         " THEN " + moved + " ELSE " + last + " END) ELSE s.grade END)";
}

std::string_view SchoolPromotionsSql() {
  return "(SELECT promotions FROM org WHERE id = s.school_id)";
}

Result<std::map<int64_t, int64_t>> SchoolPromotions(db::Connection& c,
                                                    std::span<const int64_t> school_ids) {
  std::map<int64_t, int64_t> out;
  for (int64_t id : school_ids) out.emplace(id, 0);
  if (out.empty()) return out;
  std::string ids;  // integers: safe to write into the statement
  for (const auto& [id, count] : out) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  NEMIS_ASSIGN_OR_RETURN(auto rs,
                         c.Query("SELECT id, promotions FROM org WHERE id IN (" + ids + ")"));
  for (const auto& row : rs.rows) out[row.Int(0)] = row.Int(1);
  return out;
}

}  // namespace nemis::registry
