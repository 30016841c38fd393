#include "audit/checkpoint.hpp"

#include "audit/audit_log.hpp"
#include "audit/checkpoint_file.hpp"
#include "audit/internal/audit_rows.hpp"
#include "audit/internal/chain_walker.hpp"
#include "crypto/encoding.hpp"

namespace nemis::audit {
namespace {

constexpr int kPageRows = 1000;
// The most recent checkpoints tried as the starting point (the first validly signed one
// wins; if none is, the segment is checked from the chain's start).
const std::string kRecentCheckpoints =
    "SELECT " + std::string(internal::kCheckpointColumns) +
    " FROM audit_checkpoint WHERE seq > $1 ORDER BY seq DESC, id DESC LIMIT 16";
constexpr std::string_view kLatestCheckpoint =
    "SELECT seq FROM audit_checkpoint ORDER BY seq DESC, id DESC LIMIT 1";
constexpr std::string_view kFirstAfter =
    "SELECT logged_at FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 1";
constexpr std::string_view kLastSeq = "SELECT last_seq FROM audit_head WHERE id = 1";

constexpr std::string_view kEntryHash = "SELECT entry_hash FROM audit_log WHERE seq = $1";

Error Broken(const std::string& why) {
  return Error::Conflict("audit_chain_broken", "审计日志校验未通过，拒绝签名检查点：" + why);
}

// The last checkpoint of the file, as a start point: the log must still hold its entry,
// with the hash it signed.
Result<internal::ChainPoint> ExternalStart(db::Connection& c, const internal::Head& head,
                                           const CheckpointInfo& ck) {
  std::string nth = "第 " + std::to_string(ck.seq) + " 条审计记录";
  if (ck.seq > head.last_seq) {
    return Broken(internal::MissingAfter(head.last_seq) + "：检查点副本文件记录至第 " +
                  std::to_string(ck.seq) + " 条");
  }
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kEntryHash, {ck.seq}));
  if (rs.empty()) return Broken(nth + "缺失（记录被删除），检查点副本文件中有它的签名");
  if (rs.rows[0].Text(0) != ck.entry_hash)
    return Broken(nth + "与检查点副本文件不符（记录链被改写）");
  auto raw = crypto::FromHex(ck.entry_hash);
  if (!raw.ok()) return Broken(nth + "的检查点哈希无法识别");
  return internal::ChainPoint{ck.seq, *raw};
}

// Where checking may start: the latest validly signed checkpoint (in the database, or the
// file's last when it is later), else the anchor.
Result<internal::ChainPoint> StartPoint(db::Connection& c, const internal::Head& head,
                                        const crypto::Sm2PublicKey& key,
                                        const std::optional<CheckpointInfo>& external) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kRecentCheckpoints, {head.anchor_seq}));
  std::string hex = head.anchor_hash;
  int64_t seq = head.anchor_seq;
  for (const db::Row& row : rs.rows) {
    internal::StoredCheckpoint ck = internal::StoredCheckpointFromRow(row);
    if (internal::SignatureValid(ck.info, key)) {
      seq = ck.info.seq;
      hex = ck.info.entry_hash;
      break;
    }
  }
  if (external && external->seq > head.anchor_seq && external->seq >= seq)
    return ExternalStart(c, head, *external);
  auto raw = crypto::FromHex(hex);
  if (!raw.ok()) return Broken("日志起点的哈希无法识别");
  return internal::ChainPoint{seq, *raw};
}

// The latest entry, after checking the entries since the start point.
Result<internal::ChainPoint> CheckedHead(db::Connection& c, const crypto::Sm2PublicKey& key,
                                         const std::optional<CheckpointInfo>& external) {
  NEMIS_ASSIGN_OR_RETURN(auto head, internal::ReadHead(c));
  if (!head) return Broken("审计日志链头缺失");
  if (head->last_seq == 0 && !external)
    return Error::Conflict("audit_log_empty", "审计日志为空，无需签名检查点");
  NEMIS_ASSIGN_OR_RETURN(auto start, StartPoint(c, *head, key, external));
  if (start.seq > head->last_seq) {
    return Broken(internal::MissingAfter(head->last_seq) + "：签名检查点覆盖至第 " +
                  std::to_string(start.seq) + " 条");
  }
  NEMIS_ASSIGN_OR_RETURN(auto walk,
                         internal::WalkChain(c, start, head->last_seq, kPageRows, nullptr));
  if (walk.finding) return Broken(walk.finding->message);
  if (walk.last.seq != head->last_seq) return Broken(internal::MissingAfter(walk.last.seq));
  if (crypto::ToHex(walk.last.hash) != head->last_hash)
    return Broken("链头登记的哈希与最后一条记录不符");
  return walk.last;
}

