#include "audit/verify.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "audit/checkpoint_file.hpp"
#include "audit/internal/audit_rows.hpp"
#include "audit/internal/chain_walker.hpp"
#include "crypto/encoding.hpp"

namespace nemis::audit {
namespace {

using internal::ChainPoint;
using internal::CheckpointStream;
using internal::Finding;
using internal::Head;

constexpr std::string_view kFirstBeforeStart =
    "SELECT seq FROM audit_log WHERE seq <= $1 ORDER BY seq LIMIT 1";

std::string Nth(int64_t seq) { return "第 " + std::to_string(seq) + " 条审计记录"; }

Finding BadSignature(int64_t seq) {
  return {seq, Nth(seq) + "的签名检查点签名无效（检查点被篡改或并非本节点密钥所签）"};
}

Status Fail(VerifyReport& report, const Finding& finding) {
  report.bad_seq = finding.seq;
  report.problem = finding.message;
  return {};
}

// A checkpoint of the file, validly signed: what the chain must reach.
struct FilePoint {
  int64_t seq = 0;
  std::string hash;  // raw
  int64_t line = 0;
  bool purge_anchor = false;
};

// The file's checkpoints, in seq order, or what is wrong with the file.
struct FileCheckpoints {
  bool missing = false;
  std::optional<Finding> finding;  // the first line that is not a validly signed checkpoint
  std::vector<FilePoint> points;
};

Result<FileCheckpoints> ReadFile(const CheckpointFile& file, const crypto::Sm2PublicKey& key) {
  FileCheckpoints out;
  std::string where = "检查点副本文件 " + file.path() + " 第 ";
  NEMIS_ASSIGN_OR_RETURN(bool exists, file.ForEach([&](const CheckpointLine& line) -> Status {
    if (out.finding) return {};
    std::string at = where + std::to_string(line.number) + " 行";
    if (!line.checkpoint) {
      out.finding = Finding{0, at + "无法识别（文件被改动或损坏）"};
    } else if (!internal::SignatureValid(*line.checkpoint, key)) {
      int64_t seq = line.checkpoint->seq;
      out.finding =
          Finding{seq, at + "（" + Nth(seq) + "的检查点）签名无效（被伪造，或并非本节点密钥所签）"};
    } else {
      out.points.push_back({line.checkpoint->seq,
                            crypto::FromHex(line.checkpoint->entry_hash).value(), line.number,
                            line.purge_anchor});
    }
    return {};
  }));
  out.missing = !exists;
  std::stable_sort(out.points.begin(), out.points.end(),
                   [](const FilePoint& a, const FilePoint& b) { return a.seq < b.seq; });
  return out;
}

// The walk's state shared with the per-entry hook.
struct Verifier {
  const crypto::Sm2PublicKey& key;
  CheckpointStream checkpoints;
  int64_t checked = 0;
  std::vector<FilePoint> file_points{};  // in seq order
  size_t next_file_point = 0;
  int64_t file_checked = 0;
  int64_t vouched = 0;  // the last entry a checkpoint (stored or in the file) vouched for

  // Checks the checkpoints up to entry `seq`, whose raw hash is `hash`.
  Result<std::optional<Finding>> Through(int64_t seq, const std::string& hash) {
    while (true) {
      NEMIS_ASSIGN_OR_RETURN(const internal::StoredCheckpoint* ck, checkpoints.Peek());
      if (ck == nullptr || ck->info.seq > seq) break;
      if (!internal::SignatureValid(ck->info, key))
        return std::optional<Finding>(BadSignature(ck->info.seq));
      if (ck->info.seq != seq || ck->info.entry_hash != crypto::ToHex(hash)) {
        return std::optional<Finding>(
            Finding{ck->info.seq, Nth(ck->info.seq) + "与签名检查点不符（记录链被改写）"});
      }
      checkpoints.Pop();
      ++checked;
      vouched = seq;
    }
    return ThroughFile(seq, hash);
  }

