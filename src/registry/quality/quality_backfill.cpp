#include "registry/quality/quality_backfill.hpp"

#include "registry/personal_record.hpp"

namespace nemis::registry::quality {
namespace {

constexpr std::string_view kPending =
    "SELECT id, id_type, gender, birth_date, personal FROM student "
    "WHERE id_check IS NULL AND personal IS NOT NULL ORDER BY id LIMIT $1";
constexpr std::string_view kFill =
    "UPDATE student SET g1_index = $1, g2_index = $2, id_check = $3 WHERE id = $4";

Result<int64_t> FillBatch(db::Connection& c, const crypto::FieldCipher& cipher, int64_t rows) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kPending, {rows}));
  for (const auto& row : rs.rows) {
    Student s;
    s.id_type = row.OptText(1);
    s.gender = static_cast<int>(row.Int(2));
    s.birth_date = row.Text(3);
    NEMIS_TRY(OpenPersonal(cipher, row.Text(4), s));
    NEMIS_TRY(c.Query(kFill, {GuardianIndex(cipher, s.guardian1),
                              GuardianIndex(cipher, s.guardian2), IdCheckFlags(s), row.Int(0)}));
  }
  return static_cast<int64_t>(rs.rows.size());
}

}  // namespace

Result<int64_t> BackfillQualityColumns(db::Database& db, const crypto::FieldCipher& cipher,
                                       int64_t batch_rows) {
  int64_t filled = 0;
  for (;;) {
    NEMIS_ASSIGN_OR_RETURN(int64_t n, db.Write<int64_t>([&](db::Connection& c) {
      return FillBatch(c, cipher, batch_rows);
    }));
    filled += n;
    if (n < batch_rows) return filled;
  }
}

}  // namespace nemis::registry::quality
