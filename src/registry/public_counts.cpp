#include "registry/public_counts.hpp"

namespace nemis::registry {
namespace {

// Served by the student_class index (school_id first).
constexpr std::string_view kCountInSchool =
    "SELECT COUNT(*) FROM student s WHERE s.school_id = $1 AND s.status = '01'";

}  // namespace

Result<int64_t> CountStudentsInSchool(db::Database& db, int64_t school_id) {
  return db.Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kCountInSchool, {school_id}));
    return rs.rows.at(0).Int(0);
  });
}

}  // namespace nemis::registry
