#include "exchange/transfer_messages.hpp"

#include <nlohmann/json.hpp>

#include "base/date.hpp"
#include "base/text.hpp"
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

constexpr size_t kMaxReasonChars = 200;

Result<TransferWithdrawal> WithdrawalOf(const Json& j, const std::string& at) {
  TransferWithdrawal w;
  if (!j.is_object() || !Integer(j, "caseId", w.case_id)) return BadItem(at, "caseId", "须为整数");
  if (!Text(j, "reason", w.reason) || w.reason.empty() || !IsCleanText(w.reason) ||
      Utf8Length(w.reason) > kMaxReasonChars)
    return BadItem(at, "reason", "须为不超过 200 个字符的文本");
  return w;
}

Json ProgressJson(const TransferProgress& p) {
  return {{"step", p.step},
          {"steps", p.steps},
          {"stepName", p.step_name},
          {"since", p.since},
          {"dueOn", p.due_on}};
}

// Everything but the id.
Status ProgressFields(const Json& j, const std::string& at, TransferProgress& p) {
  int64_t step = -1, steps = 0;
  if (!Integer(j, "steps", steps) || steps < 1 || steps > 20)
    return BadItem(at, "steps", "须为 1 至 20 的整数");
  if (!Integer(j, "step", step) || step < 0 || step >= steps)
    return BadItem(at, "step", "须为小于 steps 的非负整数");
  p.step = static_cast<int>(step);
  p.steps = static_cast<int>(steps);
  if (!Text(j, "stepName", p.step_name) || p.step_name.empty() || !IsCleanText(p.step_name) ||
      Utf8Length(p.step_name) > 40)
    return BadItem(at, "stepName", "须为不超过 40 个字符的文本");
  if (!Text(j, "since", p.since) || !ParseIsoDate(p.since))
    return BadItem(at, "since", "须为日期 YYYY-MM-DD");
  if (!Text(j, "dueOn", p.due_on) || !ParseIsoDate(p.due_on))
    return BadItem(at, "dueOn", "须为日期 YYYY-MM-DD");
  return {};
}

Result<TransferProgress> ProgressOf(const Json& j, const std::string& at) {
  TransferProgress p;
  if (!j.is_object() || !Integer(j, "id", p.id)) return BadItem(at, "id", "须为整数");
  NEMIS_TRY(ProgressFields(j, at, p));
  return p;
}

Result<TransferVerdict> VerdictOf(const Json& j, const std::string& at) {
  TransferVerdict v;
  if (!j.is_object() || !Integer(j, "id", v.id)) return BadItem(at, "id", "须为整数");
  if (!Text(j, "verdict", v.verdict) ||
      (v.verdict != "released" && v.verdict != "refused" && v.verdict != "withdrawn"))
    return BadItem(at, "verdict", "须为 released、refused 或 withdrawn");
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

std::string ProgressToText(const TransferProgress& progress) {
  return ProgressJson(progress).dump();
}

Result<TransferProgress> ProgressFromText(std::string_view text) {
  const Json j = Json::parse(text, nullptr, false);
  TransferProgress p;
  if (!j.is_object()) return BadItem("progress", "step", "须为对象");
  NEMIS_TRY(ProgressFields(j, "progress", p));
  return p;
}

std::string PostToJson(const TransferPost& post) {
  Json requests = Json::array(), verdicts = Json::array(), completions = Json::array();
  Json withdrawals = Json::array(), progress = Json::array();
  for (const TransferAsk& a : post.requests) requests.push_back(AskJson(a));
  for (const TransferWithdrawal& w : post.withdrawals)
    withdrawals.push_back({{"caseId", w.case_id}, {"reason", w.reason}});
  for (const TransferProgress& p : post.progress) {
    Json j = {{"id", p.id}};
    j.update(ProgressJson(p));
    progress.push_back(std::move(j));
  }
  for (const TransferVerdict& v : post.verdicts) {
    Json j = {{"id", v.id}, {"verdict", v.verdict}, {"comment", v.comment}, {"since", v.since}};
    if (v.student) j["record"] = StudentJson(*v.student);
    verdicts.push_back(std::move(j));
  }
  for (int64_t id : post.completions) completions.push_back(id);
  return Json{{"requests", requests},
              {"withdrawals", withdrawals},
              {"verdicts", verdicts},
              {"progress", progress},
              {"completions", completions}}
      .dump();
}

Result<TransferPost> PostFromJson(std::string_view text) {
  Json body = Json::parse(text, nullptr, false);
  if (!body.is_object()) return Error::BadRequest("malformed_json", "请求体应为 JSON 对象");
  TransferPost post;
  NEMIS_TRY(Items(body, "requests", post.requests, AskOf));
  NEMIS_TRY(Items(body, "withdrawals", post.withdrawals, WithdrawalOf));
  NEMIS_TRY(Items(body, "verdicts", post.verdicts, VerdictOf));
  NEMIS_TRY(Items(body, "progress", post.progress, ProgressOf));
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
    Json j = {{"id", t.id},
              {"toProvince", t.to_province},
              {"since", t.since},
              {"request", std::move(ask)}};
    if (!t.withdrawal.empty()) j["withdrawal"] = t.withdrawal;
    incoming.push_back(std::move(j));
  }
  for (const TransferOutcome& o : answer.outcomes) {
    Json j = {{"id", o.id}, {"caseId", o.case_id}, {"state", o.state}, {"comment", o.comment}};
    if (o.student) j["record"] = StudentJson(*o.student);
    if (o.progress) j["progress"] = ProgressJson(*o.progress);
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
        !Text(item, "withdrawal", t.withdrawal) || !item.contains("request"))
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
    if (item.contains("progress")) {
      TransferProgress p;
      Status read = ProgressFields(item["progress"], "progress", p);
      if (!read.ok()) return BadAnswer(read.error().message);
      p.id = o.id;
      o.progress = std::move(p);
    }
    answer.outcomes.push_back(std::move(o));
  }
  return answer;
}

}  // namespace nemis::exchange
