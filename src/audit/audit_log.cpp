#include "audit/audit_log.hpp"

#include <array>
#include <string>
#include <vector>

#include "audit/audit_chain.hpp"
#include "base/log.hpp"
#include "crypto/encoding.hpp"

namespace nemis::audit {
namespace {

// SQLite: takes the next seq inside the write (its one writer keeps the order).
constexpr std::string_view kAdvanceHead =
    "UPDATE audit_head SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash";
constexpr std::string_view kInsertEntry =
    "INSERT INTO audit_log (seq, logged_at, account, roles, scope, source_ip, request_id, action, target, "
    "outcome, details, entry_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
constexpr std::string_view kSetHeadHash = "UPDATE audit_head SET last_hash = $1 WHERE id = 1";
// PostgreSQL: the write leaves its entry unnumbered; sealing locks the head, so sealers
// (and purges) take turns, and after the lock sees every entry committed so far.
constexpr std::string_view kInsertPending =
    "INSERT INTO audit_pending (logged_at, account, roles, scope, source_ip, request_id, action, target, outcome, "
    "details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
// By the primary key: between vacuums the queue holds many dead rows a scan would visit.
constexpr std::string_view kAnyPending =
    "SELECT COUNT(*) FROM (SELECT id FROM audit_pending ORDER BY id LIMIT 1) AS p";
constexpr std::string_view kLockHead =
    "SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE";
constexpr std::string_view kPendingEntries =
    "SELECT id, logged_at, account, roles, scope, source_ip, request_id, action, target, outcome, details "
    "FROM audit_pending ORDER BY id LIMIT $1";
// Moves exactly the rows read, numbered and chained by the client ($1 their ids, $2 their
// seqs, $3 their hashes), in one statement: a row committed meanwhile waits for the next seal.
constexpr std::string_view kMoveChained =
    "WITH moved AS (DELETE FROM audit_pending WHERE id = ANY($1::bigint[]) RETURNING *), "
    "chained AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS c(id, seq, entry_hash)) "
    "INSERT INTO audit_log (seq, logged_at, account, roles, scope, source_ip, request_id, action, target, "
    "outcome, details, entry_hash) SELECT c.seq, m.logged_at, m.account, m.roles, m.scope, m.source_ip, "
    "m.request_id, m.action, m.target, m.outcome, m.details, c.entry_hash FROM moved m JOIN chained c USING (id)";
constexpr std::string_view kSetHead =
    "UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1";
constexpr std::string_view kEmptyDetails = "{}";
constexpr std::string_view kRefusedMessage = "审计日志写入失败";

struct ChainPoint {
  int64_t seq = 0;
  std::string hash;  // raw bytes
};

Result<ChainPoint> HeadFrom(const db::ResultSet& head) {
  if (head.empty()) return Error::Internal("审计日志链头缺失，拒绝写入审计记录");
  auto prev = crypto::FromHex(head.rows[0].Text(1));
  if (!prev.ok() || prev->size() != kHashBytes)
    return Error::Internal("审计日志链头已损坏，拒绝写入审计记录");
  return ChainPoint{head.rows[0].Int(0), std::move(*prev)};
}

Status InsertSealed(db::Connection& c, int64_t seq, const AuditEntry& e, const std::string& hash) {
  NEMIS_TRY(c.Query(kInsertEntry, {seq, e.time, e.account, e.roles, e.scope, e.source_ip,
                                   e.request_id, e.action, e.target, e.outcome, e.details, hash}));
  return {};
}

Status AppendChained(db::Connection& c, const AuditEntry& e) {
  NEMIS_ASSIGN_OR_RETURN(auto head, c.Query(kAdvanceHead));
  // The head already holds this entry's seq, and still the previous entry's hash.
  NEMIS_ASSIGN_OR_RETURN(ChainPoint point, HeadFrom(head));
  std::string hash = crypto::ToHex(ChainHash(point.hash, point.seq, e));
  NEMIS_TRY(InsertSealed(c, point.seq, e, hash));
  NEMIS_TRY(c.Query(kSetHeadHash, {hash}));
  return {};
}

// Its result is not needed: sent with the write's next statement or its commit, where a
// refusal still fails the write as this entry's.
Status AppendPending(db::Connection& c, const AuditEntry& e) {
  AuditEntry named;
  named.action = e.action;
  named.request_id = e.request_id;
  return c.Defer(kInsertPending,
                 {e.time, e.account, e.roles, e.scope, e.source_ip, e.request_id, e.action,
                  e.target, e.outcome, e.details},
                 [named](const Error& why) { return AsRefusal(named, why).error(); });
}

AuditEntry PendingEntry(const db::Row& row) {
  return AuditEntry{row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5),
                    row.Text(6), row.Text(7), row.Text(8), row.Text(9), row.Text(10)};
}

// A PostgreSQL array literal of the items (numbers or hex: nothing to quote).
class ArrayLiteral {
 public:
  void Add(std::string_view item) {
    text_ += text_.empty() ? "{" : ",";
    text_ += item;
  }
  std::string Close() const { return text_.empty() ? "{}" : text_ + "}"; }

