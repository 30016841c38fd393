// Operations endpoints: liveness, readiness (the store answers and the server is
// not draining), Prometheus metrics, and the API description (docs_routes.cpp).
#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/docs_routes.hpp"
#include "base/metrics.hpp"

namespace nemis::api {
namespace {

http::Response Text(std::string content_type, std::string body) {
  http::Response r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

}  // namespace

void AddHealthRoutes(http::Router& router, ApiContext& ctx) {
  http::RouteOptions on_io{.inline_on_io = true, .access = "public"};
  router.Add(
      "GET", "/healthz",
      [](http::Request&) {
        return JsonResponse(200, {{"status", "ok"}});
      },
      on_io);
  router.Add(
      "GET", "/readyz",
      [&ctx](http::Request& request) {
        if (ctx.draining && ctx.draining())
          return ErrorJson({ErrorKind::kUnavailable, "draining", "服务正在停止", {}}, request);
        Status ping = ctx.db.Ping();
        if (!ping.ok())
          return ErrorJson(Error::Unavailable("数据库不可用：" + ping.error().message), request);
        return JsonResponse(200, {{"status", "ready"}});
      },
      {.access = "public"});
  router.Add(
      "GET", "/metrics",
      [](http::Request&) {
        return Text("text/plain; version=0.0.4; charset=utf-8",
                    MetricsRegistry::Global().RenderText());
      },
      on_io);
  AddDocsRoutes(router);
}

}  // namespace nemis::api
