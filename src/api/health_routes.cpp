// Operations endpoints: liveness, readiness (the store answers and the server is
// not draining), Prometheus metrics, and the API description.
#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "base/metrics.hpp"

namespace nemis::api {

std::string_view OpenApiText();

namespace {

http::Response Text(std::string content_type, std::string body) {
  http::Response r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

http::Response DocsPage(const http::Router& router) {
  std::string rows;
  for (const auto& route : router.routes())
    rows += "<tr><td>" + route.method + "</td><td><code>" + route.pattern + "</code></td></tr>\n";
  return Text("text/html; charset=utf-8",
              "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>NEMIS API</title></head>"
              "<body><h1>NEMIS API</h1><p>完整说明（OpenAPI 3）：<a href=\"/api/docs/openapi.yaml\">openapi.yaml</a></p>"
              "<table>\n" + rows + "</table></body></html>");
}

}  // namespace

void AddHealthRoutes(http::Router& router, ApiContext& ctx) {
  http::RouteOptions on_io{.inline_on_io = true, .access = "public"};
  router.Add("GET", "/healthz", [](http::Request&) { return JsonResponse(200, {{"status", "ok"}}); }, on_io);
  router.Add("GET", "/readyz", [&ctx](http::Request& request) {
    if (ctx.draining && ctx.draining())
      return ErrorJson({ErrorKind::kUnavailable, "draining", "服务正在停止", {}}, request);
    Status ping = ctx.db.Ping();
    if (!ping.ok()) return ErrorJson(Error::Unavailable("数据库不可用：" + ping.error().message), request);
    return JsonResponse(200, {{"status", "ready"}});
  }, {.access = "public"});
  router.Add("GET", "/metrics", [](http::Request&) {
    return Text("text/plain; version=0.0.4; charset=utf-8", MetricsRegistry::Global().RenderText());
  }, on_io);
  router.Add("GET", "/api/docs/openapi.yaml",
             [](http::Request&) { return Text("application/yaml; charset=utf-8", std::string(OpenApiText())); }, on_io);
  router.Add("GET", "/api/docs", [&router](http::Request&) { return DocsPage(router); }, on_io);
}

}  // namespace nemis::api
