// /api/v1/stats/students: counts at any level grouped by any dimensions, now or as of a
// past day; /api/v1/stats/forms: the statistical forms, filled in for an institution.
#include <charconv>
#include <filesystem>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/caller.hpp"
#include "api/student_counts.hpp"
#include "api/student_json.hpp"
#include "api/student_viewer_of.hpp"
#include "http/url.hpp"
#include "identity/permissions.hpp"
#include "registry/student_stats.hpp"
#include "stats/filtered_counts.hpp"
#include "stats/form_output.hpp"
#include "stats/form_xlsx.hpp"
#include "stats/measures.hpp"
#include "stats/stats_engine.hpp"

namespace nemis::api {
namespace {

namespace perm = identity::perm;

// Now (student_counts.hpp), or as of a past day from the engine only (the store keeps the
// history, not a GROUP BY of it).
Result<registry::StatsResult> Count(ApiContext& ctx, const Caller& caller,
                                    const registry::StatsQuery& q, std::optional<Date> as_of) {
  if (!as_of) return CountStudentsNow(ctx, caller.scope, q);
  stats::StatsEngine* engine = ctx.stats_engine;
  if (engine == nullptr || !engine->ready())
    return Error::Unavailable("统计引擎正在加载，暂不能按历史日期统计，请稍后再试");
  return engine->CountStudentsAsOf(caller.scope, q, *as_of);
}

Json KeyJson(const db::Value& v) {
  if (auto i = std::get_if<int64_t>(&v)) return *i;
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto d = std::get_if<double>(&v)) return *d;
  return nullptr;
}

// Each row's keys and students ("count"), with its classes and schools when asked; the
// totals likewise (a class or school once).
Json MeasuredJson(const std::vector<registry::StatsDimension>& by,
                  const std::vector<stats::Measure>& measures, const stats::Measured& m) {
  const auto asked = [&](stats::Measure x) {
    return std::find(measures.begin(), measures.end(), x) != measures.end();
  };
  const bool classes = asked(stats::Measure::kClasses), schools = asked(stats::Measure::kSchools);
  Json rows = Json::array();
  for (const auto& row : m.rows) {
    Json r = Json::object();
    for (size_t i = 0; i < by.size(); ++i)
      r[std::string(registry::DimensionName(by[i]))] = KeyJson(row.keys[i]);
    r["count"] = row.students;
    if (classes) r["classes"] = row.classes;
    if (schools) r["schools"] = row.schools;
    rows.push_back(std::move(r));
  }
  Json out = {{"org", m.org_code}, {"total", m.students}, {"rows", std::move(rows)}};
  if (classes) out["classes"] = m.classes;
  if (schools) out["schools"] = m.schools;
  return out;
}

http::Response Stats(ApiContext& ctx, http::Request& req, const Caller& caller) {
  registry::StatsQuery q;
  q.org_code = std::string(req.Query("org").value_or(""));
  auto by = registry::ParseDimensions(req.Query("by").value_or(""));
  if (!by.ok()) return ErrorJson(by.error(), req);
  q.by = std::move(*by);
  auto status = req.Query("status").value_or("current");
  if (status != "current" && status != "all")
    return ErrorJson(
        Error::BadRequest("bad_parameter", "status 应为 current（在校生，默认）或 all"), req);
  q.all_statuses = status == "all";
  std::optional<Date> as_of;
  if (auto text = req.Query("asOf")) {
    as_of = ParseIsoDate(*text);
    if (!as_of)
      return ErrorJson(Error::BadRequest("bad_parameter", "asOf 应为日期 YYYY-MM-DD"), req);
  }
  auto where = stats::ParseFilter(req.Query("filter").value_or(""));
  if (!where.ok()) return ErrorJson(where.error(), req);
  auto measures = stats::ParseMeasures(req.Query("measures").value_or(""));
  if (!measures.ok()) return ErrorJson(measures.error(), req);
  auto result = stats::CountMeasured(q, *where, *measures, [&](const registry::StatsQuery& wide) {
    return Count(ctx, caller, wide, as_of);
  });
  if (!result.ok()) return ErrorJson(result.error(), req);
  return JsonResponse(200, MeasuredJson(q.by, *measures, *result));
}

http::Response FormList() {
  Json forms = Json::array();
  for (const auto& f : stats::Forms())
    forms.push_back({{"id", f.id}, {"aliases", f.aliases}, {"title", f.title}});
  return JsonResponse(200, {{"items", std::move(forms)}});
}

// A form's point in time (asOf; by default the last 1 September) and the engine to fill it
// from, caught up first when the registry now is asked (today or later).
Result<std::pair<stats::StatsEngine*, Date>> FormPointInTime(ApiContext& ctx, http::Request& req,
                                                             const stats::FormDefinition& form) {
  const Date today = ctx.clock.TodayInChina();
  std::optional<Date> as_of =
      stats::PointInTimeOf(form, Date::FromDaysSinceEpoch(today.DaysSinceEpoch() - 1));
  if (auto text = req.Query("asOf")) as_of = ParseIsoDate(*text);
  if (!as_of) return Error::BadRequest("bad_parameter", "asOf 应为日期 YYYY-MM-DD");
  stats::StatsEngine* engine = ctx.stats_engine;
  if (engine == nullptr || !engine->ready())
    return Error::Unavailable("统计引擎正在加载，报表暂不可用，请稍后再试");
  if (*as_of >= today) NEMIS_TRY(engine->CatchUp());
  return std::pair{engine, *as_of};
}

// The form filled in for `org` as of `asOf` (default: the last 1 September; today: the
// registry now), as JSON or, format=csv, the form's grid as a file.
http::Response Form(ApiContext& ctx, http::Request& req, const Caller& caller) {
  const std::string& id = req.PathParam("form");
  const stats::FormDefinition* form = stats::FindForm(id);
  if (form == nullptr) return ErrorJson(Error::NotFound("没有报表 " + id), req);
  const std::string format(req.Query("format").value_or("json"));
  if (format != "json" && format != "csv" && format != "xlsx")
    return ErrorJson(Error::BadRequest("bad_parameter", "format 应为 json、csv 或 xlsx"), req);
  auto at = FormPointInTime(ctx, req, *form);
  if (!at.ok()) return ErrorJson(at.error(), req);
  auto [engine, as_of] = *at;
  auto table =
      engine->FillForm(caller.scope, *form, std::string(req.Query("org").value_or("")), as_of);
  if (!table.ok()) return ErrorJson(table.error(), req);
  if (format == "json") return JsonResponse(200, stats::FormJson(*table));
  http::Response r{.status = 200};
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = stats::FormCsv(*table);
  } else {
    auto book = stats::FormXlsx(*table, std::filesystem::temp_directory_path().string());
    if (!book.ok()) return ErrorJson(book.error(), req);
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::move(*book);
  }
  // An ASCII name for old clients, the form's own in RFC 5987 form for the rest.
  const std::string name = table->org_code + "-" + table->as_of.ToIso() + "." + format;
  r.SetHeader("Content-Disposition", "attachment; filename=\"form-" + name +
                                         "\"; filename*=UTF-8''" + http::PercentEncode(form->id) +
                                         "-" + name);
  return r;
}

