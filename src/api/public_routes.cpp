#include "api/public_routes.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include "api/api_json.hpp"
#include "api/caller.hpp"
#include "api/public_cache.hpp"
#include "api/public_figures.hpp"
#include "api/public_throttle.hpp"
#include "api/student_counts.hpp"
#include "codes/code_tables.hpp"
#include "codes/stage.hpp"
#include "org/public_directory.hpp"
#include "registry/public_counts.hpp"
#include "registry/student_stats.hpp"

namespace nemis::api {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;
constexpr size_t kMaxQueryChars = 50;

// What the public routes share: their settings, the answers kept and the buckets.
struct PublicApi {
  explicit PublicApi(ApiContext& ctx)
      : ctx(ctx),
        throttle(
            {ctx.config.GetInt("public.rate_per_minute"), ctx.config.GetInt("public.burst"),
             static_cast<size_t>(std::max<int64_t>(1, ctx.config.GetInt("public.rate_clients")))}),
        cache(std::chrono::seconds(ctx.config.GetInt("public.cache_seconds")),
              static_cast<size_t>(std::max<int64_t>(0, ctx.config.GetInt("public.cache_mb")))
                  << 20),
        trusted_proxies(ParseTrustedProxies(ctx.config.GetString("public.trusted_proxies"))),
        cache_control("public, max-age=" +
                      std::to_string(ctx.config.GetInt("public.max_age_seconds"))),
        min_cell(ctx.config.GetInt("public.stats_min_cell")),
        round_to(ctx.config.GetInt("public.stats_round_to")),
        min_schools(ctx.config.GetInt("public.stats_min_schools")),
        node_code(ctx.config.GetString("node.code")) {}

