#include "stats/form_definition.hpp"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "stats/student_codes.hpp"

namespace nemis::stats {

const std::vector<std::string_view>& FormTexts();  // forms_text.cpp, generated

namespace {

using Json = nlohmann::json;
using registry::StatsDimension;

}  // namespace

bool IsNumericDimension(StatsDimension d) {
  switch (d) {
    case StatsDimension::kGrade:
    case StatsDimension::kGender:
    case StatsDimension::kLeftBehind:
    case StatsDimension::kMigrantChild:
    case StatsDimension::kOrphan:
    case StatsDimension::kMartyrChild:
    case StatsDimension::kInRegularClass:
    case StatsDimension::kBoarding:
    case StatsDimension::kBirthYear:
      return true;
    default:
      return false;
  }
}

bool IsNumber(std::string_view term) {
  return !term.empty() &&
         std::all_of(term.begin(), term.end(), [](char c) { return c >= '0' && c <= '9'; });
}

namespace {

bool IsNumber(std::string_view term) {
  return !term.empty() &&
         std::all_of(term.begin(), term.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error Bad(const std::string& where, const std::string& what) {
  return Error::Invalid({{where, "bad_form", where + "：" + what}}, "报表定义有误：" + where);
}

Result<std::vector<db::Value>> Values(const Json& list, StatsDimension d, const std::string& at) {
  if (!list.is_array() || list.empty()) return Bad(at, "应为非空数组");
  std::vector<db::Value> out;
  for (const auto& v : list) {
    if (IsNumericDimension(d) && v.is_number_integer()) {
      out.emplace_back(v.get<int64_t>());
    } else if (!IsNumericDimension(d) && v.is_string()) {
      out.emplace_back(v.get<std::string>());
    } else {
      return Bad(at, IsNumericDimension(d) ? "该维度的值应为整数" : "该维度的值应为代码字符串");
    }
  }
  return out;
}

Result<std::vector<Condition>> Conditions(const Json& where, const std::string& at) {
  std::vector<Condition> out;
  if (where.is_null()) return out;
  if (!where.is_object()) return Bad(at, "应为对象");
  for (const auto& [name, value] : where.items()) {
    std::string field = at;
    field.append(".").append(name);
    auto d = registry::ParseDimension(name);
    if (!d || *d == StatsDimension::kOrg) return Bad(field, "不是可用的维度");
    Condition c;
    c.dimension = *d;
    const bool negated = value.is_object() && value.contains("not");
    NEMIS_ASSIGN_OR_RETURN(c.values, Values(negated ? value["not"] : value, *d, field));
    c.negate = negated;
    out.push_back(std::move(c));
  }
  return out;
}

Result<FormLine> Line(const Json& j, const std::string& at) {
  FormLine line;
  if (!j.contains("code") || !j["code"].is_string()) return Bad(at + ".code", "缺少代码");
  if (!j.contains("name") || !j["name"].is_string()) return Bad(at + ".name", "缺少名称");
  line.code = j["code"];
  line.name = j["name"];
  line.note = j.value("note", "");
  if (j.contains("unavailable")) line.unavailable = j["unavailable"].get<std::string>();
  const std::string measure = j.value("measure", "");
  if (!measure.empty() && measure != "graduates") return Bad(at + ".measure", "只支持 graduates");
  line.graduates = measure == "graduates";
  NEMIS_ASSIGN_OR_RETURN(line.where, Conditions(j.value("where", Json()), at + ".where"));
  if (j.contains("classSize")) {
    const Json& size = j["classSize"];
    if (!size.is_array() || size.size() != 2 || !size[0].is_number_integer() ||
        !(size[1].is_number_integer() || size[1].is_null()))
      return Bad(at + ".classSize", "应为 [最少人数, 最多人数或 null]");
    line.class_size = {
        size[0].get<int64_t>(),
        size[1].is_null() ? std::nullopt : std::optional<int64_t>(size[1].get<int64_t>())};
  }
  for (const auto& code : j.value("notApplicable", Json::array()))
    line.not_applicable.push_back(code.get<std::string>());
  return line;
}

// "C7 = C9 + C10": the codes on each side (without their C/R letter) and the operator.
Result<FormCheck> Check(const Json& j, const std::string& at) {
  FormCheck check;
  check.rule = j.value("rule", "");
  check.source = j.value("source", "");
  check.per_row = j.value("per", "row") == "row";
  check.message = j.value("message", "");
  const std::string severity = j.value("severity", "error");
  if (severity != "error" && severity != "warning")
    return Bad(at + ".severity", "应为 error 或 warning");
  check.warning = severity == "warning";
  const char letter = check.per_row ? 'C' : 'R';
  std::istringstream in(check.rule);
  std::vector<FormCheck::Term>* side = &check.left;
  bool want_term = true;
  for (std::string token; in >> token;) {
    if (want_term && IsNumber(token)) {
      side->push_back({"", static_cast<int64_t>(std::stoll(token))});
    } else if (want_term) {
      if (token.size() < 2 || token[0] != letter)
        return Bad(at + ".rule", std::string("应为 ") + letter + "<代码>：" + token);
      side->push_back({token.substr(1), std::nullopt});
    } else if (token == "=" || token == "<=" || token == ">=") {
      if (!check.op.empty()) return Bad(at + ".rule", "只能有一个比较符");
      check.op = token;
      side = &check.right;
    } else if (token != "+") {
      return Bad(at + ".rule", "不认识 " + token);
    }
    want_term = !want_term;
  }
  if (check.op.empty() || check.left.empty() || check.right.empty() || want_term)
    return Bad(at + ".rule", "应为 “项 比较符 项 + 项 ...”");
  return check;
}

// `check` of every column and row with its place in the file ("columns[2]"), and whether it
// is a column; the first failure.
Status EachLine(const FormDefinition& f,
                const std::function<Status(const std::string& at, const FormLine&, bool)>& check) {
  for (const auto* part : {&f.columns, &f.rows}) {
    const bool column = part == &f.columns;
    for (size_t i = 0; i < part->size(); ++i)
      NEMIS_TRY(check(std::string(column ? "columns" : "rows") + "[" + std::to_string(i) + "]",
                      (*part)[i], column));
  }
  return {};
}

// A classes form counts classes: its lines may name the grade (a class's) and the class
// size, nothing of a pupil's; class sizes are for rows, and graduates are students.
Status CheckClassLines(const FormDefinition& f) {
  return EachLine(f, [](const std::string& at, const FormLine& line, bool column) -> Status {
    for (const auto& c : line.where)
      if (c.dimension != StatsDimension::kGrade)
        return Bad(at + ".where", "班数报表只能按年级（grade）区分");
    if (line.graduates) return Bad(at + ".measure", "班数报表没有毕业生栏目");
    if (line.class_size && column) return Bad(at + ".classSize", "班额只能用于行");
    return {};
  });
}

// A schools form counts schools: its conditions are on a school's own attributes (not the
// child institution, which depends on the root).
Status CheckSchoolLines(const FormDefinition& f) {
  const auto school_own = [](StatsDimension d) {
    return IsSchoolDimension(d) && d != StatsDimension::kOrg;
  };
  for (const auto& c : f.population)
    if (!school_own(c.dimension)) return Bad("population", "学校数报表只能按学校的属性筛选");
  return EachLine(f, [&](const std::string& at, const FormLine& line, bool) -> Status {
    for (const auto& c : line.where)
      if (!school_own(c.dimension))
        return Bad(at + ".where", "学校数报表只能按学校的属性（urbanRural、schoolType 等）区分");
    if (line.graduates || line.class_size) return Bad(at, "学校数报表没有毕业生或班额");
    return {};
  });
}

Result<FormDefinition> Parse(const Json& j) {
  FormDefinition f;
  if (!j.contains("id") || !j["id"].is_string()) return Bad("id", "缺少报表编号");
  f.id = j["id"];
  f.title = j.value("title", "");
  f.source = j.value("source", "");
  f.unit = j.value("unit", "人");
  for (const auto& a : j.value("aliases", Json::array())) f.aliases.push_back(a.get<std::string>());
  const std::string point = j.value("pointInTime", "09-01");
  if (point.size() != 5 || point[2] != '-') return Bad("pointInTime", "应为 MM-DD");
  f.point_month = std::stoi(point.substr(0, 2));
  f.point_day = std::stoi(point.substr(3, 2));
  const std::string measure = j.value("measure", "students");
  if (measure != "students" && measure != "classes" && measure != "schools")
    return Bad("measure", "应为 students、classes 或 schools");
  f.measure = measure == "classes"   ? FormMeasure::kClasses
              : measure == "schools" ? FormMeasure::kSchools
                                     : FormMeasure::kStudents;
  NEMIS_ASSIGN_OR_RETURN(f.population, Conditions(j.value("population", Json()), "population"));
  for (const char* part : {"columns", "rows"}) {
    const Json& lines = j.value(part, Json::array());
    if (lines.empty()) return Bad(part, "不能为空");
    for (size_t i = 0; i < lines.size(); ++i) {
      NEMIS_ASSIGN_OR_RETURN(auto line,
                             Line(lines[i], std::string(part) + "[" + std::to_string(i) + "]"));
      (std::string(part) == "columns" ? f.columns : f.rows).push_back(std::move(line));
    }
  }
  if (f.measure == FormMeasure::kClasses) NEMIS_TRY(CheckClassLines(f));
  if (f.measure == FormMeasure::kSchools) NEMIS_TRY(CheckSchoolLines(f));
  const Json& checks = j.value("checks", Json::array());
  for (size_t i = 0; i < checks.size(); ++i) {
    NEMIS_ASSIGN_OR_RETURN(auto check, Check(checks[i], "checks[" + std::to_string(i) + "]"));
    for (const auto* side : {&check.left, &check.right})
      for (const auto& term : *side) {
        if (term.constant) continue;
        const auto& lines = check.per_row ? f.columns : f.rows;
        if (std::none_of(lines.begin(), lines.end(),
                         [&](const FormLine& l) { return l.code == term.code; }))
          return Bad("checks[" + std::to_string(i) + "].rule",
                     "没有代码为 " + term.code + " 的栏目");
      }
    f.checks.push_back(std::move(check));
  }
  return f;
}

}  // namespace

bool Condition::Matches(const db::Value& v) const {
  const bool in = std::find(values.begin(), values.end(), v) != values.end();
  return in != negate;
}

Result<FormDefinition> ParseForm(std::string_view json) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Bad("(文件)", "不是 JSON 对象");
  try {
    return Parse(j);
  } catch (const Json::exception& e) {  // a field of the wrong JSON type
    return Bad("(文件)", e.what());
  }
}

const std::vector<FormDefinition>& Forms() {
  static const std::vector<FormDefinition> forms = [] {
    std::vector<FormDefinition> out;
    for (std::string_view text : FormTexts()) {
      auto f = ParseForm(text);
      // The files are compiled in and tested (form_definition_test.cpp): a bad one is a bug.
      if (!f.ok()) throw std::logic_error("bad compiled-in form: " + f.error().message);
      out.push_back(std::move(*f));
    }
    return out;
  }();
  return forms;
}

const FormDefinition* FindForm(std::string_view id_or_alias) {
  for (const auto& f : Forms()) {
    if (f.id == id_or_alias) return &f;
    for (const auto& a : f.aliases)
      if (a == id_or_alias) return &f;
  }
  return nullptr;
}

}  // namespace nemis::stats
