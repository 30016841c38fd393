#include "exchange/change_reader.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "db/change_log.hpp"
#include "exchange/batch_payload.hpp"
#include "org/org_replica.hpp"
#include "registry/student_replica.hpp"

namespace nemis::exchange {
namespace {

constexpr std::string_view kSelectMark =
    "SELECT seq, entity, entity_id, op, changed_at FROM change_log WHERE seq = $1";
constexpr std::string_view kSelectChanges =
    "SELECT seq, entity, entity_id FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2";

// The last sequence of each changed row, by entity.
struct Changed {
  std::map<int64_t, int64_t> orgs, students;  // id -> seq
  int64_t last = 0;
};

std::vector<int64_t> Ids(const std::map<int64_t, int64_t>& seqs) {
  std::vector<int64_t> ids;
  ids.reserve(seqs.size());
  for (const auto& [id, seq] : seqs) ids.push_back(id);
  return ids;
}

Result<Changed> ReadLog(db::Connection& c, int64_t after, int64_t limit) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectChanges, {after, limit}));
  Changed out;
  out.last = after;
  for (const db::Row& row : rs.rows) {
    const int64_t seq = row.Int(0);
    const std::string entity = row.Text(1);
    if (entity == "org") out.orgs[row.Int(2)] = seq;
    if (entity == "student") out.students[row.Int(2)] = seq;
    out.last = seq;
  }
  return out;
}

Result<std::string> MarkOf(db::Connection& c, int64_t seq) {
  if (seq == 0) return std::string();
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectMark, {seq}));
  if (rs.rows.empty()) return std::string("none");
  const db::Row& r = rs.rows.front();
  return crypto::ToHex(crypto::Sm3(r.Text(0) + '|' + r.Text(1) + '|' + r.Text(2) + '|' + r.Text(3) +
                                   '|' + r.Text(4)));
}

// Institutions parents first (by level, then code), so the receiver can insert each.
Status AddInstitutions(db::Connection& c, const Changed& changed,
                       std::vector<ChangeRecord>& records) {
  NEMIS_ASSIGN_OR_RETURN(auto orgs, org::LoadInstitutionsForExchange(c, Ids(changed.orgs)));
  // The national root is every node's own: it never crosses.
  std::erase_if(orgs,
                [](const auto& r) { return r.institution.level == org::OrgLevel::kNational; });
  std::sort(orgs.begin(), orgs.end(), [](const auto& a, const auto& b) {
    const auto& x = a.institution;
    const auto& y = b.institution;
    return std::tie(x.level, x.code) < std::tie(y.level, y.code);
  });
  for (auto& r : orgs) {
    const int64_t seq = changed.orgs.at(r.institution.id);
    records.push_back({seq, std::move(r)});
  }
  return {};
}

Status AddStudents(db::Connection& c, const crypto::FieldCipher& cipher, const Changed& changed,
                   std::vector<ChangeRecord>& records) {
  NEMIS_ASSIGN_OR_RETURN(auto students,
                         registry::LoadStudentsForExchange(c, cipher, Ids(changed.students)));
  for (auto& s : students) {
    const int64_t seq = changed.students.at(s.id);
    records.push_back({seq, std::move(s)});
  }
  return {};
}

}  // namespace

BatchHeader HeaderFor(const ChangeBatch& batch, std::string source, std::string receiver) {
  return {std::move(source), std::move(receiver), batch.after,    batch.last,
          batch.count,       batch.after_mark,    batch.last_mark};
}

Result<ChangeBatch> ReadChanges(db::Database& db, const crypto::FieldCipher& cipher, int64_t after,
                                int64_t limit) {
  if (after < 0) return Error::BadRequest("bad_parameter", "after 不能为负数");
  if (limit < 1 || limit > kMaxBatchChanges) {
    return Error::BadRequest("bad_parameter",
                             "limit 须在 1 到 " + std::to_string(kMaxBatchChanges) + " 之间");
  }
  // Number what has committed, so the batch can reach it (nothing to do on SQLite).
  NEMIS_TRY(db::SealChanges(db));
  return db.Read<ChangeBatch>([&](db::Connection& c) -> Result<ChangeBatch> {
    NEMIS_ASSIGN_OR_RETURN(int64_t head, db::LastChangeSeq(c));
    NEMIS_ASSIGN_OR_RETURN(Changed changed, ReadLog(c, after, limit));
    std::vector<ChangeRecord> records;
    NEMIS_TRY(AddInstitutions(c, changed, records));
    NEMIS_TRY(AddStudents(c, cipher, changed, records));
    ChangeBatch batch;
    batch.after = after;
    batch.last = changed.last;
    NEMIS_ASSIGN_OR_RETURN(batch.after_mark, MarkOf(c, after));
    NEMIS_ASSIGN_OR_RETURN(batch.last_mark, MarkOf(c, changed.last));
    batch.count = static_cast<int64_t>(records.size());
    batch.head = std::max(head, changed.last);
    batch.payload = WritePayload(records);
    return batch;
  });
}

}  // namespace nemis::exchange