// Whether a checkpoint is due: entries were appended after entry `signed_seq` (that of
// the last checkpoint, 0 if none) and the first of them is `policy.interval` old, or
// `policy.every_entries` were appended.
Result<bool> Due(db::Connection& c, int64_t signed_seq, const Clock& clock,
                 const CheckpointPolicy& policy) {
  NEMIS_ASSIGN_OR_RETURN(auto head, c.Query(kLastSeq));
  if (head.empty()) return true;  // let Checkpoint report the damage
  int64_t last_seq = head.rows[0].Int(0);
  if (last_seq < signed_seq) return true;  // rewound: Checkpoint says so, and signs nothing
  if (last_seq == signed_seq) return false;
  if (policy.interval.count() <= 0) return true;
  if (policy.every_entries > 0 && last_seq - signed_seq >= policy.every_entries) return true;
  NEMIS_ASSIGN_OR_RETURN(auto first, c.Query(kFirstAfter, {signed_seq}));
  return first.empty() || first.rows[0].Text(0) <= FormatUtc(clock.Now() - policy.interval);
}

}  // namespace

Result<CheckpointInfo> Checkpoint(db::Database& db, const crypto::Sm2PrivateKey& key,
                                  const Clock& clock, const CheckpointFile* file) {
  NEMIS_TRY(SealAll(db));  // a checkpoint signs what has been written
  std::optional<CheckpointInfo> external;
  if (file) {
    NEMIS_ASSIGN_OR_RETURN(external, file->Last(key.PublicKey()));
  }
  NEMIS_ASSIGN_OR_RETURN(auto last, db.Read<internal::ChainPoint>([&](db::Connection& c) {
    return CheckedHead(c, key.PublicKey(), external);
  }));
  if (last.seq == 0) return Error::Conflict("audit_log_empty", "审计日志为空，无需签名检查点");
  std::string now = FormatUtc(clock.Now());
  NEMIS_ASSIGN_OR_RETURN(auto info, db.Write<CheckpointInfo>([&](db::Connection& c) {
    return internal::InsertCheckpoint(c, key, last.seq, last.hash, now);
  }));
  // After the commit: a copy of a checkpoint the database does not hold would look like
  // a rewind. A crash in between leaves the file one checkpoint short, which is harmless.
  if (file) NEMIS_TRY(file->Append(info, KeyId(key)));
  return info;
}

Result<bool> MaybeCheckpoint(db::Database& db, const crypto::Sm2PrivateKey& key, const Clock& clock,
                             const CheckpointPolicy& policy, const CheckpointFile* file) {
  NEMIS_TRY(SealAll(db));  // what waits to be sealed counts as waiting to be signed
  std::optional<int64_t> signed_seq;
  if (file) {
    NEMIS_ASSIGN_OR_RETURN(auto external, file->Last(key.PublicKey()));
    signed_seq = external ? external->seq : 0;
  }
  NEMIS_ASSIGN_OR_RETURN(bool due, db.Read<bool>([&](db::Connection& c) -> Result<bool> {
    if (!signed_seq) {
      NEMIS_ASSIGN_OR_RETURN(auto latest, c.Query(kLatestCheckpoint));
      signed_seq = latest.empty() ? 0 : latest.rows[0].Int(0);
    }
    return Due(c, *signed_seq, clock, policy);
  }));
  if (!due) return false;
  NEMIS_TRY(Checkpoint(db, key, clock, file));
  return true;
}

}  // namespace nemis::audit
