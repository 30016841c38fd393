#include "exchange/transfer_relay.hpp"

#include "base/date.hpp"
#include "base/log.hpp"
#include "crypto/encoding.hpp"
#include "exchange/change_record.hpp"
#include "exchange/national_id.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_replica.hpp"

namespace nemis::exchange {
namespace {

constexpr std::string_view kKnown =
    "SELECT 1 FROM exchange_transfer WHERE to_province = $1 AND to_case_id = $2";
// A refused request asked again (its province did not hear the refusal, or heard of it no
// longer: it tells again what the national node seems to have forgotten) is told again: the
// refusal counts from now for the 30 days it is answered.
constexpr std::string_view kRefusalAskedAgain =
    "UPDATE exchange_transfer SET updated_at = $3 WHERE to_province = $1 AND to_case_id = $2 "
    "AND state = 'refused'";
constexpr std::string_view kHolder =
    "SELECT id, province_code FROM student WHERE number_index = $1";
// The receiving province registered the child too (another number, the same document): one
// person, one number is settled first (conflict_cases.hpp), or the child would arrive twice.
constexpr std::string_view kRegisteredThere =
    "SELECT 1 FROM exchange_conflict WHERE holder_id = $1 AND source = $2 AND state <> "
    "'resolved'";
constexpr std::string_view kUnderWay =
    "SELECT 1 FROM exchange_transfer WHERE number_index = $1 AND state IN ('requested', "
    "'released')";
constexpr std::string_view kInsert =
    "INSERT INTO exchange_transfer (id, to_province, to_case_id, from_province, number_index, "
    "request, state, comment, created_at, updated_at) "
    "VALUES ($9, $1, $2, $3, $4, $5, $6, $7, $8, $8)";
constexpr std::string_view kLoad =
    "SELECT from_province, to_province, number_index, state, created_at FROM exchange_transfer "
    "WHERE id = $1";
constexpr std::string_view kRelease =
    "UPDATE exchange_transfer SET state = 'released', record = $2, updated_at = $3 "
    "WHERE id = $1 AND state = 'requested'";
constexpr std::string_view kRefuse =
    "UPDATE exchange_transfer SET state = 'refused', comment = $2, updated_at = $3 "
    "WHERE id = $1 AND state = 'requested'";
constexpr std::string_view kWithdrawn =
    "UPDATE exchange_transfer SET state = 'withdrawn', comment = $2, updated_at = $3 "
    "WHERE id = $1 AND state = 'requested'";
// A withdrawal is taken once, while the sending province may still close its case.
constexpr std::string_view kAskWithdrawal =
    "UPDATE exchange_transfer SET withdrawal = $3, updated_at = $4 WHERE to_province = $1 "
    "AND to_case_id = $2 AND state = 'requested' AND withdrawal IS NULL";
constexpr std::string_view kProgress =
    "UPDATE exchange_transfer SET progress = $3 WHERE id = $1 AND from_province = $2 "
    "AND state = 'requested'";
constexpr std::string_view kComplete =
    "UPDATE exchange_transfer SET state = 'completed', record = NULL, updated_at = $3 "
    "WHERE id = $1 AND to_province = $2 AND state = 'released'";
constexpr std::string_view kAskedOf =
    "SELECT id, to_province, request, created_at, withdrawal FROM exchange_transfer "
    "WHERE from_province = $1 AND state = 'requested' ORDER BY created_at, id";
// Refusals and withdrawals are told for 30 days: the receiving province closes its case on the
// first.
constexpr std::string_view kOutcomes =
    "SELECT id, to_case_id, state, comment, record, progress FROM exchange_transfer "
    "WHERE to_province = $1 AND (state IN ('requested', 'released') "
    "OR (state IN ('refused', 'withdrawn') AND updated_at >= $2)) ORDER BY created_at, to_case_id";
constexpr std::string_view kAwaiting =
    "SELECT from_province, created_at, progress FROM exchange_transfer WHERE state = 'requested'";
constexpr std::string_view kInTransit =
    "SELECT to_province, COUNT(*), MIN(updated_at) FROM exchange_transfer "
    "WHERE state = 'released' GROUP BY to_province";
constexpr std::string_view kLatest =
    "SELECT from_province, to_province FROM exchange_transfer WHERE number_index = $1 "
    "AND state IN ('released', 'completed') ORDER BY created_at DESC, id DESC LIMIT 1";

std::string Seal(const crypto::FieldCipher& cipher, const std::string& text) {
  return crypto::Base64UrlEncode(cipher.Seal(text));
}

// Free text on a transfer (a refusal's comment, a withdrawal's reason) may name the child, so it
// is sealed at rest like the request. Rows written before were kept in clear: what does not open
// (not base64url, or not sealed with this node's key) is read as it is.
std::string SealFreeText(const crypto::FieldCipher& cipher, const std::string& text) {
  return text.empty() ? text : Seal(cipher, text);
}

std::string OpenFreeText(const crypto::FieldCipher& cipher, const std::string& stored) {
  if (stored.empty()) return stored;
  auto bytes = crypto::Base64UrlDecode(stored);
  if (!bytes.ok()) return stored;
  auto text = cipher.Open(*bytes);
  return text.ok() ? *text : stored;
}

Result<TransferAsk> OpenAsk(const crypto::FieldCipher& cipher, const std::string& sealed) {
  NEMIS_ASSIGN_OR_RETURN(std::string bytes, crypto::Base64UrlDecode(sealed));
  NEMIS_ASSIGN_OR_RETURN(std::string text, cipher.Open(bytes));
  return AskFromText(text);
}

struct Relaying {
  db::Connection& c;
  const crypto::FieldCipher& cipher;
  std::string province;
  std::string now;
  RelayCounts taken;
};

// Why the national copy does not bear the request out, or "" when it does.
Result<std::string> RefusalOf(Relaying& r, const TransferAsk& a, const std::string& index) {
  if (a.from_province == r.province) return std::string("转出省与转入省相同");
  NEMIS_ASSIGN_OR_RETURN(auto holder, r.c.Query(kHolder, {index}));
  bool matches = !holder.rows.empty() && holder.rows[0].Text(1) == a.from_province;
  if (matches) {
    const int64_t id = holder.rows[0].Int(0);
    NEMIS_ASSIGN_OR_RETURN(auto found, registry::LoadStudentsForExchange(
                                           r.c, r.cipher, std::span<const int64_t>(&id, 1)));
    matches = !found.empty() && found[0].name == a.name;
  }
  if (!matches)
    return std::string("国家节点未找到该生在转出省的学籍（学籍号与姓名须与转出省登记的一致）");
  NEMIS_ASSIGN_OR_RETURN(auto twice,
                         r.c.Query(kRegisteredThere, {holder.rows[0].Int(0), r.province}));
  if (!twice.rows.empty())
    return std::string("该生在转入省已有另一学籍（跨省重复学籍核查未办结），须先办结核查");
  NEMIS_ASSIGN_OR_RETURN(auto under_way, r.c.Query(kUnderWay, {index}));
  if (!under_way.rows.empty()) return std::string("该生已有在办的跨省转学");
  return std::string();
}

Status TakeRequest(Relaying& r, const TransferAsk& a) {
  NEMIS_ASSIGN_OR_RETURN(auto known, r.c.Query(kKnown, {r.province, a.case_id}));
  if (!known.rows.empty()) {
    NEMIS_TRY(r.c.Query(kRefusalAskedAgain, {r.province, a.case_id, r.now}));
    return {};
  }
  const std::string index = registry::NumberIndex(r.cipher, a.student_number);
  NEMIS_ASSIGN_OR_RETURN(std::string refusal, RefusalOf(r, a, index));
  NEMIS_TRY(
      r.c.Query(kInsert, {r.province, a.case_id, a.from_province, index,
                          Seal(r.cipher, AskToText(a)), refusal.empty() ? "requested" : "refused",
                          SealFreeText(r.cipher, refusal), r.now, NewNationalId()}));
  ++(refusal.empty() ? r.taken.requested : r.taken.refused_at_once);
  return {};
}

Status TakeVerdict(Relaying& r, const TransferVerdict& v, size_t i) {
  NEMIS_ASSIGN_OR_RETURN(auto rows, r.c.Query(kLoad, {v.id}));
  // Not asked of this province, or not the request the province was told of (unknown here, or
  // its id taken again, after this node was restored from an older backup): nothing to change,
  // and refusing the whole post would hold up the rest.
  if (rows.rows.empty() || rows.rows[0].Text(0) != r.province ||
      (!v.since.empty() && v.since != rows.rows[0].Text(4))) {
    log::Warn("exchange_transfer_verdict_unknown", {{"transfer", v.id}, {"province", r.province}});
    ++r.taken.unknown;
    return {};
  }
  if (rows.rows[0].Text(3) != "requested") return {};  // taken before
  if (v.verdict == "refused" || v.verdict == "withdrawn") {
    NEMIS_TRY(r.c.Query(v.verdict == "refused" ? kRefuse : kWithdrawn,
                        {v.id, SealFreeText(r.cipher, v.comment), r.now}));
    ++(v.verdict == "refused" ? r.taken.refused : r.taken.withdrawn);
    return {};
  }
  if (registry::NumberIndex(r.cipher, v.student->student_number) != rows.rows[0].Text(2))
    return Error::Invalid({{"verdicts[" + std::to_string(i) + "].record", "other_student",
                            "放行的学生记录不是所申请转学的学生"}},
                          "跨省转学报文有误");
  NEMIS_TRY(r.c.Query(kRelease, {v.id, SealStudentRecord(r.cipher, {0, *v.student}), r.now}));
  ++r.taken.released;
  return {};
}

// Requests before withdrawals: a case withdrawn before its request was taken carries both.
Status Take(Relaying& r, const TransferPost& post) {
  for (const TransferAsk& a : post.requests) NEMIS_TRY(TakeRequest(r, a));
  for (const TransferWithdrawal& w : post.withdrawals) {
    NEMIS_ASSIGN_OR_RETURN(
        auto asked, r.c.Query(kAskWithdrawal,
                              {r.province, w.case_id, SealFreeText(r.cipher, w.reason), r.now}));
    r.taken.withdrawals += static_cast<int>(asked.affected);
  }
  for (size_t i = 0; i < post.verdicts.size(); ++i) NEMIS_TRY(TakeVerdict(r, post.verdicts[i], i));
  for (const TransferProgress& p : post.progress) {
    NEMIS_ASSIGN_OR_RETURN(auto told, r.c.Query(kProgress, {p.id, r.province, ProgressToText(p)}));
    r.taken.progress += static_cast<int>(told.affected);
  }
  for (int64_t id : post.completions) {
    NEMIS_ASSIGN_OR_RETURN(auto done, r.c.Query(kComplete, {id, r.province, r.now}));
    r.taken.completed += static_cast<int>(done.affected);
  }
  return {};
}

Result<TransferAnswer> AnswerFor(db::Connection& c, const crypto::FieldCipher& cipher,
                                 std::string_view province, std::string_view refused_since) {
  TransferAnswer answer;
  NEMIS_ASSIGN_OR_RETURN(auto asked, c.Query(kAskedOf, {province}));
  for (const db::Row& row : asked.rows) {
    NEMIS_ASSIGN_OR_RETURN(TransferAsk ask, OpenAsk(cipher, row.Text(2)));
    ask.case_id = 0;  // the receiving node's own, not told to the sending one
    answer.incoming.push_back({row.Int(0), row.Text(1), std::move(ask), row.Text(3),
                               row.IsNull(4) ? "" : OpenFreeText(cipher, row.Text(4))});
  }
  NEMIS_ASSIGN_OR_RETURN(auto mine, c.Query(kOutcomes, {province, refused_since}));
  for (const db::Row& row : mine.rows) {
    TransferOutcome o{row.Int(0),   row.Int(1),  row.Text(2), OpenFreeText(cipher, row.Text(3)),
                      std::nullopt, std::nullopt};
    if (o.state == "released") {
      NEMIS_ASSIGN_OR_RETURN(o.student, OpenStudentRecord(cipher, row.Text(4)));
    }
    if (o.state == "requested" && !row.IsNull(5)) {
      NEMIS_ASSIGN_OR_RETURN(o.progress, ProgressFromText(row.Text(5)));
      o.progress->id = o.id;
    }
    answer.outcomes.push_back(std::move(o));
  }
  return answer;
}

}  // namespace

Result<RelayResult> RelayTransfers(db::Database& db, const crypto::FieldCipher& cipher,
                                   std::string_view province, const TransferPost& post,
                                   std::string_view now) {
  RelayResult result;
  if (!post.empty()) {
    NEMIS_ASSIGN_OR_RETURN(result.taken,
                           db.Write<RelayCounts>([&](db::Connection& c) -> Result<RelayCounts> {
                             Relaying r{c, cipher, std::string(province), std::string(now), {}};
                             NEMIS_TRY(Take(r, post));
                             return r.taken;
                           }));
  }
  const std::string refused_since =
      FormatUtc(ParseUtc(now).value_or(Clock::System().Now()) - std::chrono::hours(24 * 30));
  NEMIS_ASSIGN_OR_RETURN(result.answer, db.Read<TransferAnswer>([&](db::Connection& c) {
    return AnswerFor(c, cipher, province, refused_since);
  }));
  return result;
}

Result<std::map<std::string, ProvinceTransfers>> TransfersByProvince(db::Database& db, Date today) {
  using Counts = std::map<std::string, ProvinceTransfers>;
  return db.Read<Counts>([today](db::Connection& c) -> Result<Counts> {
    Counts out;
    NEMIS_ASSIGN_OR_RETURN(auto awaiting, c.Query(kAwaiting, {}));
    for (const db::Row& r : awaiting.rows) {
      ProvinceTransfers& t = out[r.Text(0)];
      ++t.awaiting;
      if (t.awaiting_since.empty() || r.Text(1) < t.awaiting_since) t.awaiting_since = r.Text(1);
      if (r.IsNull(2)) continue;
      auto progress = ProgressFromText(r.Text(2));
      if (progress.ok() && today > ParseIsoDate(progress->due_on).value_or(today)) ++t.overdue;
    }
    NEMIS_ASSIGN_OR_RETURN(auto in_transit, c.Query(kInTransit, {}));
    for (const db::Row& r : in_transit.rows) {
      out[r.Text(0)].in_transit = r.Int(1);
      out[r.Text(0)].in_transit_since = r.Text(2);
    }
    return out;
  });
}

Result<bool> TransferredBetween(db::Connection& c, std::string_view number_index,
                                std::string_view from, std::string_view to) {
  NEMIS_ASSIGN_OR_RETURN(auto rows, c.Query(kLatest, {number_index}));
  return !rows.rows.empty() && rows.rows[0].Text(0) == from && rows.rows[0].Text(1) == to;
}

Result<bool> TransferredAwayFrom(db::Connection& c, std::string_view number_index,
                                 std::string_view from) {
  NEMIS_ASSIGN_OR_RETURN(auto rows, c.Query(kLatest, {number_index}));
  return !rows.rows.empty() && rows.rows[0].Text(0) == from;
}

}  // namespace nemis::exchange
