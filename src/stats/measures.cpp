#include "stats/measures.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace nemis::stats {
namespace {

using registry::StatsDimension;

constexpr std::pair<Measure, std::string_view> kNames[] = {{Measure::kStudents, "students"},
                                                           {Measure::kClasses, "classes"},
                                                           {Measure::kSchools, "schools"}};

bool Asked(const std::vector<Measure>& measures, Measure m) {
  return std::find(measures.begin(), measures.end(), m) != measures.end();
}

size_t Position(const std::vector<StatsDimension>& by, StatsDimension d) {
  return static_cast<size_t>(std::find(by.begin(), by.end(), d) - by.begin());
}

// The query's grouping widened by what tells classes (school, grade, class) or schools apart.
std::vector<StatsDimension> Widened(std::vector<StatsDimension> by, bool classes) {
  std::vector<StatsDimension> extra = {StatsDimension::kSchool};
  if (classes) extra.insert(extra.end(), {StatsDimension::kGrade, StatsDimension::kClassNo});
  for (auto d : extra)
    if (std::find(by.begin(), by.end(), d) == by.end()) by.push_back(d);
  return by;
}

}  // namespace

std::string_view MeasureName(Measure m) {
  for (const auto& [measure, name] : kNames)
    if (measure == m) return name;
  return "";
}

Result<std::vector<Measure>> ParseMeasures(std::string_view text) {
  std::vector<Measure> out;
  if (text.empty()) return std::vector<Measure>{Measure::kStudents};
  for (;;) {  // every part, an empty one (",schools", "students,") included
    const size_t comma = text.find(',');
    const std::string_view part = text.substr(0, comma);
    const auto* known = std::find_if(std::begin(kNames), std::end(kNames),
                                     [&](const auto& n) { return n.second == part; });
    if (known == std::end(kNames) || Asked(out, known->first))
      return Error::BadRequest(
          "bad_parameter",
          "measures 中的 " + std::string(part) +
              (known == std::end(kNames) ? " 不是可用的指标（students、classes、schools）"
                                         : " 重复了"));
    out.push_back(known->first);
    if (comma == std::string_view::npos) return out;
    text = text.substr(comma + 1);
  }
}

Result<Measured> CountMeasured(const registry::StatsQuery& query,
                               const std::vector<Condition>& where,
                               const std::vector<Measure>& measures, const StudentCounter& count) {
  const bool classes = Asked(measures, Measure::kClasses);
  const bool schools = Asked(measures, Measure::kSchools);
  registry::StatsQuery wide = query;
  if (classes || schools) wide.by = Widened(query.by, classes);
  NEMIS_ASSIGN_OR_RETURN(auto counted, CountFiltered(wide, where, count));
  const size_t school = Position(wide.by, StatsDimension::kSchool);
  const size_t grade = Position(wide.by, StatsDimension::kGrade);
  const size_t class_no = Position(wide.by, StatsDimension::kClassNo);
  using ClassKey = std::tuple<db::Value, db::Value, db::Value>;
  struct Group {
    int64_t students = 0;
    std::set<ClassKey> classes;
    std::set<db::Value> schools;
  };
  std::map<std::vector<db::Value>, Group> groups;
  std::set<ClassKey> all_classes;
  std::set<db::Value> all_schools;
  Measured out{counted.org_code, {}, 0, 0, 0};
  for (const auto& row : counted.rows) {
    Group& g =
        groups[{row.keys.begin(), row.keys.begin() + static_cast<std::ptrdiff_t>(query.by.size())}];
    g.students += row.count;
    out.students += row.count;
    if (row.count == 0) continue;  // the one row of an empty count without grouping
    if (classes) {
      ClassKey c{row.keys[school], row.keys[grade], row.keys[class_no]};
      g.classes.insert(c);
      all_classes.insert(c);
    }
    if (schools) {
      g.schools.insert(row.keys[school]);
      all_schools.insert(row.keys[school]);
    }
  }
  for (auto& [keys, g] : groups)
    out.rows.push_back({keys, g.students, static_cast<int64_t>(g.classes.size()),
                        static_cast<int64_t>(g.schools.size())});
  if (query.by.empty() && out.rows.empty()) out.rows.push_back({{}, 0, 0, 0});  // as COUNT(*)
  out.classes = static_cast<int64_t>(all_classes.size());
  out.schools = static_cast<int64_t>(all_schools.size());
  return out;
}

}  // namespace nemis::stats
