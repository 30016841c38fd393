#include "audit/verify.hpp"

#include <limits>

#include "audit/internal/audit_rows.hpp"
#include "audit/internal/chain_walker.hpp"
#include "crypto/encoding.hpp"

namespace nemis::audit {
namespace {

using internal::ChainPoint;
using internal::CheckpointStream;
using internal::Finding;
using internal::Head;

constexpr std::string_view kFirstBeforeStart = "SELECT seq FROM audit_log WHERE seq <= $1 ORDER BY seq LIMIT 1";

std::string Nth(int64_t seq) { return "第 " + std::to_string(seq) + " 条审计记录"; }

Finding BadSignature(int64_t seq) {
  return {seq, Nth(seq) + "的签名检查点签名无效（检查点被篡改或并非本节点密钥所签）"};
}

Status Fail(VerifyReport& report, const Finding& finding) {
  report.bad_seq = finding.seq;
  report.problem = finding.message;
  return {};
}

// The walk's state shared with the per-entry hook.
struct Verifier {
  const crypto::Sm2PublicKey& key;
  CheckpointStream checkpoints;
  int64_t checked = 0;

  // Checks the checkpoints up to entry `seq`, whose raw hash is `hash`.
  Result<std::optional<Finding>> Through(int64_t seq, const std::string& hash) {
    while (true) {
      NEMIS_ASSIGN_OR_RETURN(const internal::StoredCheckpoint* ck, checkpoints.Peek());
      if (ck == nullptr || ck->info.seq > seq) return std::optional<Finding>();
      if (!internal::SignatureValid(ck->info, key)) return std::optional<Finding>(BadSignature(ck->info.seq));
      if (ck->info.seq != seq || ck->info.entry_hash != crypto::ToHex(hash)) {
        return std::optional<Finding>(
            Finding{ck->info.seq, Nth(ck->info.seq) + "与签名检查点不符（记录链被改写）"});
      }
      checkpoints.Pop();
      ++checked;
    }
  }
};

// Checkpoints at or before the anchor: all must be validly signed, and one at the anchor
// must sign the anchor's hash (an unsigned anchor could hide deleted entries).
Result<std::optional<Finding>> CheckAnchor(Verifier& v, const Head& head) {
  bool anchor_signed = head.anchor_seq == 0;
  while (true) {
    NEMIS_ASSIGN_OR_RETURN(const internal::StoredCheckpoint* ck, v.checkpoints.Peek());
    if (ck == nullptr || ck->info.seq > head.anchor_seq) break;
    if (!internal::SignatureValid(ck->info, v.key)) return std::optional<Finding>(BadSignature(ck->info.seq));
    if (ck->info.seq == head.anchor_seq) {
      if (ck->info.entry_hash != head.anchor_hash) {
        return std::optional<Finding>(Finding{head.anchor_seq, "日志起点（第 " + std::to_string(head.anchor_seq) +
                                                                   " 条，清理锚点）与签名检查点不符（锚点被篡改）"});
      }
      anchor_signed = true;
    }
    v.checkpoints.Pop();
    ++v.checked;
  }
  if (anchor_signed) return std::optional<Finding>();
  return std::optional<Finding>(Finding{
      head.anchor_seq, "日志起点（第 " + std::to_string(head.anchor_seq) + " 条，清理锚点）没有有效的签名检查点（锚点被篡改）"});
}

// After the last entry: the head and any checkpoint beyond it must not record more.
Result<std::optional<Finding>> CheckEnd(Verifier& v, const Head& head, const ChainPoint& last) {
  if (last.seq < head.last_seq) return std::optional<Finding>(Finding{last.seq + 1, internal::MissingAfter(last.seq)});
  if (crypto::ToHex(last.hash) != head.last_hash) {
    return std::optional<Finding>(Finding{last.seq, Nth(last.seq) + "与链头登记的哈希不符（链头或记录被改动）"});
  }
  NEMIS_ASSIGN_OR_RETURN(const internal::StoredCheckpoint* ck, v.checkpoints.Peek());
  if (ck == nullptr) return std::optional<Finding>();
  if (!internal::SignatureValid(ck->info, v.key)) return std::optional<Finding>(BadSignature(ck->info.seq));
  return std::optional<Finding>(Finding{last.seq + 1, internal::MissingAfter(last.seq) + "：签名检查点覆盖至第 " +
                                                          std::to_string(ck->info.seq) + " 条"});
}

Result<std::optional<Finding>> FirstBeforeStart(db::Connection& c, int64_t anchor_seq) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kFirstBeforeStart, {anchor_seq}));
  if (rs.empty()) return std::optional<Finding>();
  int64_t seq = rs.rows[0].Int(0);
  return std::optional<Finding>(Finding{seq, Nth(seq) + "早于日志起点（记录被伪造插入）"});
}

// Fills `report`; returns an Error only when the store fails.
Status Run(db::Connection& c, const crypto::Sm2PublicKey& key, const VerifyOptions& options, VerifyReport& report) {
  NEMIS_ASSIGN_OR_RETURN(auto head, internal::ReadHead(c));
  if (!head) return Fail(report, {0, "审计日志链头缺失（日志被篡改）"});
  report.first_seq = report.last_seq = head->anchor_seq;
  auto anchor_hash = crypto::FromHex(head->anchor_hash);
  if (!anchor_hash.ok()) return Fail(report, {head->anchor_seq, "日志起点的哈希无法识别（锚点被篡改）"});
  Verifier v{key, CheckpointStream(c, std::numeric_limits<int64_t>::min(), options.page_rows)};
  NEMIS_ASSIGN_OR_RETURN(auto finding, CheckAnchor(v, *head));
  if (finding) return Fail(report, *finding);
  NEMIS_ASSIGN_OR_RETURN(finding, FirstBeforeStart(c, head->anchor_seq));
  if (finding) return Fail(report, *finding);
  auto hook = [&v](int64_t seq, const std::string& hash) { return v.Through(seq, hash); };
  NEMIS_ASSIGN_OR_RETURN(auto walk, internal::WalkChain(c, {head->anchor_seq, *anchor_hash}, head->last_seq,
                                                        options.page_rows, hook));
  report.last_seq = walk.last.seq;
  report.entries = walk.entries;
  if (!walk.finding) {
    NEMIS_ASSIGN_OR_RETURN(walk.finding, CheckEnd(v, *head, walk.last));
  }
  report.checkpoints = v.checked;
  return walk.finding ? Fail(report, *walk.finding) : Status();
}

}  // namespace

Result<VerifyReport> Verify(db::Database& db, const crypto::Sm2PublicKey& key, const VerifyOptions& options) {
  VerifyReport report;
  VerifyOptions checked = options;
  if (checked.page_rows < 1) checked.page_rows = 1;
  NEMIS_TRY(db.WithReader([&](db::Connection& c) { return Run(c, key, checked, report); }));
  return report;
}

}  // namespace nemis::audit