  // The file's checkpoints of entry `seq`: each must have signed the hash it has now.
  std::optional<Finding> ThroughFile(int64_t seq, const std::string& hash) {
    for (; next_file_point < file_points.size() && file_points[next_file_point].seq <= seq;
         ++next_file_point) {
      const FilePoint& point = file_points[next_file_point];
      if (point.seq == seq && point.hash != hash) {
        return Finding{seq, Nth(seq) + "与检查点副本文件第 " + std::to_string(point.line) +
                                " 行不符（记录链被改写：改动在第 " + std::to_string(vouched + 1) +
                                "–" + std::to_string(seq) + " 条之间）"};
      }
      ++file_checked;
      vouched = seq;
    }
    return std::nullopt;
  }

  // The file's checkpoints up to the anchor: the purged ones cannot be checked any more;
  // those of the anchor itself must have signed the anchor's hash, and one of them must be
  // the line the purge that left it wrote (checkpoint_file.hpp).
  std::optional<Finding> FileThroughAnchor(const Head& head, const std::string& anchor_hash) {
    vouched = head.anchor_seq;
    const std::string anchor =
        "日志起点（第 " + std::to_string(head.anchor_seq) + " 条，清理锚点）";
    bool purged_here = head.anchor_seq == 0;
    for (; next_file_point < file_points.size() &&
           file_points[next_file_point].seq <= head.anchor_seq;
         ++next_file_point) {
      const FilePoint& point = file_points[next_file_point];
      if (point.seq != head.anchor_seq) continue;
      if (point.hash != anchor_hash) {
        return Finding{head.anchor_seq, anchor + "与检查点副本文件第 " +
                                            std::to_string(point.line) + " 行不符（锚点被篡改）"};
      }
      purged_here = purged_here || point.purge_anchor;
    }
    if (purged_here) return std::nullopt;
    return Finding{head.anchor_seq, anchor + "不是清理留下的：检查点副本文件没有记录这次清理（第 " +
                                        std::to_string(head.anchor_seq) +
                                        " 条及之前的记录被删除）"};
  }

  // After the last entry: the file must not know of later ones.
  std::optional<Finding> FileAfter(const ChainPoint& last) const {
    if (next_file_point == file_points.size()) return std::nullopt;
    return Finding{last.seq + 1, internal::MissingAfter(last.seq) + "：检查点副本文件记录至第 " +
                                     std::to_string(file_points.back().seq) + " 条"};
  }
};

// Checkpoints at or before the anchor: all must be validly signed, and one at the anchor
// must sign the anchor's hash (an unsigned anchor could hide deleted entries).
Result<std::optional<Finding>> CheckAnchor(Verifier& v, const Head& head) {
  bool anchor_signed = head.anchor_seq == 0;
  while (true) {
    NEMIS_ASSIGN_OR_RETURN(const internal::StoredCheckpoint* ck, v.checkpoints.Peek());
    if (ck == nullptr || ck->info.seq > head.anchor_seq) break;
    if (!internal::SignatureValid(ck->info, v.key))
      return std::optional<Finding>(BadSignature(ck->info.seq));
    if (ck->info.seq == head.anchor_seq) {
      if (ck->info.entry_hash != head.anchor_hash) {
        return std::optional<Finding>(
            Finding{head.anchor_seq, "日志起点（第 " + std::to_string(head.anchor_seq) +
                                         " 条，清理锚点）与签名检查点不符（锚点被篡改）"});
      }
      anchor_signed = true;
    }
    v.checkpoints.Pop();
    ++v.checked;
  }
  if (anchor_signed) return std::optional<Finding>();
  return std::optional<Finding>(
      Finding{head.anchor_seq, "日志起点（第 " + std::to_string(head.anchor_seq) +
                                   " 条，清理锚点）没有有效的签名检查点（锚点被篡改）"});
}

// After the last entry: the head and any checkpoint beyond it must not record more.
Result<std::optional<Finding>> CheckEnd(Verifier& v, const Head& head, const ChainPoint& last) {
  if (last.seq < head.last_seq)
    return std::optional<Finding>(Finding{last.seq + 1, internal::MissingAfter(last.seq)});
  if (crypto::ToHex(last.hash) != head.last_hash) {
    return std::optional<Finding>(
        Finding{last.seq, Nth(last.seq) + "与链头登记的哈希不符（链头或记录被改动）"});
  }
  NEMIS_ASSIGN_OR_RETURN(const internal::StoredCheckpoint* ck, v.checkpoints.Peek());
  if (ck == nullptr) return std::optional<Finding>();
  if (!internal::SignatureValid(ck->info, v.key))
    return std::optional<Finding>(BadSignature(ck->info.seq));
  return std::optional<Finding>(Finding{last.seq + 1, internal::MissingAfter(last.seq) +
                                                          "：签名检查点覆盖至第 " +
                                                          std::to_string(ck->info.seq) + " 条"});
}

Result<std::optional<Finding>> FirstBeforeStart(db::Connection& c, int64_t anchor_seq) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kFirstBeforeStart, {anchor_seq}));
  if (rs.empty()) return std::optional<Finding>();
  int64_t seq = rs.rows[0].Int(0);
  return std::optional<Finding>(Finding{seq, Nth(seq) + "早于日志起点（记录被伪造插入）"});
}

