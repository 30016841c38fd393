#include "exchange/change_applier.hpp"

#include "exchange/batch_payload.hpp"
#include "exchange/national_id.hpp"
#include "exchange/transfer_relay.hpp"
#include "org/org_replica.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_replica.hpp"

namespace nemis::exchange {
namespace {

constexpr std::string_view kSelectCheckpoint =
    "SELECT source, last_seq, batches, records, conflicts, batch_digest, applied_at, last_mark "
    "FROM exchange_checkpoint WHERE source = $1";
constexpr std::string_view kDeleteCheckpoint = "DELETE FROM exchange_checkpoint WHERE source = $1";

// The checkpoint moves only from where this batch started: a batch of the same source
// applied meanwhile by another transaction makes this one fail and roll back.
constexpr std::string_view kInsertCheckpoint =
    "INSERT INTO exchange_checkpoint (source, last_seq, batches, records, conflicts, "
    "batch_digest, applied_at, last_mark) VALUES ($1, $2, 1, $3, $4, $5, $6, $7)";
constexpr std::string_view kAdvanceCheckpoint =
    "UPDATE exchange_checkpoint SET last_seq = $2, batches = batches + 1, "
    "records = records + $3, conflicts = conflicts + $4, batch_digest = $5, applied_at = $6, "
    "last_mark = $8 WHERE source = $1 AND last_seq = $7";

// A conflict already found keeps its verdicts and state: the source sending the student again
// (a later change) only refreshes the record.
constexpr std::string_view kUpsertConflict =
    "INSERT INTO exchange_conflict (id, source, source_seq, kind, number_index, holder_id, record, "
    "created_at, updated_at, holder_province, holder_number_index) "
    "SELECT $8, $1, $2, $3, $4, $5, $6, $7, $7, province_code, number_index FROM student "
    "WHERE id = $5 "
    "ON CONFLICT (source, number_index) DO UPDATE SET source_seq = excluded.source_seq, "
    "kind = excluded.kind, record = excluded.record, updated_at = excluded.updated_at";
// The person's conflict, between the source and another province, resolved for the other
// (conflict_resolution.hpp): the source's registration was given up, so its later states
// (ended) are not a new conflict. A third province registering the person is one.
constexpr std::string_view kResolvedAgainst =
    "SELECT 1 FROM exchange_conflict WHERE state = 'resolved' AND winner <> $2 "
    "AND (source = $2 OR holder_province = $2) "
    "AND (number_index = $1 OR holder_number_index = $1)";

Error InRecord(size_t index, Error e) {
  e.message = "批次第 " + std::to_string(index + 1) + " 条记录：" + e.message;
  return e;
}

struct Applying {
  db::Connection& c;
  const crypto::FieldCipher& cipher;
  const std::string& source;
  const std::string& now;
  ApplyReport report;
};

// A cross-province transfer (transfer_relay.hpp) moves the national copy: the receiving
// province's registration replaces the sending one's; the sending province's later states
// of it (status 10) are superseded. True when the record was one of these.
Result<bool> FollowTransfer(Applying& a, const registry::Student& s, int64_t holder_id) {
  NEMIS_ASSIGN_OR_RETURN(auto holder,
                         a.c.Query("SELECT province_code FROM student WHERE id = $1", {holder_id}));
  if (holder.rows.empty()) return false;
  const std::string& index = s.sealed.number_index;
  NEMIS_ASSIGN_OR_RETURN(bool arrived,
                         TransferredBetween(a.c, index, holder.rows[0].Text(0), a.source));
  if (arrived) {
    NEMIS_TRY(registry::ReplaceReplicaStudent(a.c, a.cipher, s, holder_id, a.now));
    ++a.report.records;
    return true;
  }
  NEMIS_ASSIGN_OR_RETURN(bool left, TransferredAwayFrom(a.c, index, a.source));
  if (left) ++a.report.superseded;
  return left;
}

Status KeepConflict(Applying& a, int64_t seq, const registry::Student& s,
                    const registry::ReplicaOutcome& outcome) {
  if (outcome.write == registry::ReplicaWrite::kNumberHeldElsewhere) {
    NEMIS_ASSIGN_OR_RETURN(bool followed, FollowTransfer(a, s, outcome.holder_id));
    if (followed) return {};
  }
  const char* kind = outcome.write == registry::ReplicaWrite::kNumberHeldElsewhere
                         ? "number_held"
                         : "document_held";
  NEMIS_ASSIGN_OR_RETURN(auto given_up,
                         a.c.Query(kResolvedAgainst, {s.sealed.number_index, a.source}));
  if (!given_up.rows.empty()) {
    ++a.report.superseded;
    return {};
  }
  const std::string sealed = SealStudentRecord(a.cipher, {seq, s});
  NEMIS_TRY(a.c.Query(kUpsertConflict, {a.source, seq, kind, s.sealed.number_index,
                                        outcome.holder_id, sealed, a.now, NewNationalId()}));
  ++a.report.conflicts;
  return {};
}

// Institutions one by one (parents first, as the source sent them), then the students in
// one go (registry/student_replica.hpp), sealed by ParseBatch.
Status ApplyRecords(Applying& a, const std::vector<ChangeRecord>& records) {
  std::vector<registry::Student> students;
  std::vector<int64_t> seqs;
  students.reserve(records.size());
  seqs.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    if (const auto* inst = std::get_if<org::ReplicaInstitution>(&records[i].value)) {
      if (Status written = org::WriteReplicaInstitution(a.c, *inst, a.source, a.now);
          !written.ok()) {
        return InRecord(i, std::move(written).error());
      }
      ++a.report.records;
      continue;
    }
    // Copied, not moved: a retried transaction reads the records again.
    students.push_back(std::get<registry::Student>(records[i].value));
    seqs.push_back(records[i].seq);
  }
  NEMIS_ASSIGN_OR_RETURN(auto outcomes,
                         registry::WriteReplicaStudents(a.c, a.cipher, students, a.source, a.now,
                                                        registry::Sealing::kSealedAlready));
  for (size_t k = 0; k < students.size(); ++k) {
    if (outcomes[k].write == registry::ReplicaWrite::kWritten) {
      ++a.report.records;
    } else {
      NEMIS_TRY(KeepConflict(a, seqs[k], students[k], outcomes[k]));
    }
  }
  return {};
}

Error OutOfOrder(const BatchHeader& h, int64_t at) {
  return Error::Conflict("batch_out_of_order", "批次不连续：本节点已应用 " + h.source +
                                                   " 的变更到 " + std::to_string(at) +
                                                   "，此批次从 " + std::to_string(h.after) +
                                                   " 之后开始");
}

Error Diverged(const BatchHeader& h, int64_t at) {
  return Error::Conflict("source_diverged",
                         "节点 " + h.source + " 的变更日志在序号 " + std::to_string(at) +
                             " 处与本节点已应用的不一致：该节点可能从较早的备份恢复。核对后执行 "
                             "nemis exchange reset --source " +
                             h.source + " 从头重新同步");
}

Status AdvanceCheckpoint(db::Connection& c, const BatchHeader& h, int64_t at, bool exists,
                         const ApplyReport& report, const std::string& digest,
                         const std::string& now) {
  if (!exists) {
    auto inserted = c.Query(kInsertCheckpoint, {h.source, h.last, report.records, report.conflicts,
                                                digest, now, h.last_mark});
    if (!inserted.ok() && inserted.error().code == db::kUniqueViolation) return OutOfOrder(h, at);
    NEMIS_TRY(inserted);
    return {};
  }
  NEMIS_ASSIGN_OR_RETURN(
      auto moved, c.Query(kAdvanceCheckpoint, {h.source, h.last, report.records, report.conflicts,
                                               digest, now, at, h.last_mark}));
  if (moved.affected != 1) return OutOfOrder(h, at);
  return {};
}

Checkpoint CheckpointFromRow(const db::Row& r) {
  return {r.Text(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Text(5), r.Text(6), r.Text(7)};
}

}  // namespace

Result<std::optional<Checkpoint>> LoadCheckpoint(db::Connection& c, std::string_view source) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectCheckpoint, {source}));
  if (rs.rows.empty()) return std::optional<Checkpoint>();
  return std::optional<Checkpoint>(CheckpointFromRow(rs.rows.front()));
}

