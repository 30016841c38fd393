// What the tests of decisions on record-quality findings share (problem_decision.hpp,
// student_merge.hpp): the year-end fixture's schools and students, and findings stored as
// the scan would store them.
#pragma once

#include <string>

#include "registry/year_end_testing.hpp"

namespace nemis::registry::quality::problem_testing {

using year_end_testing::kLiwan;
using year_end_testing::kTianheCounty;

class ProblemRecordTest : public year_end_testing::YearEndTest {
 protected:
  // Stores a finding about `a` (and `b`, for a pair) as the scan would; returns its id.
  int64_t Finding(const std::string& kind, const Student& a, const Student* b = nullptr) {
    const auto county = [](const Student& s) {
      return s.enrolment.school_code == kLiwan ? "440103" : kTianheCounty;
    };
    const std::string key =
        kind + ":" + std::to_string(a.id) + (b ? ":" + std::to_string(b->id) : "");
    EXPECT_EQ(Sql("INSERT INTO problem_record (finding_key, kind, student_id, school_id, "
                  "school_code, county_code, city_code, province_code, other_id, other_school_id, "
                  "other_school_code, other_county_code, other_city_code, other_province_code, "
                  "score, details, first_seen, last_seen, state) VALUES ($1, $2, $3, "
                  "(SELECT school_id FROM student WHERE id = $3), $4, $5, '440100', '440000', $6, "
                  "$7, $8, $9, $10, $11, 100, '{}', "
                  "'2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 'open')",
                  {key, kind, a.id, a.enrolment.school_code, county(a),
                   b ? db::Param(b->id) : db::Param(), b ? db::Param(SchoolIdOf(*b)) : db::Param(),
                   b ? db::Param(b->enrolment.school_code) : db::Param(),
                   b ? db::Param(county(*b)) : db::Param(), b ? db::Param("440100") : db::Param(),
                   b ? db::Param("440000") : db::Param()}),
              1);
    return Count("SELECT MAX(id) FROM problem_record");
  }

  int64_t SchoolIdOf(const Student& s) {
    return Count("SELECT school_id FROM student WHERE id = $1", {s.id});
  }

  std::string StateOf(int64_t id) {
    auto state = db().Read<std::string>([&](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs,
                             c.Query("SELECT state || '/' || COALESCE(resolution, '') || '/' || "
                                     "COALESCE(decision_reason, '') || '/' || version "
                                     "FROM problem_record WHERE id = $1",
                                     {id}));
      return rs.rows.at(0).Text(0);
    });
    return state.ok() ? *state : "";
  }
};

}  // namespace nemis::registry::quality::problem_testing
