#include "exchange/conflict_resolution.hpp"

#include "exchange/change_record.hpp"
#include "registry/student_replica.hpp"

namespace nemis::exchange {
namespace {

constexpr std::string_view kConflict =
    "SELECT source, holder_province, state, incoming_verdict, holder_verdict, holder_id, record "
    "FROM exchange_conflict WHERE id = $1";
constexpr std::string_view kSetIncoming =
    "UPDATE exchange_conflict SET incoming_verdict = $2, updated_at = $3 WHERE id = $1";
constexpr std::string_view kSetHolder =
    "UPDATE exchange_conflict SET holder_verdict = $2, updated_at = $3 WHERE id = $1";
constexpr std::string_view kResolve =
    "UPDATE exchange_conflict SET state = 'resolved', winner = $2, resolved_at = $3, "
    "updated_at = $3 WHERE id = $1";
constexpr std::string_view kDispute =
    "UPDATE exchange_conflict SET state = 'disputed', updated_at = $2 WHERE id = $1";

struct Conflict {
  int64_t id = 0, holder_id = 0;
  std::string source, holder_province, state, incoming_verdict, holder_verdict, record;
};

// Resolves the conflict for `winner`'s registration: the incoming one replaces the holder's
// copy on this node; the holder's needs nothing written.
Status Resolve(db::Connection& c, const crypto::FieldCipher& cipher, const Conflict& k,
               const std::string& winner, std::string_view now) {
  if (winner == k.source) {
    NEMIS_ASSIGN_OR_RETURN(registry::Student incoming, OpenStudentRecord(cipher, k.record));
    NEMIS_TRY(registry::ReplaceReplicaStudent(c, cipher, std::move(incoming), k.holder_id, now));
  }
  NEMIS_TRY(c.Query(kResolve, {k.id, winner, std::string(now)}));
  return {};
}

// What the two verdicts settle; the conflict's row is updated accordingly.
Status Settle(db::Connection& c, const crypto::FieldCipher& cipher, const Conflict& k,
              std::string_view now, VerdictsReport& report) {
  const std::string& in = k.incoming_verdict;
  const std::string& held = k.holder_verdict;
  if (in == "yield" && held != "yield") {  // the holder's registration stands
    NEMIS_TRY(Resolve(c, cipher, k, k.holder_province, now));
    ++report.resolved;
  } else if (in == "keep" && held == "yield") {  // the incoming registration replaces it
    NEMIS_TRY(Resolve(c, cipher, k, k.source, now));
    ++report.resolved;
  } else if (!in.empty() && in == held) {
    NEMIS_TRY(c.Query(kDispute, {k.id, std::string(now)}));
    ++report.disputed;
  }
  return {};
}

// The conflict `id` about a student of `province` (any province when empty).
Result<Conflict> Load(db::Connection& c, int64_t id, std::string_view province) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kConflict, {id}));
  if (rs.rows.empty() ||
      (!province.empty() && rs.rows[0].Text(0) != province && rs.rows[0].Text(1) != province))
    return Error::NotFound((province.empty() ? "没有冲突 " : "没有本省学生的冲突 ") +
                           std::to_string(id));
  const db::Row& r = rs.rows[0];
  return Conflict{id,
                  r.Int(5),
                  r.Text(0),
                  r.Text(1),
                  r.Text(2),
                  r.IsNull(3) ? "" : r.Text(3),
                  r.IsNull(4) ? "" : r.Text(4),
                  r.Text(6)};
}

Status Validate(const std::vector<ConflictVerdict>& verdicts) {
  std::vector<FieldError> bad;
  for (size_t i = 0; i < verdicts.size(); ++i)
    if (verdicts[i].verdict != "keep" && verdicts[i].verdict != "yield")
      bad.push_back({"verdicts[" + std::to_string(i) + "].verdict", "bad_verdict",
                     "核查结论须为 keep（学籍属实）或 yield（学籍不实）"});
  if (!bad.empty()) return Error::Invalid(std::move(bad));
  return {};
}

}  // namespace

Result<VerdictsReport> RecordVerdicts(db::Database& db, const crypto::FieldCipher& cipher,
                                      std::string_view province,
                                      const std::vector<ConflictVerdict>& verdicts,
                                      std::string_view now) {
  NEMIS_TRY(Validate(verdicts));
  VerdictsReport report;
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    report = {};
    for (const ConflictVerdict& v : verdicts) {
      NEMIS_ASSIGN_OR_RETURN(Conflict k, Load(c, v.conflict_id, province));
      if (k.state == "resolved") continue;
      std::string& side = k.source == province ? k.incoming_verdict : k.holder_verdict;
      if (side == v.verdict) continue;
      side = v.verdict;
      NEMIS_TRY(c.Query(k.source == province ? kSetIncoming : kSetHolder,
                        {k.id, v.verdict, std::string(now)}));
      ++report.recorded;
      NEMIS_TRY(Settle(c, cipher, k, now, report));
    }
    return {};
  }));
  return report;
}

Status DecideDispute(db::Database& db, const crypto::FieldCipher& cipher, int64_t conflict_id,
                     std::string_view winner, std::string_view now,
                     db::WriteAttachment* attachment) {
  return db.WithWriter(
      [&](db::Connection& c) -> Status {
        NEMIS_ASSIGN_OR_RETURN(Conflict k, Load(c, conflict_id, ""));
        if (k.state == "resolved")
          return Error::Conflict("conflict_resolved", "该冲突已裁定，不能再改");
        if (winner != k.source && winner != k.holder_province)
          return Error::Invalid(
              {{"winner", "not_a_party",
                "保留学籍的省须是冲突的一方（" + k.holder_province + " 或 " + k.source + "）"}});
        return Resolve(c, cipher, k, std::string(winner), now);
      },
      attachment);
}

}  // namespace nemis::exchange