  ApiContext& ctx;
  PublicThrottle throttle;
  PublicCache cache;
  std::vector<std::string> trusted_proxies;
  std::string cache_control;
  int64_t min_cell;
  int64_t round_to;
  int64_t min_schools;
  std::string node_code;
};

bool IsDigits(std::string_view s, size_t length) {
  return s.size() == length &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

size_t Utf8Chars(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Error BadParameter(const std::string& name, const std::string& message) {
  return {ErrorKind::kBadRequest, "bad_parameter", message, {{name, "bad_parameter", message}}};
}

// A division code given in `name`, if well-formed (the store decides whether it exists).
Result<std::optional<std::string>> DivisionParam(const http::Request& req,
                                                 const std::string& name) {
  auto text = req.Query(name);
  if (!text || text->empty()) return std::optional<std::string>();
  if (!IsDigits(*text, 6))
    return BadParameter(name, "参数 " + name + " 应为 6 位行政区划代码，例如 440106");
  return std::optional<std::string>(std::string(*text));
}

// The open division `code` named by parameter `name`: 404 unknown_region otherwise.
Result<org::Institution> Division(db::Database& db, const std::string& name,
                                  const std::string& code) {
  NEMIS_ASSIGN_OR_RETURN(auto found, org::FindOpenDivision(db, code));
  if (found) return std::move(*found);
  std::string message = "参数 " + name + "：行政区划 " + code + " 不存在";
  return Error{
      ErrorKind::kNotFound, "unknown_region", message, {{name, "unknown_region", message}}};
}

Json LevelJson(const org::Institution& i) {
  return {{"code", i.code}, {"name", i.name}, {"level", org::OrgLevelId(i.level)}};
}

Json CodeLabel(const std::optional<std::string>& code, const codes::CodeTable& table) {
  if (!code || code->empty()) return nullptr;
  const codes::CodeEntry* entry = table.Find(*code);
  return {{"code", *code}, {"label", entry ? Json(entry->name) : Json(nullptr)}};
}

Json Named(const std::optional<std::string>& code, const std::optional<std::string>& name) {
  if (!code) return nullptr;
  return {{"code", *code}, {"name", name ? Json(*name) : Json(nullptr)}};
}

// The facts every directory entry shows; people are never among them.
Json SchoolJson(const org::PublicSchool& s) {
  const org::Institution& i = s.school;
  Json location = nullptr;
  if (i.longitude && i.latitude)
    location = {{"longitude", *i.longitude}, {"latitude", *i.latitude}};
  return {{"code", i.code},
          {"name", i.name},
          {"category", CodeLabel(i.category, codes::SchoolCategoryCodes())},
          {"schoolType", CodeLabel(i.school_type, codes::SchoolTypeCodes())},
          {"sponsor", CodeLabel(i.sponsor, codes::SponsorCodes())},
          {"address", i.address ? Json(*i.address) : Json(nullptr)},
          {"location", location},
          {"region",
           {{"province", Named(i.province_code, s.province_name)},
            {"city", Named(i.city_code, s.city_name)},
            {"county", Named(i.county_code, s.county_name)}}}};
}

// The stages a school offers: by its 办学类型, else by its category.
std::vector<codes::Stage> StagesOf(const org::Institution& i) {
  using enum codes::Stage;
  if (i.school_type) {
    auto stages = codes::StagesOfSchoolType(*i.school_type);
    if (!stages.empty()) return stages;
  }
  static const std::map<std::string, codes::Stage, std::less<>> kByCategory = {
      {"11", kPreschool},  {"21", kPrimary}, {"22", kPrimary}, {"31", kJunior},
      {"32", kJunior},     {"33", kJunior},  {"34", kSenior},  {"35", kSenior},
      {"36", kVocational}, {"41", kHigher},  {"42", kHigher}};
  if (i.category)
    if (auto it = kByCategory.find(*i.category); it != kByCategory.end()) return {it->second};
  return {};
}

http::Response Fresh(const PublicApi& api, std::string body) {
  http::Response r{.status = 200, .body = std::move(body)};
  r.SetHeader("Cache-Control", api.cache_control);
  return r;
}

// The answer kept under `key`, or `compute`d now and kept (errors are not kept).
http::Response Cached(PublicApi& api, const http::Request& req, const Json& key,
                      const std::function<Result<Json>()>& compute) {
  const std::string k = key.dump();
  if (auto body = api.cache.Get(k, Clock::now())) return Fresh(api, *body);
  auto answer = compute();
  if (!answer.ok()) return ErrorJson(answer.error(), req);
  std::string body = JsonResponse(200, *answer).body;
  api.cache.Put(k, body, Clock::now());
  return Fresh(api, std::move(body));
}

http::Response Regions(PublicApi& api, const http::Request& req) {
  auto parent = DivisionParam(req, "parent");
  if (!parent.ok()) return ErrorJson(parent.error(), req);
  const std::string code = parent->value_or(std::string(org::kNationalCode));
  return Cached(api, req, {"regions", code}, [&]() -> Result<Json> {
    Json parent_json = nullptr;
    if (*parent) {
      NEMIS_ASSIGN_OR_RETURN(auto division, Division(api.ctx.db, "parent", code));
      parent_json = LevelJson(division);
    }
    NEMIS_ASSIGN_OR_RETURN(auto divisions, org::OpenDivisionsUnder(api.ctx.db, code));
    Json items = Json::array();
    for (const auto& d : divisions)
      items.push_back({{"code", d.code},
                       {"name", d.name},
                       {"level", org::OrgLevelId(d.level)},
                       {"hasChildren", d.has_children}});
    return Json{{"parent", parent_json}, {"items", items}};
  });
}

// The directory's parameters, checked and normalised (they are the cache key too).
Result<Json> SchoolQueryKey(const http::Request& req) {
  NEMIS_ASSIGN_OR_RETURN(auto region, DivisionParam(req, "region"));
  std::string category(req.Query("category").value_or(""));
  if (!category.empty() && !codes::SchoolCategoryCodes().Find(category))
    return BadParameter("category", "参数 category 应为 2 位学校类别代码，例如 21（小学）");
  std::string text(Trim(req.Query("q").value_or("")));
  if (Utf8Chars(text) > kMaxQueryChars)
    return BadParameter("q", "参数 q 最长 " + std::to_string(kMaxQueryChars) + " 个字");
  auto limit = IntParam(req, "limit", kDefaultLimit, 1, kMaxLimit);
  if (!limit.ok()) return BadParameter("limit", limit.error().message);
  std::string after(req.Query("after").value_or(""));
  if (!after.empty() && !IsDigits(after, 10))
    return BadParameter("after", "参数 after 应为上一页返回的 next 值（10 位学校标识码）");
  return Json{"schools", region.value_or(""), category, text, *limit, after};
}

http::Response Schools(PublicApi& api, const http::Request& req) {
  auto key = SchoolQueryKey(req);
  if (!key.ok()) return ErrorJson(key.error(), req);
  return Cached(api, req, *key, [&]() -> Result<Json> {
    const Json& k = *key;
    org::PublicSchoolQuery q;
    if (const auto& region = k[1].get_ref<const std::string&>(); !region.empty()) {
      NEMIS_ASSIGN_OR_RETURN(q.region, Division(api.ctx.db, "region", region));
    }
    if (const auto& category = k[2].get_ref<const std::string&>(); !category.empty())
      q.category = category;
    q.text = k[3].get<std::string>();
    q.limit = k[4].get<int>();
    q.after = k[5].get<std::string>();
    NEMIS_ASSIGN_OR_RETURN(auto page, org::FindOpenSchools(api.ctx.db, q));
    Json items = Json::array();
    for (const auto& s : page.items) items.push_back(SchoolJson(s));
    return Json{{"items", items}, {"next", page.next ? Json(*page.next) : Json(nullptr)}};
  });
}

http::Response School(PublicApi& api, const http::Request& req) {
  const std::string& code = req.PathParam("code");
  return Cached(api, req, {"school", code}, [&]() -> Result<Json> {
    std::optional<org::PublicSchool> school;
    if (IsDigits(code, 10)) {
      NEMIS_ASSIGN_OR_RETURN(school, org::FindOpenSchool(api.ctx.db, code));
    }
    if (!school) return Error::NotFound("学校 " + code + " 不存在或已撤销");
    NEMIS_ASSIGN_OR_RETURN(int64_t students,
                           registry::CountStudentsInSchool(api.ctx.db, school->school.id));
    Json json = SchoolJson(*school);
    json["urbanRural"] = CodeLabel(school->school.urban_rural, codes::UrbanRuralCodes());
    Json stages = Json::array();
    for (auto stage : StagesOf(school->school))
      stages.push_back({{"code", codes::StageId(stage)}, {"label", codes::StageName(stage)}});
    json["stages"] = stages;
    StudentBand band = BandOf(students);
    json["studentBand"] = {{"label", band.label},
                           {"min", band.min},
                           {"max", band.max ? Json(*band.max) : Json(nullptr)}};
    return json;
  });
}

// A count as published: withheld, or rounded (public_figures.hpp).
Json CountJson(const PublicApi& api, int64_t count, bool suppressed) {
  return suppressed ? Json(nullptr) : Json(RoundToBase(count, api.round_to));
}

Json CellsJson(const PublicApi& api, std::vector<Cell> cells, bool total_shown) {
  SuppressSmallCells(cells, api.min_cell, total_shown);
  Json out = Json::array();
  for (const auto& c : cells)
    out.push_back({{"code", c.code},
                   {"label", c.label},
                   {"count", CountJson(api, c.count, c.suppressed)},
                   {"suppressed", c.suppressed}});
  return out;
}

// Students of the region by stage and by gender, from one grouped count (the statistics
// engine's, as the staff's counts); nothing of a region of too few schools (`few_schools`).
Result<Json> StudentFigures(PublicApi& api, const org::Institution& region, bool few_schools) {
  registry::StatsQuery q;
  q.org_code = region.code;
  q.by = {registry::StatsDimension::kStage, registry::StatsDimension::kGender};
  NEMIS_ASSIGN_OR_RETURN(auto stats, CountStudentsNow(api.ctx, org::Scope::Everything(), q));
  std::map<int, int64_t> by_stage;  // by codes::Stage order
  std::map<int64_t, int64_t> by_gender;
  std::map<int, std::string> stage_ids;
  for (const auto& row : stats.rows) {
    std::string stage_id = db::Row({row.keys[0]}).Text(0);
    auto stage = codes::ParseStage(stage_id);
    int order = stage ? static_cast<int>(*stage) : 100 + static_cast<int>(stage_ids.size());
    stage_ids.emplace(order, stage_id);
    by_stage[order] += row.count;
    by_gender[db::Row({row.keys[1]}).Int(0)] += row.count;
  }
  const bool total_shown = stats.total >= api.min_cell && !few_schools;
  std::vector<Cell> stages, genders;
  for (const auto& [order, count] : by_stage) {
    auto stage = codes::ParseStage(stage_ids[order]);
    stages.push_back({stage_ids[order], stage ? std::string(codes::StageName(*stage)) : "", count});
  }
  for (const auto& [gender, count] : by_gender) {
    std::string code = std::to_string(gender);
    const codes::CodeEntry* entry = codes::GenderCodes().Find(code);
    genders.push_back({code, entry ? std::string(entry->name) : "", count});
  }
  Json stage_cells = CellsJson(api, std::move(stages), total_shown);
  Json gender_cells = CellsJson(api, std::move(genders), total_shown);
  if (few_schools) {
    for (Json* cells : {&stage_cells, &gender_cells}) {
      for (auto& cell : *cells) {
        cell["count"] = nullptr;
        cell["suppressed"] = true;
      }
    }
  }
  return Json{{"total",
               {{"count", CountJson(api, stats.total, !total_shown)},
                {"suppressed", !total_shown && stats.total > 0}}},
              {"fewSchools", few_schools},
              {"byStage", std::move(stage_cells)},
              {"byGender", std::move(gender_cells)}};
}

// Schools are institutions, not people: their counts are shown whole.
Result<Json> SchoolFigures(PublicApi& api, const org::Institution& region) {
  NEMIS_ASSIGN_OR_RETURN(auto counts, org::CountOpenSchoolsByCategory(api.ctx.db, region));
  int64_t total = 0;
  Json rows = Json::array();
  for (const auto& c : counts) {
    total += c.count;
    const codes::CodeEntry* entry = codes::SchoolCategoryCodes().Find(c.category);
    rows.push_back({{"code", c.category},
                    {"label", entry ? Json(entry->name) : Json(nullptr)},
                    {"count", c.count}});
  }
  return Json{{"total", total}, {"byCategory", rows}};
}

http::Response Stats(PublicApi& api, const http::Request& req) {
  auto region = DivisionParam(req, "region");
  if (!region.ok()) return ErrorJson(region.error(), req);
  const std::string code = region->value_or(api.node_code);
  return Cached(api, req, {"stats", code}, [&]() -> Result<Json> {
    NEMIS_ASSIGN_OR_RETURN(auto division, Division(api.ctx.db, "region", code));
    NEMIS_ASSIGN_OR_RETURN(Json schools, SchoolFigures(api, division));
    const bool few_schools = schools["total"].get<int64_t>() < api.min_schools;
    NEMIS_ASSIGN_OR_RETURN(Json students, StudentFigures(api, division, few_schools));
    return Json{{"region", LevelJson(division)},
                {"minCell", api.min_cell},
                {"roundedTo", std::max<int64_t>(1, api.round_to)},
                {"minSchools", api.min_schools},
                {"students", students},
                {"schools", schools}};
  });
}

// Every public route takes a token of the client's bucket first: 429 when it has none.
ScopedHandler Limited(const std::shared_ptr<PublicApi>& api,
                      http::Response (*handler)(PublicApi&, const http::Request&)) {
  return [api, handler](http::Request& req, const Caller&) {
    if (int64_t wait = api->throttle.Take(ClientAddress(req, api->trusted_proxies), Clock::now()))
      return RateLimited(wait, req);
    return handler(*api, req);
  };
}

}  // namespace

void AddPublicRoutes(http::Router& router, ApiContext& ctx) {
  auto api = std::make_shared<PublicApi>(ctx);
  AddApiRoute(router, ctx, "GET", "/api/v1/public/regions", Access::Public(),
              Limited(api, Regions));
  AddApiRoute(router, ctx, "GET", "/api/v1/public/schools", Access::Public(),
              Limited(api, Schools));
  AddApiRoute(router, ctx, "GET", "/api/v1/public/schools/{code}", Access::Public(),
              Limited(api, School));
  AddApiRoute(router, ctx, "GET", "/api/v1/public/stats", Access::Public(), Limited(api, Stats));
}

}  // namespace nemis::api
