#include "api/docs_routes.hpp"

#include <string>

namespace nemis::api {

std::string_view OpenApiText();

namespace {

// No inline script or style: Swagger UI styles elements through the CSSOM, which
// style-src does not govern, and its icons are data: images in its stylesheet.
constexpr std::string_view kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// The page's only script of its own, served as a file because the policy forbids
// inline script. validatorUrl: null keeps Swagger UI from calling validator.swagger.io.
constexpr std::string_view kInitScript = R"JS(// Starts Swagger UI on the page /api/docs.
"use strict";
window.ui = SwaggerUIBundle({
  url: "/api/docs/openapi.yaml",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  validatorUrl: null,
  docExpansion: "list",
  defaultModelsExpandDepth: 0
});
)JS";

constexpr std::string_view kMissingUi =
    "接口说明页面暂不可用：构建 nemis 时没有找到 Swagger UI（docs/tools/node_modules/swagger-ui-dist）。"
    "请在 docs/tools 目录运行 npm ci 后重新构建（scripts/run 与 scripts/test 会自动完成）。"
    "机器可读的接口说明仍可从 /api/docs/openapi.yaml 取得。";

http::Response Hardened(int status, std::string content_type, std::string body) {
  http::Response r{
      .status = status, .content_type = std::move(content_type), .body = std::move(body)};
  r.SetHeader("Content-Security-Policy", std::string(kPolicy));
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Referrer-Policy", "no-referrer");
  r.SetHeader("X-Frame-Options", "DENY");
  return r;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

constexpr std::string_view kHead =
    "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>NEMIS API 接口说明</title>\n";

// Readers without JavaScript get the route table and the link to the document.
std::string RouteTable(const http::Router& router) {
  std::string rows;
  for (const auto& route : router.routes())
    rows += "<tr><td>" + EscapeHtml(route.method) + "</td><td><code>" + EscapeHtml(route.pattern) +
            "</code></td></tr>\n";
  return "<h1>NEMIS API</h1>\n<p>完整说明（OpenAPI 3）：<a href=\"/api/docs/openapi.yaml\">openapi.yaml</a></p>\n"
         "<table>\n" +
         rows + "</table>\n";
}

http::Response Page(const http::Router& router, const DocsAssets& assets) {
  if (!assets.complete()) {
    return Hardened(503, "text/html; charset=utf-8",
                    std::string(kHead) + "</head>\n<body>\n<h1>NEMIS API 接口说明</h1>\n<p>" +
                        std::string(kMissingUi) + "</p>\n" + RouteTable(router) +
                        "</body>\n</html>\n");
  }
  return Hardened(
      200, "text/html; charset=utf-8",
      std::string(kHead) +
          "<link rel=\"stylesheet\" href=\"/api/docs/assets/swagger-ui.css\">\n</head>\n<body>\n"
          "<div id=\"swagger-ui\"></div>\n<noscript>\n" +
          RouteTable(router) +
          "</noscript>\n"
          "<script src=\"/api/docs/assets/swagger-ui-bundle.js\"></script>\n"
          "<script src=\"/api/docs/assets/docs.js\"></script>\n</body>\n</html>\n");
}

http::Response Asset(const http::Request& request, const DocsAssets& assets) {
  const std::string& file = request.PathParam("file");
  if (file == "docs.js")
    return Hardened(200, "text/javascript; charset=utf-8", std::string(kInitScript));
  std::string_view body;
  std::string type;
  if (file == "swagger-ui-bundle.js") {
    body = assets.bundle_js;
    type = "text/javascript; charset=utf-8";
  } else if (file == "swagger-ui.css") {
    body = assets.bundle_css;
    type = "text/css; charset=utf-8";
  } else {
    http::Response r =
        http::ErrorResponse(404, "not_found", "没有这个文件：" + file, request.request_id);
    return Hardened(r.status, r.content_type, std::move(r.body));
  }
  if (body.empty()) {
    http::Response r = http::ErrorResponse(503, "docs_unavailable", kMissingUi, request.request_id);
    return Hardened(r.status, r.content_type, std::move(r.body));
  }
  return Hardened(200, std::move(type), std::string(body));
}

}  // namespace

void AddDocsRoutes(http::Router& router, DocsAssets assets) {
  // Served from memory on the I/O thread: nothing here blocks.
  http::RouteOptions on_io{.inline_on_io = true, .access = "public"};
  router.Add(
      "GET", "/api/docs", [&router, assets](http::Request&) { return Page(router, assets); },
      on_io);
  router.Add(
      "GET", "/api/docs/openapi.yaml",
      [](http::Request&) {
        return Hardened(200, "application/yaml; charset=utf-8", std::string(OpenApiText()));
      },
      on_io);
  router.Add(
      "GET", "/api/docs/assets/{file}",
      [assets](http::Request& request) { return Asset(request, assets); }, on_io);
}

}  // namespace nemis::api