// The file's checkpoints, or why there are none to check against.
Result<std::optional<Finding>> LoadFile(Verifier& v, const CheckpointFile& file, const Head& head,
                                        VerifyReport& report) {
  NEMIS_ASSIGN_OR_RETURN(auto loaded, ReadFile(file, v.key));
  if (loaded.finding) return std::optional<Finding>(loaded.finding);
  v.file_points = std::move(loaded.points);
  report.checkpoint_file_missing = loaded.missing;
  if (!loaded.missing || head.last_seq == head.anchor_seq) return std::optional<Finding>();
  return std::optional<Finding>(Finding{
      0, "找不到检查点副本文件 " + file.path() +
             "：数据库之外没有签名检查点，无法确认日志未被截断、回退或在检查点之后重算（第 " +
             std::to_string(head.anchor_seq + 1) + " 条起的记录没有外部凭证）"});
}

// Fills `report`; returns an Error only when the store fails.
Status Run(db::Connection& c, const crypto::Sm2PublicKey& key, const VerifyOptions& options,
           VerifyReport& report) {
  NEMIS_ASSIGN_OR_RETURN(auto head, internal::ReadHead(c));
  if (!head) return Fail(report, {0, "审计日志链头缺失（日志被篡改）"});
  report.first_seq = report.last_seq = head->anchor_seq;
  auto anchor_hash = crypto::FromHex(head->anchor_hash);
  if (!anchor_hash.ok())
    return Fail(report, {head->anchor_seq, "日志起点的哈希无法识别（锚点被篡改）"});
  Verifier v{key, CheckpointStream(c, std::numeric_limits<int64_t>::min(), options.page_rows)};
  std::optional<Finding> finding;
  if (options.checkpoint_file) {
    NEMIS_ASSIGN_OR_RETURN(finding, LoadFile(v, *options.checkpoint_file, *head, report));
    if (!finding) finding = v.FileThroughAnchor(*head, *anchor_hash);
    if (finding) return Fail(report, *finding);
  }
  NEMIS_ASSIGN_OR_RETURN(finding, CheckAnchor(v, *head));
  if (finding) return Fail(report, *finding);
  NEMIS_ASSIGN_OR_RETURN(finding, FirstBeforeStart(c, head->anchor_seq));
  if (finding) return Fail(report, *finding);
  auto hook = [&v](int64_t seq, const std::string& hash) { return v.Through(seq, hash); };
  NEMIS_ASSIGN_OR_RETURN(auto walk, internal::WalkChain(c, {head->anchor_seq, *anchor_hash},
                                                        head->last_seq, options.page_rows, hook));
  report.last_seq = walk.last.seq;
  report.entries = walk.entries;
  if (!walk.finding) {
    NEMIS_ASSIGN_OR_RETURN(walk.finding, CheckEnd(v, *head, walk.last));
  }
  if (!walk.finding) walk.finding = v.FileAfter(walk.last);
  report.checkpoints = v.checked;
  report.file_checkpoints = v.file_checked;
  return walk.finding ? Fail(report, *walk.finding) : Status();
}

}  // namespace

Result<VerifyReport> Verify(db::Database& db, const crypto::Sm2PublicKey& key,
                            const VerifyOptions& options) {
  VerifyReport report;
  VerifyOptions checked = options;
  if (checked.page_rows < 1) checked.page_rows = 1;
  NEMIS_TRY(db.WithReader([&](db::Connection& c) { return Run(c, key, checked, report); }));
  return report;
}

}  // namespace nemis::audit
