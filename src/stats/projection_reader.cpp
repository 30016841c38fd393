#include "stats/projection_reader.hpp"

#include <string>

namespace nemis::stats {
namespace {

constexpr std::string_view kOrgSelect =
    "SELECT id, code, level, parent_code, name, province_code, city_code, county_code, category, "
    "school_type, urban_rural, status, promotions FROM org";

constexpr std::string_view kStudentSelect =
    "SELECT id, school_id, stage, grade, grade_mark, class_no, gender, ethnicity, left_behind, "
    "migrant_child, orphan, martyr_child, in_regular_class, boarding, disability_type, "
    "hukou_type, status, birth_date, entry_date FROM student";

// "1,2,3": integers, safe to write into the statement.
std::string IdList(std::span<const int64_t> ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

OrgEntry OrgFromRow(const db::Row& row) {
  OrgEntry e;
  org::Institution& i = e.institution;
  i.id = row.Int(0);
  i.code = row.Text(1);
  i.level = static_cast<org::OrgLevel>(row.Int(2));
  i.parent_code = row.Text(3);
  i.name = row.Text(4);
  i.province_code = row.OptText(5);
  i.city_code = row.OptText(6);
  i.county_code = row.OptText(7);
  i.category = row.OptText(8);
  i.school_type = row.OptText(9);
  i.urban_rural = row.OptText(10);
  i.open = row.Text(11) == "open";
  e.promotions = row.Int(12);
  return e;
}

StudentFacts StudentFromRow(const db::Row& row) {
  StudentFacts f;
  f.id = row.Int(0);
  f.school_id = row.Int(1);
  f.stage = row.Text(2);
  f.grade = row.Int(3);
  f.grade_mark = row.Int(4);
  f.class_no = row.Text(5);
  f.gender = row.Int(6);
  f.ethnicity = row.Text(7);
  f.left_behind = row.Int(8);
  f.migrant_child = row.Int(9) != 0;
  f.orphan = row.Int(10) != 0;
  f.martyr_child = row.Int(11) != 0;
  f.in_regular_class = row.Int(12) != 0;
  f.boarding = row.OptInt(13);
  f.disability_type = row.OptText(14);
  f.hukou_type = row.OptText(15);
  f.status = row.Text(16);
  f.birth_date = row.Text(17);
  f.entry_date = row.Text(18);
  return f;
}

}  // namespace

Result<std::vector<OrgEntry>> ReadOrgs(db::Connection& c, std::span<const int64_t> ids) {
  std::string sql(kOrgSelect);
  if (!ids.empty()) sql += " WHERE id IN (" + IdList(ids) + ")";
  return ReadOrgStates(c, sql, {});
}

Result<std::vector<OrgEntry>> ReadOrgStates(db::Connection& c, std::string_view sql,
                                            const std::vector<db::Param>& params) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, params));
  std::vector<OrgEntry> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) out.push_back(OrgFromRow(row));
  return out;
}

Result<std::vector<StudentFacts>> ReadStudentStates(db::Connection& c, std::string_view sql,
                                                    const std::vector<db::Param>& params) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, params));
  std::vector<StudentFacts> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) out.push_back(StudentFromRow(row));
  return out;
}

Result<std::vector<StudentFacts>> ReadStudentRange(db::Connection& c, int64_t after, int64_t upto) {
  return ReadStudentStates(c, std::string(kStudentSelect) + " WHERE id > $1 AND id <= $2",
                           {after, upto});
}

Result<std::vector<StudentFacts>> ReadStudents(db::Connection& c, std::span<const int64_t> ids) {
  if (ids.empty()) return std::vector<StudentFacts>{};
  return ReadStudentStates(c, std::string(kStudentSelect) + " WHERE id IN (" + IdList(ids) + ")",
                           {});
}

Result<int64_t> MaxStudentId(db::Connection& c) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT MAX(id) FROM student"));
  return rs.rows.at(0).Int(0);
}

}  // namespace nemis::stats
