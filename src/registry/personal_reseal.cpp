#include "registry/personal_reseal.hpp"

#include "crypto/encoding.hpp"
#include "registry/personal_record.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kBatch =
    "SELECT id, personal FROM student WHERE id > $1 ORDER BY id LIMIT $2";
constexpr std::string_view kReseal = "UPDATE student SET personal = $1 WHERE id = $2";
constexpr std::string_view kCorrectionBatch =
    "SELECT case_id, sealed FROM student_correction WHERE case_id > $1 ORDER BY case_id LIMIT $2";
constexpr std::string_view kResealCorrection =
    "UPDATE student_correction SET sealed = $1 WHERE case_id = $2";

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

// A correction's values are one sealed value: opened and sealed again as they are.
Result<BatchOutcome> ResealCorrectionBatch(db::Connection& c, const crypto::FieldCipher& cipher,
                                           int64_t after, int64_t rows) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kCorrectionBatch, {after, rows}));
  BatchOutcome out;
  for (const auto& row : rs.rows) {
    out.last_id = row.Int(0);
    NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::Base64UrlDecode(row.Text(1)));
    if (cipher.KeyVersionOf(sealed) == cipher.CurrentVersion()) continue;
    NEMIS_ASSIGN_OR_RETURN(std::string plain, cipher.Open(sealed));
    NEMIS_TRY(
        c.Query(kResealCorrection, {crypto::Base64UrlEncode(cipher.Seal(plain)), out.last_id}));
    ++out.resealed;
  }
  return out;
}

// Runs `batch` from the start until no rows are left, one transaction per batch (an
// interrupted run is simply run again).
template <typename Batch>
Result<int64_t> ResealAll(db::Database& db, int64_t batch_rows, Batch batch) {
  int64_t resealed = 0, after = 0;
  for (;;) {
    NEMIS_ASSIGN_OR_RETURN(BatchOutcome done, db.Write<BatchOutcome>([&](db::Connection& c) {
      return batch(c, after, batch_rows);
    }));
    if (done.last_id == 0) return resealed;
    resealed += done.resealed;
    after = done.last_id;
  }
}

}  // namespace

Result<int64_t> ResealPersonalData(db::Database& db, const crypto::FieldCipher& cipher,
                                   int64_t batch_rows) {
  return ResealAll(db, batch_rows, [&](db::Connection& c, int64_t after, int64_t rows) {
    return ResealBatch(c, cipher, after, rows);
  });
}

Result<int64_t> ResealCorrections(db::Database& db, const crypto::FieldCipher& cipher,
                                  int64_t batch_rows) {
  return ResealAll(db, batch_rows, [&](db::Connection& c, int64_t after, int64_t rows) {
    return ResealCorrectionBatch(c, cipher, after, rows);
  });
}

}  // namespace nemis::registry
