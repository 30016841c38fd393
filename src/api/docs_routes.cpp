#include "api/docs_routes.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <memory>
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

// The files' names carry no hash of their content (a new Swagger UI keeps them), so they
// are revalidated on every use, against an entity tag, rather than cached for a year.
// Set here, the caching replaces the server's default for /api/ (no-store), which is meant
// for the personal data of API answers.
constexpr std::string_view kRevalidate = "no-cache";

// An entity tag from the content, computed once at start (the bundle is megabytes).
std::string ContentTag(std::string_view body) {
  std::array<char, 24> tag{};
  int n = std::snprintf(tag.data(), tag.size(), "\"%zx\"", std::hash<std::string_view>{}(body));
  return {tag.data(), static_cast<size_t>(std::max(n, 0))};
}

// 200 with the file, or 304 when the client's copy has the same tag.
http::Response Revalidated(const http::Request& request, std::string content_type,
                           std::string_view body, const std::string& tag) {
  auto known = request.Header("If-None-Match");
  bool fresh = known && known->find(tag) != std::string_view::npos;
  http::Response r = Hardened(fresh ? 304 : 200, std::move(content_type),
                              fresh ? std::string() : std::string(body));
  r.SetHeader("Cache-Control", std::string(kRevalidate));
  r.SetHeader("ETag", tag);
  return r;
}

struct DocsTags {
  std::string bundle_js, bundle_css, init_script, openapi;
};

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

http::Response PageContent(const http::Router& router, const DocsAssets& assets);

http::Response Page(const http::Router& router, const DocsAssets& assets) {
  http::Response page = PageContent(router, assets);
  if (page.status == 200) page.SetHeader("Cache-Control", std::string(kRevalidate));
  return page;
}

http::Response PageContent(const http::Router& router, const DocsAssets& assets) {
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

http::Response Asset(const http::Request& request, const DocsAssets& assets, const DocsTags& tags) {
  const std::string& file = request.PathParam("file");
  if (file == "docs.js")
    return Revalidated(request, "text/javascript; charset=utf-8", kInitScript, tags.init_script);
  std::string_view body;
  std::string type;
  const std::string* tag = nullptr;
  if (file == "swagger-ui-bundle.js") {
    body = assets.bundle_js;
    type = "text/javascript; charset=utf-8";
    tag = &tags.bundle_js;
  } else if (file == "swagger-ui.css") {
    body = assets.bundle_css;
    type = "text/css; charset=utf-8";
    tag = &tags.bundle_css;
  } else {
    http::Response r =
        http::ErrorResponse(404, "not_found", "没有这个文件：" + file, request.request_id);
    return Hardened(r.status, r.content_type, std::move(r.body));
  }
  if (body.empty()) {
    http::Response r = http::ErrorResponse(503, "docs_unavailable", kMissingUi, request.request_id);
    return Hardened(r.status, r.content_type, std::move(r.body));
  }
  return Revalidated(request, std::move(type), body, *tag);
}

}  // namespace

void AddDocsRoutes(http::Router& router, DocsAssets assets) {
  // Served from memory on the I/O thread: nothing here blocks.
  http::RouteOptions on_io{.inline_on_io = true, .access = "public"};
  auto tags = std::make_shared<const DocsTags>(
      DocsTags{ContentTag(assets.bundle_js), ContentTag(assets.bundle_css), ContentTag(kInitScript),
               ContentTag(OpenApiText())});
  router.Add(
      "GET", "/api/docs", [&router, assets](http::Request&) { return Page(router, assets); },
      on_io);
  router.Add(
      "GET", "/api/docs/openapi.yaml",
      [tags](http::Request& request) {
        return Revalidated(request, "application/yaml; charset=utf-8", OpenApiText(),
                           tags->openapi);
      },
      on_io);
  router.Add(
      "GET", "/api/docs/assets/{file}",
      [assets, tags](http::Request& request) { return Asset(request, assets, *tags); }, on_io);
}

}  // namespace nemis::api
