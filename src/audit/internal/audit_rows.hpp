// Internal to src/audit: the stored shapes of entries, checkpoints and the chain head,
// and the statements that read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_entry.hpp"
#include "audit/checkpoint.hpp"
#include "crypto/sm2.hpp"
#include "db/database.hpp"

namespace nemis::audit::internal {

/// The columns RecordFromRow reads, in order.
inline constexpr std::string_view kEntryColumns =
    "seq, logged_at, account, roles, scope, source_ip, request_id, action, target, outcome, details, "
    "entry_hash";
/// The columns StoredCheckpointFromRow reads, in order.
inline constexpr std::string_view kCheckpointColumns = "id, seq, entry_hash, signed_at, signature";

struct Head {
  int64_t last_seq = 0;
  std::string last_hash;    // hex
  int64_t anchor_seq = 0;   // the chain starts after this entry
  std::string anchor_hash;  // hex
};

struct StoredCheckpoint {
  int64_t id = 0;
  CheckpointInfo info;
};

AuditRecord RecordFromRow(const db::Row& row);
StoredCheckpoint StoredCheckpointFromRow(const db::Row& row);

/// The head row; nullopt if it is missing (the log was tampered with).
Result<std::optional<Head>> ReadHead(db::Connection& c);

/// True if the checkpoint's signature is the key's over its (seq, entry_hash, signed_at).
bool SignatureValid(const CheckpointInfo& checkpoint, const crypto::Sm2PublicKey& key);

/// Signs (seq, raw hash, signed_at) and stores the checkpoint.
Result<CheckpointInfo> InsertCheckpoint(db::Connection& c, const crypto::Sm2PrivateKey& key,
                                        int64_t seq, std::string_view raw_hash,
                                        const std::string& signed_at);

}  // namespace nemis::audit::internal
