#include "exchange/conflict_notices.hpp"

#include <nlohmann/json.hpp>

#include "exchange/change_record.hpp"
#include "registry/student_replica.hpp"

namespace nemis::exchange {
namespace {

// The holder is this node's copy of a student; the incoming record stays sealed in the row.
constexpr std::string_view kOpenConflicts =
    "SELECT id, kind, source, record, created_at, holder_id, state, incoming_verdict, "
    "holder_verdict FROM exchange_conflict "
    "WHERE state IN ('open', 'disputed') AND (source = $1 OR holder_province = $1) "
    "ORDER BY created_at, id LIMIT $2";
constexpr std::string_view kResolved =
    "SELECT id, winner FROM exchange_conflict WHERE state = 'resolved' AND resolved_at >= $2 "
    "AND (source = $1 OR holder_province = $1) ORDER BY created_at, id";

}  // namespace

nlohmann::json NoticeToJson(const ConflictNotice& n) {
  const NationalView& o = n.other;
  return {{"id", n.id},
          {"kind", n.kind},
          {"side", n.side},
          {"studentNumber", n.student_number},
          {"since", n.since},
          {"state", n.state},
          {"verdict", n.verdict},
          {"other",
           {{"provinceCode", o.province_code},
            {"schoolCode", o.school_code},
            {"schoolName", o.school_name},
            {"stage", o.stage},
            {"grade", o.grade},
            {"status", o.status},
            {"name", o.masked_name}}}};
}

namespace {

Result<ConflictNotice> NoticeFrom(const nlohmann::json& j, size_t index) {
  const auto bad = [index] {
    return Error::BadRequest("bad_answer",
                             "冲突清单第 " + std::to_string(index + 1) + " 项格式有误");
  };
  if (!j.is_object() || !j.contains("other") || !j["other"].is_object()) return bad();
  try {
    const nlohmann::json& o = j["other"];
    return ConflictNotice{
        j.at("id").get<int64_t>(),
        j.at("kind").get<std::string>(),
        j.at("side").get<std::string>(),
        j.at("studentNumber").get<std::string>(),
        {o.at("provinceCode").get<std::string>(), o.at("schoolCode").get<std::string>(),
         o.at("schoolName").get<std::string>(), o.at("stage").get<std::string>(),
         o.at("status").get<std::string>(), o.at("grade").get<int>(),
         o.at("name").get<std::string>()},
        j.at("since").get<std::string>(),
        j.at("state").get<std::string>(),
        j.value("verdict", "")};
  } catch (const nlohmann::json::exception&) {
    return bad();
  }
}

}  // namespace

std::string ConflictsToJson(const ReportedConflicts& reported) {
  nlohmann::json items = nlohmann::json::array();
  for (const ConflictNotice& n : reported.items) items.push_back(NoticeToJson(n));
  nlohmann::json resolved = nlohmann::json::array();
  for (const ConflictOutcome& o : reported.resolved)
    resolved.push_back({{"id", o.id}, {"winner", o.winner}});
  return nlohmann::json{{"items", std::move(items)},
                        {"complete", reported.complete},
                        {"resolved", std::move(resolved)}}
      .dump();
}

Result<ReportedConflicts> ConflictsFromJson(std::string_view payload) {
  nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("items") || !j["items"].is_array() || !j.contains("complete") ||
      !j["complete"].is_boolean())
    return Error::BadRequest("bad_answer", "冲突清单不是 {\"items\": [...], \"complete\": ...}");
  ReportedConflicts out;
  out.complete = j["complete"].get<bool>();
  for (size_t i = 0; i < j["items"].size(); ++i) {
    NEMIS_ASSIGN_OR_RETURN(ConflictNotice n, NoticeFrom(j["items"][i], i));
    out.items.push_back(std::move(n));
  }
  if (!j.contains("resolved") || !j["resolved"].is_array())
    return Error::BadRequest("bad_answer", "冲突清单缺少 resolved");
  for (const nlohmann::json& o : j["resolved"]) {
    if (!o.is_object() || !o.contains("id") || !o["id"].is_number_integer() ||
        !o.contains("winner") || !o["winner"].is_string())
      return Error::BadRequest("bad_answer", "冲突清单的 resolved 格式有误");
    out.resolved.push_back({o["id"].get<int64_t>(), o["winner"].get<std::string>()});
  }
  return out;
}

Result<ReportedConflicts> ConflictsFor(db::Database& db, const crypto::FieldCipher& cipher,
                                       std::string_view province, int64_t limit,
                                       std::string_view resolved_since) {
  return db.Read<ReportedConflicts>([&](db::Connection& c) -> Result<ReportedConflicts> {
    ReportedConflicts out;
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kOpenConflicts, {std::string(province), limit + 1}));
    out.complete = static_cast<int64_t>(rs.rows.size()) <= limit;
    if (!out.complete) rs.rows.erase(rs.rows.begin() + limit, rs.rows.end());
    for (const db::Row& r : rs.rows) {
      NEMIS_ASSIGN_OR_RETURN(registry::Student incoming, OpenStudentRecord(cipher, r.Text(3)));
      const int64_t holder_id = r.Int(5);
      NEMIS_ASSIGN_OR_RETURN(auto held, registry::LoadStudentsForExchange(
                                            c, cipher, std::span<const int64_t>(&holder_id, 1)));
      if (held.empty()) continue;
      const bool ours_came_second = r.Text(2) == province;
      const registry::Student& ours = ours_came_second ? incoming : held[0];
      const registry::Student& theirs = ours_came_second ? held[0] : incoming;
      NEMIS_ASSIGN_OR_RETURN(NationalView other, NationalViewOf(c, theirs));
      const size_t our_verdict = ours_came_second ? 7 : 8;
      out.items.push_back({r.Int(0), r.Text(1), ours_came_second ? "incoming" : "holder",
                           ours.student_number, std::move(other), r.Text(4), r.Text(6),
                           r.IsNull(our_verdict) ? "" : r.Text(our_verdict)});
    }
    NEMIS_ASSIGN_OR_RETURN(
        auto done, c.Query(kResolved, {std::string(province), std::string(resolved_since)}));
    for (const db::Row& r : done.rows) out.resolved.push_back({r.Int(0), r.Text(1)});
    return out;
  });
}

}  // namespace nemis::exchange