// The index of the line coded `code` (a row's or a column's), if the form has it.
std::optional<size_t> LineIndex(const std::vector<stats::FormLine>& lines, std::string_view code) {
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i].code == code) return i;
  return std::nullopt;
}

// The form of the path and the cell of the query (`row`, `column` codes), as indexes.
struct FormCellRef {
  const stats::FormDefinition* form;
  size_t row, column;
};
Result<FormCellRef> CellOf(const http::Request& req) {
  const std::string& id = req.PathParam("form");
  const stats::FormDefinition* form = stats::FindForm(id);
  if (form == nullptr) return Error::NotFound("没有报表 " + id);
  const auto row = LineIndex(form->rows, req.Query("row").value_or(""));
  const auto column = LineIndex(form->columns, req.Query("column").value_or(""));
  if (!row || !column)
    return Error::BadRequest("bad_parameter", "row 与 column 应为报表中的行代码与栏目代码");
  return FormCellRef{form, *row, *column};
}

// Drill-down: one cell of the form for each child institution of `org`.
http::Response FormCell(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto cell = CellOf(req);
  if (!cell.ok()) return ErrorJson(cell.error(), req);
  const auto [form, row, column] = *cell;
  const stats::FormLine& r = form->rows[row];
  const stats::FormLine& c = form->columns[column];
  if (r.unavailable || c.unavailable)
    return ErrorJson(Error::BadRequest("cell_not_computed",
                                       "该单元格学籍数据不能计算：" +
                                           r.unavailable.value_or(c.unavailable.value_or(""))),
                     req);
  auto at = FormPointInTime(ctx, req, *form);
  if (!at.ok()) return ErrorJson(at.error(), req);
  auto [engine, as_of] = *at;
  auto drilled = engine->CellByChild(
      caller.scope, *form, std::string(req.Query("org").value_or("")), as_of, row, column);
  if (!drilled.ok()) return ErrorJson(drilled.error(), req);
  Json items = Json::array();
  for (const auto& child : drilled->children)
    items.push_back({{"org", child.org_code},
                     {"name", child.name},
                     {"value", stats::FormCellJson(child.cell)}});
  return JsonResponse(200, {{"form", form->id},
                            {"org", drilled->org_code},
                            {"asOf", as_of.ToIso()},
                            {"row", r.code},
                            {"column", c.code},
                            {"value", stats::FormCellJson(drilled->cell)},
                            {"children", std::move(items)}});
}

