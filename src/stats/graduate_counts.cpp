#include "stats/graduate_counts.hpp"

#include "db/sql_builder.hpp"

namespace nemis::stats {

Result<registry::StatsResult> CountGraduates(db::Database& db, const org::Subtree& root,
                                             const std::vector<registry::StatsDimension>& by,
                                             Date from, Date to) {
  std::string columns;
  for (auto d : by) columns += registry::DimensionSql(d, root.level) + ", ";
  db::SqlBuilder sql("SELECT " + columns +
                     "COUNT(*) FROM student_change c JOIN student s ON s.id = c.student_id "
                     "JOIN org o ON o.code = c.from_school_code WHERE c.change_type = '99'");
  const std::string first = from.ToIso(), last = to.ToIso();  // bound by reference
  sql.Add(" AND c.change_date >= $1", {first});
  sql.Add(" AND c.change_date <= $1", {last});
  const org::Scope scope(root);
  scope.AddFilter(sql, org::ScopedTable::kOrg, "o");
  if (!by.empty()) {
    std::string positions;
    for (size_t i = 1; i <= by.size(); ++i) positions += (i > 1 ? ", " : "") + std::to_string(i);
    sql.Add(" GROUP BY " + positions);
  }
  return db.Read<registry::StatsResult>([&](db::Connection& c) -> Result<registry::StatsResult> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    registry::StatsResult out{root.code, by, {}, 0};
    for (const auto& row : rs.rows) {
      registry::StatsRow r;
      for (size_t i = 0; i < by.size(); ++i) r.keys.push_back(row.at(i));
      r.count = row.Int(by.size());
      out.total += r.count;
      out.rows.push_back(std::move(r));
    }
    return out;
  });
}

}  // namespace nemis::stats
