#include "audit/purge.hpp"

#include <algorithm>

#include "audit/audit_log.hpp"
#include "audit/internal/audit_rows.hpp"
#include "audit/verify.hpp"
#include "crypto/encoding.hpp"

namespace nemis::audit {
namespace {

// Locks the head (on PostgreSQL) so that two purges cannot interleave.
constexpr std::string_view kLockHead =
    "UPDATE audit_head SET anchor_seq = anchor_seq WHERE id = 1 RETURNING anchor_seq, last_seq";
// Seq order, not time order, decides: only a prefix of the chain can be cut off.
constexpr std::string_view kFirstKept =
    "SELECT seq FROM audit_log WHERE logged_at >= $1 ORDER BY seq LIMIT 1";
constexpr std::string_view kEntryHash = "SELECT entry_hash FROM audit_log WHERE seq = $1";
constexpr std::string_view kDeleteEntries = "DELETE FROM audit_log WHERE seq <= $1";
constexpr std::string_view kDeleteCheckpoints = "DELETE FROM audit_checkpoint WHERE seq < $1";
constexpr std::string_view kMoveAnchor =
    "UPDATE audit_head SET anchor_seq = $1, anchor_hash = $2, purged_at = $3 WHERE id = 1";

Status CheckCutOff(std::chrono::system_clock::time_point before, const Clock& clock,
                   int retention_days) {
  int days = std::clamp(retention_days, kMinRetentionDays, kMaxRetentionDays);
  auto latest = clock.Now() - std::chrono::hours(24) * days;
  if (before <= latest) return {};
  return Error{
      ErrorKind::kInvalid,
      "audit_retention",
      "审计记录至少保留 " + std::to_string(days) + " 天：清理截止时间不得晚于 " + FormatUtc(latest),
      {}};
}

// The last entry to purge: the one before the first entry to keep.
Result<int64_t> LastPurged(db::Connection& c, const std::string& before, int64_t last_seq) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kFirstKept, {before}));
  return rs.empty() ? last_seq : rs.rows[0].Int(0) - 1;
}

Result<PurgeResult> PurgeIn(db::Connection& c, const crypto::Sm2PrivateKey& key,
                            const std::string& before, const std::string& now,
                            const CheckpointFile* file) {
  NEMIS_ASSIGN_OR_RETURN(auto head, c.Query(kLockHead));
  if (head.empty()) return Error::Internal("审计日志链头缺失");
  int64_t anchor = head.rows[0].Int(0);
  NEMIS_ASSIGN_OR_RETURN(int64_t last, LastPurged(c, before, head.rows[0].Int(1)));
  if (last <= anchor) return PurgeResult{0, anchor};
  NEMIS_ASSIGN_OR_RETURN(auto hash_rs, c.Query(kEntryHash, {last}));
  auto raw = crypto::FromHex(hash_rs.empty() ? std::string() : hash_rs.rows[0].Text(0));
  if (!raw.ok() || raw->empty())
    return Error::Internal("第 " + std::to_string(last) + " 条审计记录缺失或哈希无法识别");
  NEMIS_ASSIGN_OR_RETURN(auto deleted, c.Query(kDeleteEntries, {last}));
  NEMIS_TRY(c.Query(kDeleteCheckpoints, {last}));
  NEMIS_ASSIGN_OR_RETURN(auto anchor_ck, internal::InsertCheckpoint(c, key, last, *raw, now));
  NEMIS_TRY(c.Query(kMoveAnchor, {last, anchor_ck.entry_hash, now}));
  // Copied before the purge commits: a line of a purge that then failed names an anchor
  // the log never had, which Verify ignores; a purge committed without its line would
  // look forged.
  if (file) NEMIS_TRY(file->Append(anchor_ck, KeyId(key), /*purge_anchor=*/true));
  return PurgeResult{deleted.affected, last};
}

}  // namespace

Result<PurgeResult> Purge(db::Database& db, const crypto::Sm2PrivateKey& key,
                          std::chrono::system_clock::time_point before, const Clock& clock,
                          int retention_days, db::WriteAttachment* logged,
                          const CheckpointFile* file) {
  NEMIS_TRY(CheckCutOff(before, clock, retention_days));
  NEMIS_TRY(SealAll(db));
  VerifyOptions against_file;
  against_file.checkpoint_file = file;
  NEMIS_ASSIGN_OR_RETURN(auto report, Verify(db, key.PublicKey(), against_file));
  if (!report.ok()) {
    return Error::Conflict("audit_chain_broken", "审计日志校验未通过，拒绝清理：" + report.problem);
  }
  std::string cut_off = FormatUtc(before);
  std::string now = FormatUtc(clock.Now());
  return db.Write<PurgeResult>(
      [&](db::Connection& c) { return PurgeIn(c, key, cut_off, now, file); }, logged);
}

}  // namespace nemis::audit