Result<bool> ResetCheckpoint(db::Database& db, std::string_view source) {
  return db.Write<bool>([&](db::Connection& c) -> Result<bool> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kDeleteCheckpoint, {source}));
    return rs.affected > 0;
  });
}

Result<ParsedBatch> ParseBatch(const OpenedBatch& batch, const crypto::FieldCipher& cipher) {
  NEMIS_ASSIGN_OR_RETURN(std::vector<ChangeRecord> records,
                         ReadPayload(batch.payload, batch.header.count));
  for (ChangeRecord& record : records) {
    if (auto* student = std::get_if<registry::Student>(&record.value))
      registry::SealPersonal(cipher, *student);
  }
  return ParsedBatch{batch.header, batch.digest, std::move(records)};
}

Result<ApplyReport> ApplyParsedBatch(db::Database& db, const crypto::FieldCipher& cipher,
                                     const ParsedBatch& batch, const Clock& clock) {
  const BatchHeader& h = batch.header;
  const std::string now = FormatUtc(clock.Now());
  return db.Write<ApplyReport>([&](db::Connection& c) -> Result<ApplyReport> {
    NEMIS_ASSIGN_OR_RETURN(auto checkpoint, LoadCheckpoint(c, h.source));
    const int64_t at = checkpoint ? checkpoint->last_seq : 0;
    Applying a{c, cipher, h.source, now, {}};
    a.report.checkpoint = at;
    // First, so that an empty answer of a source behind its checkpoint is not taken for a
    // batch applied before.
    if (checkpoint && h.after == at && checkpoint->last_mark != h.after_mark) {
      return Diverged(h, at);
    }
    if (h.last <= at) {
      a.report.repeated = true;
      return a.report;
    }
    if (h.after != at) return OutOfOrder(h, at);
    NEMIS_TRY(ApplyRecords(a, batch.records));
    NEMIS_TRY(AdvanceCheckpoint(c, h, at, checkpoint.has_value(), a.report, batch.digest, now));
    a.report.checkpoint = h.last;
    return a.report;
  });
}

Result<ApplyReport> ApplyBatch(db::Database& db, const crypto::FieldCipher& cipher,
                               const OpenedBatch& batch, const Clock& clock) {
  NEMIS_ASSIGN_OR_RETURN(ParsedBatch parsed, ParseBatch(batch, cipher));
  return ApplyParsedBatch(db, cipher, parsed, clock);
}

}  // namespace nemis::exchange
