#include "staff/staff_tally.hpp"

namespace nemis::staff {

Result<std::vector<StaffTally>> TallyStaff(db::Database& db, const org::Scope& scope) {
  return db.Read<std::vector<StaffTally>>(
      [&](db::Connection& c) -> Result<std::vector<StaffTally>> {
        db::SqlBuilder sql("SELECT s.status, s.post, COUNT(*) FROM staff s WHERE 1 = 1");
        scope.AddFilter(sql, org::ScopedTable::kStudent, "s");
        sql.Add(" GROUP BY s.status, s.post ORDER BY s.status, s.post");
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
        std::vector<StaffTally> out;
        for (const db::Row& r : rs.rows) out.push_back({r.Text(0), r.Text(1), r.Int(2)});
        return out;
      });
}

}  // namespace nemis::staff
