#include "registry/legacy_personal.hpp"

#include "registry/personal_record.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kSqliteHasLegacy =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'student_clear_legacy'";
constexpr std::string_view kPostgresHasLegacy =
    "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'student_clear_legacy'";
constexpr std::string_view kLegacyBatch =
    "SELECT id, student_number, id_number, address, phone, g1_id_number, g1_phone, g2_id_number, g2_phone "
    "FROM student_clear_legacy ORDER BY id LIMIT $1";
constexpr std::string_view kSealRow =
    "UPDATE student SET number_index = $1, id_index = $2, personal = $3 WHERE id = $4";
constexpr std::string_view kForgetClearRows = "DELETE FROM student_clear_legacy WHERE id <= $1";
constexpr std::string_view kDropLegacy = "DROP TABLE student_clear_legacy";

Student FromLegacyRow(const db::Row& r) {
  Student s;
  s.id = r.Int(0);
  s.student_number = r.Text(1);
  s.id_number = r.OptText(2);
  s.address = r.OptText(3);
  s.phone = r.OptText(4);
  s.guardian1.id_number = r.OptText(5);
  s.guardian1.phone = r.OptText(6);
  s.guardian2.id_number = r.OptText(7);
  s.guardian2.phone = r.OptText(8);
  return s;
}

// Seals one batch; returns how many rows it sealed (0: none left).
Result<int64_t> SealBatch(db::Connection& c, const crypto::FieldCipher& cipher,
                          int64_t batch_rows) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLegacyBatch, {batch_rows}));
  for (const auto& row : rs.rows) {
    Student s = FromLegacyRow(row);
    SealPersonal(cipher, s);
    NEMIS_TRY(c.Query(kSealRow, {s.sealed.number_index, s.sealed.id_index, s.sealed.record, s.id}));
  }
  if (rs.empty()) return int64_t{0};
  NEMIS_TRY(c.Query(kForgetClearRows, {rs.rows.back().Int(0)}));
  return static_cast<int64_t>(rs.size());
}

}  // namespace

Result<bool> HasLegacyPersonalData(db::Database& db) {
  return db.Read<bool>([](db::Connection& c) -> Result<bool> {
    NEMIS_ASSIGN_OR_RETURN(
        auto rs,
        c.Query(c.backend() == db::Backend::kSqlite ? kSqliteHasLegacy : kPostgresHasLegacy));
    return rs.rows.at(0).Int(0) > 0;
  });
}

Result<int64_t> SealLegacyPersonalData(db::Database& db, const crypto::FieldCipher& cipher,
                                       int64_t batch_rows) {
  NEMIS_ASSIGN_OR_RETURN(bool pending, HasLegacyPersonalData(db));
  if (!pending) return int64_t{0};
  int64_t sealed = 0;
  for (;;) {
    NEMIS_ASSIGN_OR_RETURN(int64_t n, db.Write<int64_t>([&](db::Connection& c) {
      return SealBatch(c, cipher, batch_rows);
    }));
    if (n == 0) break;
    sealed += n;
  }
  NEMIS_TRY(db.WithWriter([](db::Connection& c) { return c.ExecScript(kDropLegacy); }));
  return sealed;
}

}  // namespace nemis::registry
