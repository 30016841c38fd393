// /api/docs: the Swagger UI page, its files, the OpenAPI document, and the headers that
// let the page run under a strict Content-Security-Policy.
#include "api/docs_routes.hpp"

#include <gtest/gtest.h>

#include <string>

namespace nemis::api {

std::string_view OpenApiText();

namespace {

class DocsRoutesTest : public ::testing::Test {
 protected:
  http::Response Get(const http::Router& router, const std::string& path,
                     const std::string& if_none_match = "") {
    http::Request r;
    if (!if_none_match.empty()) r.headers.emplace_back("If-None-Match", if_none_match);
    r.method = "GET";
    r.target = path;
    r.path = path;
    r.request_id = "req-docs";
    auto match = router.Find(r.method, r.path);
    EXPECT_NE(match.route, nullptr) << path;
    if (!match.route) return http::Response{.status = 404};
    r.path_params = match.params;
    return match.route->handler(r);
  }

  static std::string HeaderOf(const http::Response& r, std::string_view name) {
    for (const auto& [key, value] : r.headers)
      if (http::EqualsIgnoreCase(key, name)) return value;
    return "";
  }

  static void ExpectHardened(const http::Response& r, const std::string& what) {
    std::string policy = HeaderOf(r, "Content-Security-Policy");
    EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << what << ": " << policy;
    EXPECT_NE(policy.find("script-src 'self';"), std::string::npos) << what << ": " << policy;
    EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << what << ": " << policy;
    EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << what << ": " << policy;
    EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << what << ": " << policy;
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff") << what;
    EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "no-referrer") << what;
  }
};

TEST_F(DocsRoutesTest, ThePageLoadsSwaggerUiFromTheNodeWithoutInlineScript) {
  DocsAssets assets = EmbeddedDocsAssets();
  if (!assets.complete())
    GTEST_SKIP() << "this build embedded no Swagger UI (run `npm ci` in docs/tools and rebuild); "
                    "MissingSwaggerUiAnswers503 covers the page without it";
  http::Router router;
  AddDocsRoutes(router, assets);
  http::Response page = Get(router, "/api/docs");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  ExpectHardened(page, "/api/docs");
  EXPECT_NE(page.body.find("<script src=\"/api/docs/assets/swagger-ui-bundle.js\"></script>"),
            std::string::npos);
  EXPECT_NE(page.body.find("<script src=\"/api/docs/assets/docs.js\"></script>"),
            std::string::npos);
  EXPECT_NE(page.body.find("<link rel=\"stylesheet\" href=\"/api/docs/assets/swagger-ui.css\">"),
            std::string::npos);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos)
      << "inline script: the policy would block it";
  EXPECT_EQ(page.body.find("http"), std::string::npos)
      << "the page must load nothing from elsewhere";
  // Readers without JavaScript still get the routes.
  EXPECT_NE(page.body.find("<code>/api/docs/assets/{file}</code>"), std::string::npos);

  http::Response bundle = Get(router, "/api/docs/assets/swagger-ui-bundle.js");
  ASSERT_EQ(bundle.status, 200);
  EXPECT_EQ(bundle.content_type, "text/javascript; charset=utf-8");
  ExpectHardened(bundle, "swagger-ui-bundle.js");
  EXPECT_EQ(bundle.body.size(), assets.bundle_js.size());
  EXPECT_NE(bundle.body.find("SwaggerUIBundle"), std::string::npos);
  // Not content-addressed names: revalidated each time (the server's no-store default
  // for /api/ gives way to the route's own Cache-Control), 304 while unchanged.
  EXPECT_EQ(HeaderOf(bundle, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(page, "Cache-Control"), "no-cache");
  std::string tag = HeaderOf(bundle, "ETag");
  ASSERT_FALSE(tag.empty());
  http::Response unchanged = Get(router, "/api/docs/assets/swagger-ui-bundle.js", tag);
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_TRUE(unchanged.body.empty());
  EXPECT_EQ(HeaderOf(unchanged, "ETag"), tag);

  http::Response css = Get(router, "/api/docs/assets/swagger-ui.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_NE(css.body.find(".swagger-ui"), std::string::npos);
  ExpectHardened(css, "swagger-ui.css");

  http::Response init = Get(router, "/api/docs/assets/docs.js");
  ASSERT_EQ(init.status, 200);
  EXPECT_EQ(init.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(init.body.find("url: \"/api/docs/openapi.yaml\""), std::string::npos) << init.body;
  EXPECT_NE(init.body.find("validatorUrl: null"), std::string::npos)
      << "no calls to validator.swagger.io";
}

TEST_F(DocsRoutesTest, EmbeddedBundleIsSwaggerUiDist) {
  DocsAssets assets = EmbeddedDocsAssets();
  if (!assets.complete())
    GTEST_SKIP() << "this build embedded no Swagger UI (run `npm ci` in docs/tools and rebuild)";
  EXPECT_TRUE(assets.version.starts_with("5.")) << assets.version;
  EXPECT_GT(assets.bundle_js.size(), 500'000u);
  EXPECT_GT(assets.bundle_css.size(), 50'000u);
}

TEST_F(DocsRoutesTest, ServesTheOpenApiDocument) {
  http::Router router;
  AddDocsRoutes(router, {});
  http::Response yaml = Get(router, "/api/docs/openapi.yaml");
  ASSERT_EQ(yaml.status, 200);
  EXPECT_EQ(yaml.content_type, "application/yaml; charset=utf-8");
  EXPECT_EQ(yaml.body, OpenApiText());
  ExpectHardened(yaml, "openapi.yaml");
  EXPECT_EQ(HeaderOf(yaml, "Cache-Control"), "no-cache");
  std::string tag = HeaderOf(yaml, "ETag");
  ASSERT_EQ(tag.size() >= 3 && tag.front() == '"' && tag.back() == '"', true) << tag;
  EXPECT_EQ(Get(router, "/api/docs/openapi.yaml", tag).status, 304);
  EXPECT_EQ(Get(router, "/api/docs/openapi.yaml", "\"other\"").status, 200);
}

TEST_F(DocsRoutesTest, MissingSwaggerUiAnswers503) {
  http::Router router;
  AddDocsRoutes(router, {});
  http::Response page = Get(router, "/api/docs");
  EXPECT_EQ(page.status, 503);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("npm ci"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("接口说明页面暂不可用"), std::string::npos) << page.body;
  ExpectHardened(page, "/api/docs without Swagger UI");
  http::Response bundle = Get(router, "/api/docs/assets/swagger-ui-bundle.js");
  EXPECT_EQ(bundle.status, 503);
  EXPECT_NE(bundle.body.find("\"code\":\"docs_unavailable\""), std::string::npos) << bundle.body;
}

TEST_F(DocsRoutesTest, UnknownFilesAre404) {
  http::Router router;
  AddDocsRoutes(router, EmbeddedDocsAssets());
  for (const char* path :
       {"/api/docs/assets/index.html", "/api/docs/assets/swagger-ui-bundle.js.map",
        "/api/docs/assets/..%2Fopenapi.yaml"}) {
    http::Response r = Get(router, path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_NE(r.body.find("\"code\":\"not_found\""), std::string::npos) << r.body;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "") << path;  // the server's no-store applies
  }
}

}  // namespace
}  // namespace nemis::api
