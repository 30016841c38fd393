#include "audit/audit_log.hpp"

#include "audit/audit_chain.hpp"
#include "crypto/encoding.hpp"

namespace nemis::audit {
namespace {

// Takes the next seq and, on PostgreSQL, the row lock that queues other appenders until
// this transaction ends. RETURNING gives the new seq and the (unchanged) previous hash.
constexpr std::string_view kAdvanceHead =
    "UPDATE audit_head SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash";
constexpr std::string_view kInsertEntry =
    "INSERT INTO audit_log (seq, logged_at, account, roles, scope, source_ip, request_id, action, target, "
    "outcome, details, entry_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
constexpr std::string_view kSetHeadHash = "UPDATE audit_head SET last_hash = $1 WHERE id = 1";
constexpr std::string_view kEmptyDetails = "{}";

}  // namespace

Result<int64_t> Append(db::Connection& c, const AuditEntry& entry) {
  NEMIS_TRY(ValidateEntry(entry));
  NEMIS_ASSIGN_OR_RETURN(auto head, c.Query(kAdvanceHead));
  if (head.empty()) return Error::Internal("审计日志链头缺失，拒绝写入审计记录");
  int64_t seq = head.rows[0].Int(0);
  auto prev = crypto::FromHex(head.rows[0].Text(1));
  if (!prev.ok() || prev->size() != kHashBytes) return Error::Internal("审计日志链头已损坏，拒绝写入审计记录");
  AuditEntry stored = entry;
  if (stored.details.empty()) stored.details = kEmptyDetails;
  std::string hash = crypto::ToHex(ChainHash(*prev, seq, stored));
  const AuditEntry& e = stored;
  NEMIS_TRY(c.Query(kInsertEntry, {seq, e.time, e.account, e.roles, e.scope, e.source_ip, e.request_id, e.action,
                                   e.target, e.outcome, e.details, hash}));
  NEMIS_TRY(c.Query(kSetHeadHash, {hash}));
  return seq;
}

Result<int64_t> Append(db::Database& db, const AuditEntry& entry) {
  return db.Write<int64_t>([&](db::Connection& c) { return Append(c, entry); });
}

}  // namespace nemis::audit
