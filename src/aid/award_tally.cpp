#include "aid/award_tally.hpp"

namespace nemis::aid {

Result<std::vector<AwardTally>> TallyAwards(db::Database& db, const org::Scope& scope,
                                            std::optional<int> school_year) {
  return db.Read<std::vector<AwardTally>>(
      [&](db::Connection& c) -> Result<std::vector<AwardTally>> {
        db::SqlBuilder sql(
            "SELECT a.programme, a.school_year, a.status, COUNT(*), SUM(a.amount_fen) "
            "FROM aid_award a WHERE 1 = 1");
        if (school_year) sql.Add(" AND a.school_year = $1", {*school_year});
        scope.AddFilter(sql, org::ScopedTable::kStudent, "a");
        sql.Add(
            " GROUP BY a.programme, a.school_year, a.status "
            "ORDER BY a.programme, a.school_year, a.status");
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
        std::vector<AwardTally> out;
        for (const db::Row& r : rs.rows)
          out.push_back({r.Text(0), static_cast<int>(r.Int(1)), r.Text(2), r.Int(3), r.Int(4)});
        return out;
      });
}

}  // namespace nemis::aid