 private:
  std::string text_;
};

Result<int64_t> SealPending(db::Connection& c, int64_t limit) {
  NEMIS_ASSIGN_OR_RETURN(auto head, c.Query(kLockHead));
  NEMIS_ASSIGN_OR_RETURN(ChainPoint point, HeadFrom(head));
  NEMIS_ASSIGN_OR_RETURN(auto pending, c.Query(kPendingEntries, {limit}));
  if (pending.empty()) return 0;
  ArrayLiteral ids;
  ArrayLiteral seqs;
  ArrayLiteral hashes;
  for (const auto& row : pending.rows) {
    ++point.seq;
    point.hash = ChainHash(point.hash, point.seq, PendingEntry(row));
    ids.Add(row.Text(0));
    seqs.Add(std::to_string(point.seq));
    hashes.Add(crypto::ToHex(point.hash));
  }
  NEMIS_ASSIGN_OR_RETURN(auto moved,
                         c.Query(kMoveChained, {ids.Close(), seqs.Close(), hashes.Close()}));
  if (moved.affected != static_cast<int64_t>(pending.size()))
    return Error::Internal("审计日志待封存记录被并发删除，封存已撤销");
  NEMIS_TRY(c.Query(kSetHead, {point.seq, crypto::ToHex(point.hash)}));
  return static_cast<int64_t>(pending.size());
}

}  // namespace

Status AsRefusal(const AuditEntry& entry, Status appended) {
  if (appended.ok()) return appended;
  const Error& why = appended.error();
  if (why.kind == ErrorKind::kUnavailable && why.message == kRefusedMessage) return appended;
  log::Error("audit_append_failed",
             {{"action", entry.action}, {"requestId", entry.request_id}, {"code", why.code}});
  return Error::Unavailable(std::string(kRefusedMessage));
}

Status Append(db::Connection& c, const AuditEntry& entry) {
  NEMIS_TRY(ValidateEntry(entry));
  AuditEntry stored = entry;
  if (stored.details.empty()) stored.details = kEmptyDetails;
  if (c.backend() == db::Backend::kSqlite) return AppendChained(c, stored);
  return AppendPending(c, stored);
}

Status Append(db::Database& db, const AuditEntry& entry) {
  return db.WithWriter([&](db::Connection& c) { return Append(c, entry); });
}

Result<int64_t> Seal(db::Database& db, int64_t limit) {
  if (db.backend() == db::Backend::kSqlite) return 0;
  // Most calls find nothing to do: answer those without taking the lock.
  NEMIS_ASSIGN_OR_RETURN(int64_t any, db.Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kAnyPending));
    return rs.rows.at(0).Int(0);
  }));
  if (any == 0) return 0;
  return db.Write<int64_t>([limit](db::Connection& c) { return SealPending(c, limit); });
}

Status SealAll(db::Database& db) {
  // Each pass sees every entry committed before it began; another pass only when one was
  // cut short by the limit (under a steady stream of writes, "until none is pending" would
  // not end).
  for (;;) {
    NEMIS_ASSIGN_OR_RETURN(int64_t sealed, Seal(db, kSealBatch));
    if (sealed < kSealBatch) return {};
  }
}

}  // namespace nemis::audit
