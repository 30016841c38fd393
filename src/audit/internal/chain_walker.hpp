// Internal to src/audit: streams the log in keyset pages and recomputes the chain, naming
// the first entry that does not fit. Verify and Checkpoint share it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "audit/audit_entry.hpp"
#include "audit/internal/audit_rows.hpp"
#include "db/database.hpp"

namespace nemis::audit::internal {

/// Entries after `after_seq` in seq order, read a page at a time (one page in memory).
class EntryStream {
 public:
  EntryStream(db::Connection& c, int64_t after_seq, int page_rows);
  /// The next entry without consuming it; nullptr at the end.
  Result<const AuditRecord*> Peek();
  void Pop() { buffer_.pop_front(); }

 private:
  db::Connection& c_;
  int64_t after_seq_;
  int page_rows_;
  bool exhausted_ = false;
  std::deque<AuditRecord> buffer_;
};

/// Checkpoints with seq >= `from_seq` in (seq, id) order, a page at a time.
class CheckpointStream {
 public:
  CheckpointStream(db::Connection& c, int64_t from_seq, int page_rows);
  Result<const StoredCheckpoint*> Peek();
  void Pop() { buffer_.pop_front(); }

 private:
  db::Connection& c_;
  int64_t after_seq_;
  int64_t after_id_ = 0;
  int page_rows_;
  bool exhausted_ = false;
  std::deque<StoredCheckpoint> buffer_;
};

/// A place in the chain: an entry's seq and raw 32-byte hash.
struct ChainPoint {
  int64_t seq = 0;
  std::string hash;
};

/// What is wrong, and the first entry it concerns.
struct Finding {
  int64_t seq = 0;
  std::string message;  // Chinese, for the audit administrator
};

/// Called after each entry whose hash checked out, with its seq and raw hash.
using EntryHook =
    std::function<Result<std::optional<Finding>>(int64_t seq, const std::string& hash)>;

struct Walk {
  ChainPoint last;  // the last entry that checked out (the start if none did)
  int64_t entries = 0;
  std::optional<Finding> finding;
};

/// Recomputes the chain from `start` over every entry after it; entries beyond `head_seq`
/// (the last seq the head records) are forgeries. Stops at the first finding.
Result<Walk> WalkChain(db::Connection& c, const ChainPoint& start, int64_t head_seq, int page_rows,
                       const EntryHook& hook);

/// "第 N 条之后缺少记录（记录被删除）" for a gap after entry `last_good`.
std::string MissingAfter(int64_t last_good);

}  // namespace nemis::audit::internal
