#include "stats/submission_snapshot.hpp"

#include <algorithm>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"

namespace nemis::stats {
namespace {

using Json = nlohmann::json;

Json CellJson(const FormCell& cell) {
  if (cell.not_applicable) return "-";
  if (!cell.value) return nullptr;
  return *cell.value;
}

Json CodesOf(const std::vector<FormLine>& lines) {
  Json codes = Json::array();
  for (const auto& line : lines) codes.push_back(line.code);
  return codes;
}

Json FormSnapshotJson(const FormTable& t) {
  Json cells = Json::array();
  for (const auto& row : t.cells) {
    Json values = Json::array();
    for (const auto& cell : row) values.push_back(CellJson(cell));
    cells.push_back(std::move(values));
  }
  return {{"id", t.form->id},
          {"rows", CodesOf(t.form->rows)},
          {"columns", CodesOf(t.form->columns)},
          {"cells", std::move(cells)}};
}

Error Bad(const std::string& field, const std::string& message) {
  return Error::Invalid({{field, "bad_snapshot", message}}, "报表快照格式不对");
}

// A form of the snapshot back as a table; its layout must be the compiled-in form's.
Result<FormTable> FormFromJson(const Json& j, Date point, const std::string& at) {
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string())
    return Bad(at + ".id", "缺少报表编号");
  const FormDefinition* form = FindForm(j["id"].get<std::string>());
  if (form == nullptr) return Bad(at + ".id", "本节点没有报表 " + j["id"].get<std::string>());
  if (j.value("rows", Json()) != CodesOf(form->rows) ||
      j.value("columns", Json()) != CodesOf(form->columns))
    return Bad(at, "报表 " + form->id + " 的行列与本节点的报表定义不同");
  const Json& cells = j.value("cells", Json());
  if (!cells.is_array() || cells.size() != form->rows.size()) return Bad(at + ".cells", "行数不对");
  FormTable t;
  t.form = form;
  t.as_of = point;
  t.period_from = Date{point.year - 1, form->point_month, form->point_day};
  t.period_to = Date::FromDaysSinceEpoch(point.DaysSinceEpoch() - 1);
  for (size_t r = 0; r < cells.size(); ++r) {
    if (!cells[r].is_array() || cells[r].size() != form->columns.size())
      return Bad(at + ".cells[" + std::to_string(r) + "]", "栏数不对");
    std::vector<FormCell> row;
    for (const Json& v : cells[r]) {
      FormCell cell;
      if (v.is_number_integer())
        cell.value = v.get<int64_t>();
      else if (v.is_string() && v.get<std::string>() == "-")
        cell.not_applicable = true;
      else if (!v.is_null())
        return Bad(at + ".cells[" + std::to_string(r) + "]", "格子应为整数、null 或 \"-\"");
      row.push_back(cell);
    }
    t.cells.push_back(std::move(row));
  }
  return t;
}

void AddCells(FormTable& into, const FormTable& part) {
  for (size_t r = 0; r < into.cells.size(); ++r) {
    for (size_t c = 0; c < into.cells[r].size(); ++c) {
      FormCell& cell = into.cells[r][c];
      const FormCell& add = part.cells[r][c];
      if (cell.value && add.value)
        *cell.value += *add.value;
      else
        cell.value.reset();
    }
  }
}

size_t CatalogueIndex(const FormDefinition* form) {
  const auto& all = Forms();
  return static_cast<size_t>(
      std::find_if(all.begin(), all.end(), [&](const FormDefinition& f) { return &f == form; }) -
      all.begin());
}

}  // namespace

Date PointOfYear(int year) { return Date{year, kPointMonth, kPointDay}; }

bool CountsAnyone(const FormTable& t) {
  for (const auto& row : t.cells)
    for (const auto& cell : row)
      if (cell.value && *cell.value > 0) return true;
  return false;
}

Json SnapshotJson(const Snapshot& s) {
  Json forms = Json::array();
  for (const auto& t : s.forms) forms.push_back(FormSnapshotJson(t));
  return {{"year", s.year},
          {"org", s.org_code},
          {"pointInTime", s.point.ToIso()},
          {"students", s.students},
          {"schools", s.schools},
          {"schoolsWithoutStudents", s.schools_without_students},
          {"forms", std::move(forms)}};
}

Result<Snapshot> SnapshotFromJson(const Json& j) {
  if (!j.is_object()) return Bad("snapshot", "快照应为 JSON 对象");
  Snapshot s;
  try {
    s.year = j.at("year").get<int>();
    s.org_code = j.at("org").get<std::string>();
    s.students = j.at("students").get<int64_t>();
    s.schools = j.at("schools").get<int64_t>();
    s.schools_without_students = j.at("schoolsWithoutStudents").get<std::vector<std::string>>();
  } catch (const Json::exception& e) {
    return Bad("snapshot", std::string("缺少或类型不对的字段：") + e.what());
  }
  s.point = PointOfYear(s.year);
  if (j.value("pointInTime", "") != s.point.ToIso())
    return Bad("snapshot.pointInTime", "统计时点应为 " + s.point.ToIso());
  const Json& forms = j.value("forms", Json::array());
  for (size_t i = 0; i < forms.size(); ++i) {
    NEMIS_ASSIGN_OR_RETURN(
        FormTable t, FormFromJson(forms[i], s.point, "snapshot.forms[" + std::to_string(i) + "]"));
    t.org_code = s.org_code;
    RunChecks(t);
    s.forms.push_back(std::move(t));
  }
  return s;
}

Snapshot SumSnapshots(int year, const std::string& org_code, const std::vector<Snapshot>& parts) {
  Snapshot sum;
  sum.year = year;
  sum.org_code = org_code;
  sum.point = PointOfYear(year);
  for (const Snapshot& part : parts) {
    sum.students += part.students;
    sum.schools += part.schools;
    sum.schools_without_students.insert(sum.schools_without_students.end(),
                                        part.schools_without_students.begin(),
                                        part.schools_without_students.end());
    for (const FormTable& t : part.forms) {
      auto it = std::find_if(sum.forms.begin(), sum.forms.end(),
                             [&](const FormTable& f) { return f.form == t.form; });
      if (it == sum.forms.end()) {
        sum.forms.push_back(t);
        sum.forms.back().org_code = org_code;
      } else {
        AddCells(*it, t);
      }
    }
  }
  std::sort(sum.schools_without_students.begin(), sum.schools_without_students.end());
  std::sort(sum.forms.begin(), sum.forms.end(), [](const FormTable& a, const FormTable& b) {
    return CatalogueIndex(a.form) < CatalogueIndex(b.form);
  });
  for (FormTable& t : sum.forms) RunChecks(t);
  return sum;
}

std::string SubmissionText(const Json& snapshot,
                           const std::map<std::string, std::string>& explanations) {
  return Json{{"snapshot", snapshot}, {"explanations", explanations}}.dump();
}

std::string SubmissionDigest(const Json& snapshot,
                             const std::map<std::string, std::string>& explanations) {
  return crypto::ToHex(crypto::Sm3(SubmissionText(snapshot, explanations)));
}

}  // namespace nemis::stats
