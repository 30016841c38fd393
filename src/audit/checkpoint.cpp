#include "audit/checkpoint.hpp"

#include "audit/internal/audit_rows.hpp"
#include "audit/internal/chain_walker.hpp"
#include "crypto/encoding.hpp"

namespace nemis::audit {
namespace {

constexpr int kPageRows = 1000;
// The most recent checkpoints tried as the starting point (the first validly signed one
// wins; if none is, the segment is checked from the chain's start).
const std::string kRecentCheckpoints = "SELECT " + std::string(internal::kCheckpointColumns) +
                                       " FROM audit_checkpoint WHERE seq > $1 ORDER BY seq DESC, id DESC LIMIT 16";
constexpr std::string_view kLatestCheckpoint =
    "SELECT seq, signed_at FROM audit_checkpoint ORDER BY seq DESC, id DESC LIMIT 1";
constexpr std::string_view kLastSeq = "SELECT last_seq FROM audit_head WHERE id = 1";

Error Broken(const std::string& why) {
  return Error::Conflict("audit_chain_broken", "审计日志校验未通过，拒绝签名检查点：" + why);
}

// Where checking may start: the latest validly signed checkpoint, else the anchor.
Result<internal::ChainPoint> StartPoint(db::Connection& c, const internal::Head& head,
                                        const crypto::Sm2PublicKey& key) {
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
  auto raw = crypto::FromHex(hex);
  if (!raw.ok()) return Broken("日志起点的哈希无法识别");
  return internal::ChainPoint{seq, *raw};
}

// The latest entry, after checking the entries since the start point.
Result<internal::ChainPoint> CheckedHead(db::Connection& c, const crypto::Sm2PublicKey& key) {
  NEMIS_ASSIGN_OR_RETURN(auto head, internal::ReadHead(c));
  if (!head) return Broken("审计日志链头缺失");
  if (head->last_seq == 0) return Error::Conflict("audit_log_empty", "审计日志为空，无需签名检查点");
  NEMIS_ASSIGN_OR_RETURN(auto start, StartPoint(c, *head, key));
  if (start.seq > head->last_seq) {
    return Broken(internal::MissingAfter(head->last_seq) + "：签名检查点覆盖至第 " + std::to_string(start.seq) + " 条");
  }
  NEMIS_ASSIGN_OR_RETURN(auto walk, internal::WalkChain(c, start, head->last_seq, kPageRows, nullptr));
  if (walk.finding) return Broken(walk.finding->message);
  if (walk.last.seq != head->last_seq) return Broken(internal::MissingAfter(walk.last.seq));
  if (crypto::ToHex(walk.last.hash) != head->last_hash) return Broken("链头登记的哈希与最后一条记录不符");
  return walk.last;
}

}  // namespace

Result<CheckpointInfo> Checkpoint(db::Database& db, const crypto::Sm2PrivateKey& key, const Clock& clock) {
  NEMIS_ASSIGN_OR_RETURN(auto last, db.Read<internal::ChainPoint>(
                                        [&](db::Connection& c) { return CheckedHead(c, key.PublicKey()); }));
  std::string now = FormatUtc(clock.Now());
  return db.Write<CheckpointInfo>(
      [&](db::Connection& c) { return internal::InsertCheckpoint(c, key, last.seq, last.hash, now); });
}

Result<bool> MaybeCheckpoint(db::Database& db, const crypto::Sm2PrivateKey& key, const Clock& clock,
                             std::chrono::minutes interval) {
  std::string due_before = FormatUtc(clock.Now() - interval);
  NEMIS_ASSIGN_OR_RETURN(bool due, db.Read<bool>([&](db::Connection& c) -> Result<bool> {
    NEMIS_ASSIGN_OR_RETURN(auto head, c.Query(kLastSeq));
    NEMIS_ASSIGN_OR_RETURN(auto latest, c.Query(kLatestCheckpoint));
    if (head.empty()) return true;  // let Checkpoint report the damage
    int64_t last_seq = head.rows[0].Int(0);
    if (latest.empty()) return last_seq > 0;
    return last_seq > latest.rows[0].Int(0) && latest.rows[0].Text(1) <= due_before;
  }));
  if (!due) return false;
  NEMIS_TRY(Checkpoint(db, key, clock));
  return true;
}

}  // namespace nemis::audit
