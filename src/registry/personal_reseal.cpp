#include "registry/personal_reseal.hpp"

#include "crypto/encoding.hpp"
#include "registry/personal_record.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kBatch =
    "SELECT id, personal FROM student WHERE id > $1 ORDER BY id LIMIT $2";
constexpr std::string_view kReseal = "UPDATE student SET personal = $1 WHERE id = $2";

struct BatchOutcome {
  int64_t last_id = 0;  // 0: no rows were left
  int64_t resealed = 0;
};

Result<bool> SealedWithAnOlderKey(const crypto::FieldCipher& cipher, std::string_view stored) {
  NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::Base64UrlDecode(stored));
  return cipher.KeyVersionOf(sealed) != cipher.CurrentVersion();
}

Result<BatchOutcome> ResealBatch(db::Connection& c, const crypto::FieldCipher& cipher,
                                 int64_t after, int64_t rows) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kBatch, {after, rows}));
  BatchOutcome out;
  for (const auto& row : rs.rows) {
    out.last_id = row.Int(0);
    NEMIS_ASSIGN_OR_RETURN(bool older, SealedWithAnOlderKey(cipher, row.Text(1)));
    if (!older) continue;
    Student s;
    NEMIS_TRY(OpenPersonal(cipher, row.Text(1), s));
    SealPersonal(cipher, s);
    NEMIS_TRY(c.Query(kReseal, {s.sealed.record, out.last_id}));
    ++out.resealed;
  }
  return out;
}

}  // namespace

Result<int64_t> ResealPersonalData(db::Database& db, const crypto::FieldCipher& cipher,
                                   int64_t batch_rows) {
  int64_t resealed = 0, after = 0;
  for (;;) {
    NEMIS_ASSIGN_OR_RETURN(BatchOutcome batch, db.Write<BatchOutcome>([&](db::Connection& c) {
      return ResealBatch(c, cipher, after, batch_rows);
    }));
    if (batch.last_id == 0) return resealed;
    resealed += batch.resealed;
    after = batch.last_id;
  }
}

}  // namespace nemis::registry
