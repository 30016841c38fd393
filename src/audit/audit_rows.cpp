// Reading and writing the stored shapes of the audit log (internal/audit_rows.hpp).
#include "audit/internal/audit_rows.hpp"

#include "audit/audit_chain.hpp"
#include "crypto/encoding.hpp"
#include "db/column_index.hpp"

namespace nemis::audit::internal {
namespace {

constexpr std::string_view kSelectHead =
    "SELECT last_seq, last_hash, anchor_seq, anchor_hash FROM audit_head WHERE id = 1";
constexpr std::string_view kInsertCheckpoint =
    "INSERT INTO audit_checkpoint (seq, entry_hash, signed_at, signature) VALUES ($1, $2, $3, $4)";

}  // namespace

AuditRecord RecordFromRow(const db::Row& row) {
  constexpr auto col = [](std::string_view name) consteval {
    return db::ColumnIndex(kEntryColumns, name);
  };
  AuditRecord r;
  r.seq = row.Int(col("seq"));
  AuditEntry& e = r.entry;
  e.time = row.Text(col("logged_at"));
  e.account = row.Text(col("account"));
  e.roles = row.Text(col("roles"));
  e.scope = row.Text(col("scope"));
  e.source_ip = row.Text(col("source_ip"));
  e.request_id = row.Text(col("request_id"));
  e.action = row.Text(col("action"));
  e.target = row.Text(col("target"));
  e.outcome = row.Text(col("outcome"));
  e.details = row.Text(col("details"));
  r.entry_hash = row.Text(col("entry_hash"));
  return r;
}

StoredCheckpoint StoredCheckpointFromRow(const db::Row& row) {
  constexpr auto col = [](std::string_view name) consteval {
    return db::ColumnIndex(kCheckpointColumns, name);
  };
  return {row.Int(col("id")),
          {row.Int(col("seq")), row.Text(col("entry_hash")), row.Text(col("signed_at")),
           row.Text(col("signature"))}};
}

Result<std::optional<Head>> ReadHead(db::Connection& c) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectHead));
  if (rs.empty()) return std::optional<Head>();
  const db::Row& row = rs.rows[0];
  return std::optional<Head>(Head{row.Int(0), row.Text(1), row.Int(2), row.Text(3)});
}

bool SignatureValid(const CheckpointInfo& checkpoint, const crypto::Sm2PublicKey& key) {
  auto hash = crypto::FromHex(checkpoint.entry_hash);
  auto signature = crypto::FromHex(checkpoint.signature);
  if (!hash.ok() || !signature.ok() || hash->size() != kHashBytes) return false;
  return key.Verify(CheckpointMessage(checkpoint.seq, *hash, checkpoint.signed_at), *signature);
}

Result<CheckpointInfo> InsertCheckpoint(db::Connection& c, const crypto::Sm2PrivateKey& key,
                                        int64_t seq, std::string_view raw_hash,
                                        const std::string& signed_at) {
  CheckpointInfo info{seq, crypto::ToHex(raw_hash), signed_at,
                      crypto::ToHex(key.Sign(CheckpointMessage(seq, raw_hash, signed_at)))};
  NEMIS_TRY(
      c.Query(kInsertCheckpoint, {info.seq, info.entry_hash, info.signed_at, info.signature}));
  return info;
}

}  // namespace nemis::audit::internal
