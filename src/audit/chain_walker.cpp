// The streaming chain check (internal/chain_walker.hpp). When an entry's hash does not
// fit, the entry after it tells what happened: if it chains from the stored hash, the
// entry's content was edited; if it chains from the recomputed hash, the stored hash was;
// if from neither, the entry does not belong here (inserted or moved).
#include "audit/internal/chain_walker.hpp"

#include "audit/audit_chain.hpp"
#include "crypto/encoding.hpp"

namespace nemis::audit::internal {
namespace {

const std::string kEntryPage =
    "SELECT " + std::string(kEntryColumns) + " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2";
const std::string kCheckpointPage =
    "SELECT " + std::string(kCheckpointColumns) +
    " FROM audit_checkpoint WHERE seq > $1 OR (seq = $1 AND id > $2)"
    " ORDER BY seq, id LIMIT $3";

std::string Nth(int64_t seq) { return "第 " + std::to_string(seq) + " 条审计记录"; }

// The stored hash as raw bytes; empty if it is not 32 bytes of hex.
std::string RawHash(const std::string& hex) {
  auto raw = crypto::FromHex(hex);
  return raw.ok() && raw->size() == kHashBytes ? *raw : std::string();
}

bool ChainsFrom(const std::string& prev, const AuditRecord& next) {
  return !prev.empty() && ChainHash(prev, next.seq, next.entry) == RawHash(next.entry_hash);
}

Result<Finding> Diagnose(EntryStream& stream, const AuditRecord& bad, const std::string& computed) {
  NEMIS_ASSIGN_OR_RETURN(const AuditRecord* next, stream.Peek());
  if (next != nullptr && next->seq == bad.seq + 1) {
    if (ChainsFrom(RawHash(bad.entry_hash), *next)) {
      return Finding{bad.seq, Nth(bad.seq) + "的哈希与内容不符（记录被修改）"};
    }
    if (ChainsFrom(computed, *next))
      return Finding{bad.seq, Nth(bad.seq) + "的哈希值被改动（记录被修改）"};
    return Finding{bad.seq, Nth(bad.seq) + "与前后记录不衔接（记录被插入或调换顺序）"};
  }
  return Finding{bad.seq, Nth(bad.seq) + "的哈希与内容不符（记录被修改）"};
}

// A seq out of place: a gap (entries deleted) or an entry the head never registered.
std::optional<Finding> CheckPlace(int64_t seq, int64_t expected, int64_t head_seq) {
  if (seq > expected && expected <= head_seq) return Finding{expected, MissingAfter(expected - 1)};
  if (seq > head_seq) return Finding{seq, Nth(seq) + "不在链头登记的范围内（记录被伪造插入）"};
  return std::nullopt;
}

}  // namespace

std::string MissingAfter(int64_t last_good) {
  if (last_good == 0) return "缺少第 1 条审计记录（记录被删除）";
  return "第 " + std::to_string(last_good) + " 条之后缺少记录（记录被删除）";
}

EntryStream::EntryStream(db::Connection& c, int64_t after_seq, int page_rows)
    : c_(c), after_seq_(after_seq), page_rows_(page_rows) {}

Result<const AuditRecord*> EntryStream::Peek() {
  if (buffer_.empty() && !exhausted_) {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c_.Query(kEntryPage, {after_seq_, page_rows_}));
    for (const db::Row& row : rs.rows) buffer_.push_back(RecordFromRow(row));
    exhausted_ = static_cast<int>(rs.size()) < page_rows_;
    if (!buffer_.empty()) after_seq_ = buffer_.back().seq;
  }
  return buffer_.empty() ? nullptr : &buffer_.front();
}

CheckpointStream::CheckpointStream(db::Connection& c, int64_t from_seq, int page_rows)
    : c_(c), after_seq_(from_seq), page_rows_(page_rows) {}

Result<const StoredCheckpoint*> CheckpointStream::Peek() {
  if (buffer_.empty() && !exhausted_) {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c_.Query(kCheckpointPage, {after_seq_, after_id_, page_rows_}));
    for (const db::Row& row : rs.rows) buffer_.push_back(StoredCheckpointFromRow(row));
    exhausted_ = static_cast<int>(rs.size()) < page_rows_;
    if (!buffer_.empty()) {
      after_seq_ = buffer_.back().info.seq;
      after_id_ = buffer_.back().id;
    }
  }
  return buffer_.empty() ? nullptr : &buffer_.front();
}

Result<Walk> WalkChain(db::Connection& c, const ChainPoint& start, int64_t head_seq, int page_rows,
                       const EntryHook& hook) {
  Walk walk{start, 0, std::nullopt};
  EntryStream stream(c, start.seq, page_rows);
  while (true) {
    NEMIS_ASSIGN_OR_RETURN(const AuditRecord* peeked, stream.Peek());
    if (peeked == nullptr) return walk;
    AuditRecord record = *peeked;
    stream.Pop();
    if ((walk.finding = CheckPlace(record.seq, walk.last.seq + 1, head_seq))) return walk;
    std::string computed = ChainHash(walk.last.hash, record.seq, record.entry);
    if (computed != RawHash(record.entry_hash)) {
      NEMIS_ASSIGN_OR_RETURN(walk.finding, Diagnose(stream, record, computed));
      return walk;
    }
    if (hook) {
      NEMIS_ASSIGN_OR_RETURN(walk.finding, hook(record.seq, computed));
      if (walk.finding) return walk;
    }
    walk.last = {record.seq, std::move(computed)};
    ++walk.entries;
  }
}

}  // namespace nemis::audit::internal
