#include "exchange/division_feed.hpp"

#include "codes/division.hpp"

namespace nemis::exchange {
namespace {

using Json = nlohmann::json;

Error BadAnswer(const std::string& at, std::string_view why) {
  return Error::BadRequest("bad_answer", "国家节点的区划变更有误：" + at + " " + std::string(why));
}

// One change of the answer; every member is required and text but `seq`.
Result<org::DivisionChangeRecord> ChangeOf(const Json& j, const std::string& at) {
  if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_integer() ||
      j["seq"].get<int64_t>() < 1)
    return BadAnswer(at, "须有正整数 seq");
  org::DivisionChangeRecord r;
  r.seq = j["seq"].get<int64_t>();
  std::string kind;
  const std::pair<const char*, std::string*> texts[] = {{"kind", &kind},
                                                        {"code", &r.change.code},
                                                        {"name", &r.change.name},
                                                        {"successor", &r.change.successor},
                                                        {"effectiveOn", &r.effective_on},
                                                        {"reference", &r.reference},
                                                        {"recordedAt", &r.recorded_at}};
  for (const auto& [key, out] : texts) {
    if (!j.contains(key) || !j[key].is_string()) return BadAnswer(at + "." + key, "须为文字");
    *out = j[key].get<std::string>();
  }
  // Absent from a national node older than the split (each school to the one successor).
  if (j.contains("schoolSuccessors")) {
    const Json& moves = j["schoolSuccessors"];
    if (!moves.is_object()) return BadAnswer(at + ".schoolSuccessors", "须为对象");
    for (const auto& [school, successor] : moves.items()) {
      if (!successor.is_string()) {
        std::string field = at;
        field.append(".schoolSuccessors.").append(school);
        return BadAnswer(field, "须为区划代码");
      }
      r.school_successors.emplace(school, successor.get<std::string>());
    }
  }
  auto parsed = codes::ParseDivisionChangeKind(kind);
  if (!parsed) return BadAnswer(at + ".kind", "须为 add、rename 或 retire");
  r.change.kind = *parsed;
  if (!codes::DivisionLevelOf(r.change.code)) return BadAnswer(at + ".code", "不是区划代码");
  return r;
}

}  // namespace

nlohmann::ordered_json DivisionChangeToJson(const org::DivisionChangeRecord& r) {
  return {{"seq", r.seq},
          {"kind", codes::DivisionChangeKindId(r.change.kind)},
          {"code", r.change.code},
          {"name", r.change.name},
          {"successor", r.change.successor},
          {"effectiveOn", r.effective_on},
          {"reference", r.reference},
          {"recordedAt", r.recorded_at},
          {"receivedAt", r.received_at},
          {"schoolSuccessors", r.school_successors}};
}

Result<DivisionFeed> ReadDivisionFeed(db::Database& db, int64_t after) {
  // One more than given tells whether more follow.
  NEMIS_ASSIGN_OR_RETURN(auto changes,
                         org::DivisionChangesAfter(db, after, kDivisionFeedLimit + 1));
  DivisionFeed feed;
  feed.complete = changes.size() <= kDivisionFeedLimit;
  if (!feed.complete) changes.resize(kDivisionFeedLimit);
  feed.changes = std::move(changes);
  return feed;
}

std::string DivisionFeedToJson(const DivisionFeed& feed) {
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  for (const auto& r : feed.changes) changes.push_back(DivisionChangeToJson(r));
  return nlohmann::ordered_json{{"changes", std::move(changes)}, {"complete", feed.complete}}
      .dump();
}

Result<DivisionFeed> DivisionFeedFromJson(std::string_view text) {
  const Json j = Json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("changes") || !j["changes"].is_array() ||
      !j.contains("complete") || !j["complete"].is_boolean())
    return BadAnswer("", "应答须为 {\"changes\": [...], \"complete\": true|false}");
  DivisionFeed feed;
  feed.complete = j["complete"].get<bool>();
  for (const Json& item : j["changes"]) {
    NEMIS_ASSIGN_OR_RETURN(auto r,
                           ChangeOf(item, "changes[" + std::to_string(feed.changes.size()) + "]"));
    feed.changes.push_back(std::move(r));
  }
  return feed;
}

}  // namespace nemis::exchange
