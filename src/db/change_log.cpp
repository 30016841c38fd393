#include "db/change_log.hpp"

#include <array>
#include <string>

namespace nemis::db {
namespace {

constexpr std::string_view kReserveSeq =
    "UPDATE change_seq SET last = last + $1 WHERE id = 1 RETURNING last";
constexpr std::string_view kInsertChange =
    "INSERT INTO change_log (seq, entity, entity_id, op, changed_at) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kInsertPending =
    "INSERT INTO change_pending (entity, entity_id, op, changed_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kLastSeq = "SELECT last FROM change_seq WHERE id = 1";
// Sealing: the counter row is locked first, so sealers (and bulk appends) take turns;
// after the lock, the statement below sees every pending row committed so far and none
// another sealer has moved. Rows are numbered in insertion order among those visible.
constexpr std::string_view kLockSeq = "SELECT last FROM change_seq WHERE id = 1 FOR UPDATE";
constexpr std::string_view kMovePending =
    "WITH moved AS (DELETE FROM change_pending WHERE id IN (SELECT id FROM change_pending ORDER BY id LIMIT $2) "
    "RETURNING id, entity, entity_id, op, changed_at) "
    "INSERT INTO change_log (seq, entity, entity_id, op, changed_at) "
    "SELECT $1 + row_number() OVER (ORDER BY id), entity, entity_id, op, changed_at FROM moved";
constexpr std::string_view kAdvanceSeq = "UPDATE change_seq SET last = last + $1 WHERE id = 1";
// By the primary key: between vacuums the queue holds many dead rows a scan would visit.
constexpr std::string_view kAnyPending =
    "SELECT COUNT(*) FROM (SELECT id FROM change_pending ORDER BY id LIMIT 1) AS p";
// SQLite has one writer connection, so MAX(id) cannot move under us.
constexpr std::string_view kSqliteMaxId = "SELECT COALESCE(MAX(id), 0) FROM ";
constexpr std::string_view kPgNextIds =
    "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)";
constexpr size_t kBulkThreshold = 32;

Status AppendNumbered(Connection& c, std::string_view entity, const std::string& op,
                      std::span<const int64_t> ids, std::string_view changed_at) {
  NEMIS_ASSIGN_OR_RETURN(auto reserved, c.Query(kReserveSeq, {static_cast<int64_t>(ids.size())}));
  int64_t seq = reserved.rows.at(0).Int(0) - static_cast<int64_t>(ids.size()) + 1;
  if (ids.size() < kBulkThreshold) {
    for (int64_t id : ids) NEMIS_TRY(c.Query(kInsertChange, {seq++, entity, id, op, changed_at}));
    return {};
  }
  static const std::array<std::string, 5> kColumns = {"seq", "entity", "entity_id", "op",
                                                      "changed_at"};
  NEMIS_ASSIGN_OR_RETURN(auto bulk, c.BeginBulkInsert("change_log", kColumns));
  for (int64_t id : ids) {
    const Param row[] = {seq++, entity, id, op, changed_at};
    NEMIS_TRY(bulk->AddRow(row));
  }
  return bulk->Finish();
}

}  // namespace

Status AppendChanges(Connection& c, std::string_view entity, ChangeOp op,
                     std::span<const int64_t> ids, std::string_view changed_at) {
  if (ids.empty()) return {};
  const std::string op_text(1, static_cast<char>(op));
  if (c.backend() == Backend::kSqlite || ids.size() >= kBulkThreshold)
    return AppendNumbered(c, entity, op_text, ids, changed_at);
  for (int64_t id : ids) NEMIS_TRY(c.Defer(kInsertPending, {entity, id, op_text, changed_at}));
  return {};
}

Result<int64_t> SealChanges(Database& db, int64_t limit) {
  if (db.backend() == Backend::kSqlite) return 0;
  // Most calls find nothing to do: answer those without taking the lock.
  NEMIS_ASSIGN_OR_RETURN(bool any, db.Read<bool>([](Connection& c) -> Result<bool> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kAnyPending));
    return rs.rows.at(0).Int(0) != 0;
  }));
  if (!any) return 0;
  return db.Write<int64_t>([limit](Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto head, c.Query(kLockSeq));
    const int64_t last = head.rows.at(0).Int(0);
    NEMIS_ASSIGN_OR_RETURN(auto moved, c.Query(kMovePending, {last, limit}));
    if (moved.affected > 0) NEMIS_TRY(c.Query(kAdvanceSeq, {moved.affected}));
    return moved.affected;
  });
}

Result<int64_t> LastChangeSeq(Connection& c) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLastSeq));
  return rs.rows.at(0).Int(0);
}

Result<std::vector<int64_t>> AllocateIds(Connection& c, std::string_view table, int64_t n) {
  std::vector<int64_t> ids;
  ids.reserve(static_cast<size_t>(n));
  if (c.backend() == Backend::kSqlite) {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(std::string(kSqliteMaxId) + std::string(table)));
    int64_t next = rs.rows.at(0).Int(0) + 1;
    for (int64_t i = 0; i < n; ++i) ids.push_back(next + i);
    return ids;
  }
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kPgNextIds, {table, n}));
  for (const auto& row : rs.rows) ids.push_back(row.Int(0));
  return ids;
}

}  // namespace nemis::db