// The students behind a cell of a students form, a page at a time, as the caller may see
// them (masked unless its role shows personal data; each disclosure audited); students
// counted then but now at a school outside the caller's scope are left out and counted.
http::Response CellStudents(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto cell = CellOf(req);
  if (!cell.ok()) return ErrorJson(cell.error(), req);
  const auto [form, row, column] = *cell;
  auto offset = IntParam(req, "offset", 0, 0, 1000000000);
  if (!offset.ok()) return ErrorJson(offset.error(), req);
  auto limit = IntParam(req, "limit", 50, 1, 500);
  if (!limit.ok()) return ErrorJson(limit.error(), req);
  auto at = FormPointInTime(ctx, req, *form);
  if (!at.ok()) return ErrorJson(at.error(), req);
  auto [engine, as_of] = *at;
  auto page = engine->StudentsInCell(caller.scope, *form,
                                     std::string(req.Query("org").value_or("")), as_of, row, column,
                                     static_cast<size_t>(*offset), static_cast<size_t>(*limit));
  if (!page.ok()) return ErrorJson(page.error(), req);
  auto students = ctx.students.ListByIds(StudentViewerOf(req, caller), page->ids);
  if (!students.ok()) return ErrorJson(students.error(), req);
  JsonWriter w;
  w.BeginObject()
      .Field("form", form->id)
      .Field("asOf", as_of.ToIso())
      .Field("row", form->rows[row].code)
      .Field("column", form->columns[column].code)
      .Field("total", page->total)
      .Field("offset", *offset)
      .Field("hidden", static_cast<int64_t>(page->ids.size() - students->size()))
      .BeginArray("items");
  for (const auto& s : *students) WriteStudent(w, s);
  w.EndArray().EndObject();
  http::Response r;
  r.body = w.Take();
  WarnIfUnaudited(r, *students);
  return r;
}

// The indicators at the last `years` points in time (1 September), oldest first.
http::Response IndicatorRoute(ApiContext& ctx, http::Request& req, const Caller& caller) {
  int years = 3;
  if (auto text = req.Query("years")) {
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), years);
    if (ec != std::errc() || end != text->data() + text->size() || years < 1 || years > 10)
      return ErrorJson(Error::BadRequest("bad_parameter", "years 应为 1 到 10 的整数"), req);
  }
  stats::StatsEngine* engine = ctx.stats_engine;
  if (engine == nullptr || !engine->ready())
    return ErrorJson(Error::Unavailable("统计引擎正在加载，指标暂不可用，请稍后再试"), req);
  const Date today = ctx.clock.TodayInChina();
  const Date last = stats::PointInTimeOf(stats::kPointMonth, stats::kPointDay,
                                         Date::FromDaysSinceEpoch(today.DaysSinceEpoch() - 1));
  std::vector<Date> points;
  for (int i = years - 1; i >= 0; --i) points.push_back(Date{last.year - i, last.month, last.day});
  const std::string org(req.Query("org").value_or(""));
  auto trend = engine->Indicators(caller.scope, org, points);
  if (!trend.ok()) return ErrorJson(trend.error(), req);
  Json dates = Json::array(), items = Json::array();
  for (const Date& d : points) dates.push_back(d.ToIso());
  for (const auto& s : trend->series) {
    Json values = Json::array();
    for (const auto& v : s.values) values.push_back(v ? Json(*v) : Json(nullptr));
    items.push_back({{"id", s.indicator->id},
                     {"name", s.indicator->name},
                     {"unit", s.indicator->unit},
                     {"formula", s.indicator->formula},
                     {"values", std::move(values)}});
  }
  return JsonResponse(200,
                      {{"org", org}, {"points", std::move(dates)}, {"items", std::move(items)}});
}

}  // namespace

void AddStatsRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "GET", "/api/v1/stats/students", Access::Needs(perm::kStatsView),
              [&ctx](http::Request& req, const Caller& c) { return Stats(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/stats/forms", Access::Needs(perm::kStatsView),
              [](http::Request&, const Caller&) { return FormList(); });
  AddApiRoute(router, ctx, "GET", "/api/v1/stats/forms/{form}", Access::Needs(perm::kStatsView),
              [&ctx](http::Request& req, const Caller& c) { return Form(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/stats/indicators", Access::Needs(perm::kStatsView),
              [&ctx](http::Request& req, const Caller& c) { return IndicatorRoute(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/stats/forms/{form}/cells/students",
              Access::Needs(perm::kStudentView),
              [&ctx](http::Request& req, const Caller& c) { return CellStudents(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/stats/forms/{form}/cells",
              Access::Needs(perm::kStatsView),
              [&ctx](http::Request& req, const Caller& c) { return FormCell(ctx, req, c); });
}

}  // namespace nemis::api
