#include "exchange/conflict_register.hpp"

#include <nlohmann/json.hpp>

#include "exchange/change_record.hpp"
#include "registry/student_replica.hpp"

namespace nemis::exchange {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kConflicts =
    "SELECT id, kind, state, created_at, source, record, holder_province, holder_id, "
    "COALESCE(incoming_verdict, ''), COALESCE(holder_verdict, ''), COALESCE(winner, ''), "
    "COALESCE(resolved_at, '') FROM exchange_conflict WHERE ($1 = '' OR state = $1) "
    "ORDER BY created_at DESC, id DESC LIMIT $2";

Json SideJson(const ConflictSide& s) {
  const NationalView& v = s.view;
  return {{"province", s.province},      {"verdict", s.verdict}, {"schoolCode", v.school_code},
          {"schoolName", v.school_name}, {"stage", v.stage},     {"grade", v.grade},
          {"status", v.status},          {"name", v.masked_name}};
}

// The holder's side: its copy on this node (replaced by the incoming registration when the
// conflict resolved that way, which then shows here).
Result<NationalView> HolderView(db::Connection& c, const crypto::FieldCipher& cipher, int64_t id) {
  NEMIS_ASSIGN_OR_RETURN(
      auto held, registry::LoadStudentsForExchange(c, cipher, std::span<const int64_t>(&id, 1)));
  if (held.empty()) return NationalView{};
  return NationalViewOf(c, held[0]);
}

Result<ConflictEntry> EntryOf(db::Connection& c, const crypto::FieldCipher& cipher,
                              const db::Row& r) {
  ConflictEntry e;
  e.id = r.Int(0);
  e.kind = r.Text(1);
  e.state = r.Text(2);
  e.since = r.Text(3);
  NEMIS_ASSIGN_OR_RETURN(registry::Student incoming, OpenStudentRecord(cipher, r.Text(5)));
  NEMIS_ASSIGN_OR_RETURN(NationalView incoming_view, NationalViewOf(c, incoming));
  e.incoming = {r.Text(4), r.Text(8), std::move(incoming_view)};
  NEMIS_ASSIGN_OR_RETURN(NationalView holder_view, HolderView(c, cipher, r.Int(7)));
  e.holder = {r.IsNull(6) ? holder_view.province_code : r.Text(6), r.Text(9),
              std::move(holder_view)};
  e.winner = r.Text(10);
  e.resolved_at = r.Text(11);
  return e;
}

}  // namespace

Result<std::vector<ConflictEntry>> ListConflicts(db::Database& db,
                                                 const crypto::FieldCipher& cipher,
                                                 std::string_view state, int64_t limit) {
  if (!state.empty() && state != "open" && state != "disputed" && state != "resolved")
    return Error::Invalid({{"state", "bad_state", "state 须为 open、disputed 或 resolved"}});
  return db.Read<std::vector<ConflictEntry>>(
      [&](db::Connection& c) -> Result<std::vector<ConflictEntry>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kConflicts, {std::string(state), limit}));
        std::vector<ConflictEntry> out;
        out.reserve(rs.rows.size());
        for (const db::Row& r : rs.rows) {
          NEMIS_ASSIGN_OR_RETURN(ConflictEntry e, EntryOf(c, cipher, r));
          out.push_back(std::move(e));
        }
        return out;
      });
}

Json ConflictEntryToJson(const ConflictEntry& e) {
  Json j = {{"id", e.id},
            {"kind", e.kind},
            {"state", e.state},
            {"since", e.since},
            {"incoming", SideJson(e.incoming)},
            {"holder", SideJson(e.holder)}};
  if (!e.winner.empty()) {
    j["winner"] = e.winner;
    j["resolvedAt"] = e.resolved_at;
  }
  return j;
}

}  // namespace nemis::exchange
