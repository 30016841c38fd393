#include "exchange/transfer_messages.hpp"

#include <nlohmann/json.hpp>

#include "exchange/change_record.hpp"

namespace nemis::exchange {
namespace {

using Json = nlohmann::json;

Json StudentJson(const registry::Student& s) { return RecordToJson({0, s}); }

Result<registry::Student> StudentOf(const Json& j) {
  NEMIS_ASSIGN_OR_RETURN(ChangeRecord record, RecordFromJson(j, 0));
  if (const auto* s = std::get_if<registry::Student>(&record.value)) return *s;
  return Error::BadRequest("bad_record", "record 不是学生");
}

Json AskJson(const TransferAsk& a) {
  return {{"caseId", a.case_id},
          {"fromProvince", a.from_province},
          {"studentNumber", a.student_number},
          {"name", a.name},
          {"toSchool", a.to_school},
          {"toSchoolName", a.to_school_name},
          {"grade", a.grade},
          {"class", a.class_no},
          {"reason", a.reason},
          {"date", a.date}};
}

// The member `key` of `j` as text ("" when absent); false when present and not text.
bool Text(const Json& j, const char* key, std::string& out) {
  if (!j.contains(key)) return true;
  if (!j[key].is_string()) return false;
  out = j[key].get<std::string>();
  return true;
}

bool Integer(const Json& j, const char* key, int64_t& out) {
  if (!j.contains(key) || !j[key].is_number_integer()) return false;
  out = j[key].get<int64_t>();
  return true;
}

// An item's field as the error names it: requests[2].studentNumber.
Error BadItem(const std::string& at, const char* field, std::string_view why) {
  return Error::Invalid({{at + "." + field, "invalid", std::string(why)}}, "跨省转学报文有误");
}

Result<TransferAsk> AskOf(const Json& j, const std::string& at) {
  TransferAsk a;
  if (!j.is_object()) return BadItem(at, "caseId", "每项须为对象");
  if (!Integer(j, "caseId", a.case_id)) return BadItem(at, "caseId", "须为整数");
  int64_t grade = 0;
  if (!Integer(j, "grade", grade)) return BadItem(at, "grade", "须为整数");
  a.grade = static_cast<int>(grade);
  const std::pair<const char*, std::string*> texts[] = {{"fromProvince", &a.from_province},
                                                        {"studentNumber", &a.student_number},
                                                        {"name", &a.name},
                                                        {"toSchool", &a.to_school},
                                                        {"toSchoolName", &a.to_school_name},
                                                        {"class", &a.class_no},
                                                        {"reason", &a.reason},
                                                        {"date", &a.date}};
  for (const auto& [key, out] : texts)
    if (!Text(j, key, *out)) return BadItem(at, key, "须为文字");
  for (const char* key : {"fromProvince", "studentNumber", "name", "toSchool"})
    if (!j.contains(key) || j[key].get<std::string>().empty()) return BadItem(at, key, "不能为空");
  return a;
}

Result<TransferVerdict> VerdictOf(const Json& j, const std::string& at) {
  TransferVerdict v;
  if (!j.is_object() || !Integer(j, "id", v.id)) return BadItem(at, "id", "须为整数");
  if (!Text(j, "verdict", v.verdict) || (v.verdict != "released" && v.verdict != "refused"))
    return BadItem(at, "verdict", "须为 released 或 refused");
  if (!Text(j, "comment", v.comment)) return BadItem(at, "comment", "须为文字");
  if (!Text(j, "since", v.since)) return BadItem(at, "since", "须为文字");
  if (v.verdict == "released") {
    if (!j.contains("record")) return BadItem(at, "record", "放行须附学生记录");
    auto student = StudentOf(j["record"]);
    if (!student.ok()) return BadItem(at, "record", student.error().message);
    v.student = std::move(*student);
  }
  return v;
}

template <class Item, class Parse>
Status Items(const Json& body, const char* key, std::vector<Item>& out, const Parse& parse) {
  if (!body.contains(key)) return {};
  if (!body[key].is_array())
    return Error::Invalid({{key, "invalid", "须为数组"}}, "跨省转学报文有误");
  for (const Json& item : body[key]) {
    NEMIS_ASSIGN_OR_RETURN(Item parsed,
                           parse(item, std::string(key) + "[" + std::to_string(out.size()) + "]"));
    out.push_back(std::move(parsed));
  }
  return {};
}

Error BadAnswer(std::string_view what) {
  return Error::BadRequest("bad_answer", "国家节点的跨省转学应答有误：" + std::string(what));
}

}  // namespace

std::string AskToText(const TransferAsk& ask) { return AskJson(ask).dump(); }

Result<TransferAsk> AskFromText(std::string_view text) {
  return AskOf(Json::parse(text, nullptr, false), "request");
}

std::string PostToJson(const TransferPost& post) {
  Json requests = Json::array(), verdicts = Json::array(), completions = Json::array();
  for (const TransferAsk& a : post.requests) requests.push_back(AskJson(a));
  for (const TransferVerdict& v : post.verdicts) {
    Json j = {{"id", v.id}, {"verdict", v.verdict}, {"comment", v.comment}, {"since", v.since}};
    if (v.student) j["record"] = StudentJson(*v.student);
    verdicts.push_back(std::move(j));
  }
  for (int64_t id : post.completions) completions.push_back(id);
  return Json{{"requests", requests}, {"verdicts", verdicts}, {"completions", completions}}.dump();
}

Result<TransferPost> PostFromJson(std::string_view text) {
  Json body = Json::parse(text, nullptr, false);
  if (!body.is_object()) return Error::BadRequest("malformed_json", "请求体应为 JSON 对象");
  TransferPost post;
  NEMIS_TRY(Items(body, "requests", post.requests, AskOf));
  NEMIS_TRY(Items(body, "verdicts", post.verdicts, VerdictOf));
  NEMIS_TRY(Items(body, "completions", post.completions,
                  [](const Json& j, const std::string& at) -> Result<int64_t> {
                    if (!j.is_number_integer()) return BadItem(at, "id", "须为整数");
                    return j.get<int64_t>();
                  }));
  return post;
}

std::string AnswerToJson(const TransferAnswer& answer) {
  Json incoming = Json::array(), outcomes = Json::array();
  for (const IncomingTransfer& t : answer.incoming) {
    Json ask = AskJson(t.ask);
    ask.erase("caseId");
    incoming.push_back({{"id", t.id},
                        {"toProvince", t.to_province},
                        {"since", t.since},
                        {"request", std::move(ask)}});
  }
  for (const TransferOutcome& o : answer.outcomes) {
    Json j = {{"id", o.id}, {"caseId", o.case_id}, {"state", o.state}, {"comment", o.comment}};
    if (o.student) j["record"] = StudentJson(*o.student);
    outcomes.push_back(std::move(j));
  }
  return Json{{"incoming", incoming}, {"outcomes", outcomes}}.dump();
}

Result<TransferAnswer> AnswerFromJson(std::string_view payload) {
  Json j = Json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("incoming") || !j["incoming"].is_array() ||
      !j.contains("outcomes") || !j["outcomes"].is_array())
    return BadAnswer("须为 {\"incoming\": [...], \"outcomes\": [...]}");
  TransferAnswer answer;
  for (Json& item : j["incoming"]) {
    IncomingTransfer t;
    if (!item.is_object() || !Integer(item, "id", t.id) ||
        !Text(item, "toProvince", t.to_province) || !Text(item, "since", t.since) ||
        !item.contains("request"))
      return BadAnswer("incoming 项缺少 id、toProvince 或 request");
    item["request"]["caseId"] = 0;
    auto ask = AskOf(item["request"], "incoming");
    if (!ask.ok()) return BadAnswer(ask.error().message);
    t.ask = std::move(*ask);
    answer.incoming.push_back(std::move(t));
  }
  for (const Json& item : j["outcomes"]) {
    TransferOutcome o;
    if (!item.is_object() || !Integer(item, "id", o.id) || !Integer(item, "caseId", o.case_id) ||
        !Text(item, "state", o.state) || !Text(item, "comment", o.comment))
      return BadAnswer("outcomes 项缺少 id、caseId 或 state");
    if (item.contains("record")) {
      auto student = StudentOf(item["record"]);
      if (!student.ok()) return BadAnswer(student.error().message);
      o.student = std::move(*student);
    }
    if (o.state == "released" && !o.student) return BadAnswer("放行的转学没有学生记录");
    answer.outcomes.push_back(std::move(o));
  }
  return answer;
}

}  // namespace nemis::exchange
