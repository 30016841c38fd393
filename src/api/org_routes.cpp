// /api/v1/orgs: the organisation tree.
#include <set>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/caller.hpp"
#include "codes/code_tables.hpp"
#include "identity/permissions.hpp"

namespace nemis::api {
namespace {

namespace perm = identity::perm;

Json OptionalJson(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

Json InstitutionJson(const org::Institution& i) {
  Json j = {{"code", i.code},
            {"level", org::OrgLevelId(i.level)},
            {"parentCode", i.parent_code.empty() ? Json(nullptr) : Json(i.parent_code)},
            {"name", i.name},
            {"provinceCode", OptionalJson(i.province_code)},
            {"cityCode", OptionalJson(i.city_code)},
            {"countyCode", OptionalJson(i.county_code)},
            {"category", OptionalJson(i.category)},
            {"schoolType", OptionalJson(i.school_type)},
            {"sponsor", OptionalJson(i.sponsor)},
            {"urbanRural", OptionalJson(i.urban_rural)},
            {"address", OptionalJson(i.address)},
            {"longitude", i.longitude ? Json(*i.longitude) : Json(nullptr)},
            {"latitude", i.latitude ? Json(*i.latitude) : Json(nullptr)},
            {"open", i.open},
            {"version", i.version},
            {"createdAt", i.created_at},
            {"updatedAt", i.updated_at}};
  if (i.urban_rural) j["urbanRuralClass"] = codes::UrbanRuralClass(*i.urban_rural);
  return j;
}

http::Response InstitutionResponse(int status, const org::Institution& i) {
  http::Response r = JsonResponse(status, InstitutionJson(i));
  r.SetHeader("ETag", VersionTag(i.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/orgs/" + i.code);
  return r;
}

http::Response PageOf(const org::OrgPage& page) {
  return PageResponse(page.items, page.next, InstitutionJson);
}

// Reads the institution fields of a body; a field of the wrong JSON type is a 422.
Result<org::InstitutionInput> InstitutionInputFrom(const Json& body) {
  org::InstitutionInput in;
  std::vector<FieldError> errors;
  auto text = [&](const char* name, std::optional<std::string>& out) {
    if (!body.contains(name) || body[name].is_null()) return;
    if (body[name].is_string())
      out = body[name].get<std::string>();
    else
      errors.push_back({name, "bad_type", std::string(name) + " 应为字符串"});
  };
  auto number = [&](const char* name, std::optional<double>& out) {
    if (!body.contains(name) || body[name].is_null()) return;
    if (body[name].is_number())
      out = body[name].get<double>();
    else
      errors.push_back({name, "bad_type", std::string(name) + " 应为数字"});
  };
  static const std::set<std::string> kKnown = {"code",       "parentCode", "name",       "category",
                                               "schoolType", "sponsor",    "urbanRural", "address",
                                               "longitude",  "latitude",   "open"};
  for (const auto& [key, value] : body.items())
    if (!kKnown.contains(key)) errors.push_back({key, "unknown_field", "未知字段 " + key});
  text("code", in.code);
  text("parentCode", in.parent_code);
  text("name", in.name);
  text("category", in.category);
  text("schoolType", in.school_type);
  text("sponsor", in.sponsor);
  text("urbanRural", in.urban_rural);
  text("address", in.address);
  number("longitude", in.longitude);
  number("latitude", in.latitude);
  if (body.contains("open") && !body["open"].is_null()) {
    if (body["open"].is_boolean())
      in.open = body["open"].get<bool>();
    else
      errors.push_back({"open", "bad_type", "open 应为 true 或 false"});
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return in;
}

}  // namespace

void AddOrgRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "GET", "/api/v1/orgs/{code}", Access::Needs(perm::kOrgView),
              [&ctx](http::Request& req, const Caller& caller) {
                auto inst = ctx.orgs.Get(caller.scope, req.PathParam("code"));
                return inst.ok() ? InstitutionResponse(200, *inst) : ErrorJson(inst.error(), req);
              });
  AddApiRoute(router, ctx, "GET", "/api/v1/orgs/{code}/children", Access::Needs(perm::kOrgView),
              [&ctx](http::Request& req, const Caller& caller) {
                auto limit = IntParam(req, "limit", 100, 1, 500);
                if (!limit.ok()) return ErrorJson(limit.error(), req);
                auto page = ctx.orgs.Children(caller.scope, req.PathParam("code"), *limit,
                                              req.Query("after").value_or(""));
                return page.ok() ? PageOf(*page) : ErrorJson(page.error(), req);
              });
  AddApiRoute(router, ctx, "GET", "/api/v1/orgs", Access::Needs(perm::kOrgView),
              [&ctx](http::Request& req, const Caller& caller) {
                auto limit = IntParam(req, "limit", 50, 1, 500);
                if (!limit.ok()) return ErrorJson(limit.error(), req);
                org::OrgSearch q{std::string(req.Query("within").value_or("")),
                                 std::string(req.Query("q").value_or("")), std::nullopt, *limit,
                                 std::string(req.Query("after").value_or(""))};
                if (auto level = req.Query("level")) {
                  q.level = org::ParseOrgLevel(*level);
                  if (!q.level)
                    return ErrorJson(
                        Error::BadRequest("bad_parameter",
                                          "level 应为 national、province、city、county 或 school"),
                        req);
                }
                auto page = ctx.orgs.Search(caller.scope, q);
                return page.ok() ? PageOf(*page) : ErrorJson(page.error(), req);
              });
  AddApiRoute(router, ctx, "POST", "/api/v1/orgs", Access::Needs(perm::kOrgCreate),
              [&ctx](http::Request& req, const Caller& caller) {
                auto body = ParseJsonObject(req);
                if (!body.ok()) return ErrorJson(body.error(), req);
                auto input = InstitutionInputFrom(*body);
                if (!input.ok()) return ErrorJson(input.error(), req);
                auto inst = ctx.orgs.Create(caller.scope, *input, caller.write);
                return inst.ok() ? InstitutionResponse(201, *inst) : ErrorJson(inst.error(), req);
              });
  AddApiRoute(router, ctx, "PATCH", "/api/v1/orgs/{code}", Access::Needs(perm::kOrgUpdate),
              [&ctx](http::Request& req, const Caller& caller) {
                auto version = RequiredIfMatch(req);
                if (!version.ok()) return ErrorJson(version.error(), req);
                auto body = ParseJsonObject(req);
                if (!body.ok()) return ErrorJson(body.error(), req);
                auto input = InstitutionInputFrom(*body);
                if (!input.ok()) return ErrorJson(input.error(), req);
                auto inst = ctx.orgs.Update(caller.scope, req.PathParam("code"), *input, *version,
                                            caller.write);
                return inst.ok() ? InstitutionResponse(200, *inst) : ErrorJson(inst.error(), req);
              });
  // 学校隶属关系调整: a school and its students under another county of the province.
  AddApiRoute(
      router, ctx, "POST", "/api/v1/orgs/{code}/move", Access::Needs(perm::kOrgUpdate),
      [&ctx](http::Request& req, const Caller& caller) {
        auto version = RequiredIfMatch(req);
        if (!version.ok()) return ErrorJson(version.error(), req);
        auto body = ParseJsonObject(req);
        if (!body.ok()) return ErrorJson(body.error(), req);
        const std::string parent = MemberText(*body, "parentCode");
        if (parent.empty())
          return ErrorJson(Error::Invalid({{"parentCode", "required", "请选择划入的区县"}}), req);
        auto inst = ctx.orgs.MoveSchool(caller.scope, req.PathParam("code"), parent, *version,
                                        caller.write);
        return inst.ok() ? InstitutionResponse(200, *inst) : ErrorJson(inst.error(), req);
      });
}

}  // namespace nemis::api
