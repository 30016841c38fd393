#include <gtest/gtest.h>

#include <stdexcept>

#include "http/http.hpp"

namespace nemis::http {
namespace {

Handler Named(const std::string& name) {
  return [name](Request&) {
    Response r;
    r.body = name;
    return r;
  };
}

std::string Invoke(const Router::Match& m) {
  Request req;
  return m.route ? m.route->handler(req).body : "";
}

Router ApiRouter() {
  Router r;
  r.Add("GET", "/api/v1/students", Named("list"));
  r.Add("POST", "/api/v1/students", Named("create"));
  r.Add("GET", "/api/v1/students/{number}", Named("get"));
  r.Add("PUT", "/api/v1/students/{number}", Named("update"));
  r.Add("GET", "/api/v1/students/search", Named("search"));
  r.Add("GET", "/api/v1/schools/{code}/students/{number}", Named("school_student"));
  r.Add("DELETE", "/api/v1/sessions/current", Named("logout"));
  r.Add("GET", "/", Named("root"));
  return r;
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router r = ApiRouter();
  auto m = r.Find("GET", "/api/v1/students/G440101200901010011");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/students/{number}");
  EXPECT_EQ(m.params.at("number"), "G440101200901010011");
  EXPECT_EQ(Invoke(r.Find("GET", "/api/v1/students")), "list");
  EXPECT_EQ(Invoke(r.Find("POST", "/api/v1/students")), "create");
  EXPECT_EQ(Invoke(r.Find("GET", "/")), "root");
}

TEST(Router, LiteralWinsOverParameter) {
  Router r = ApiRouter();
  auto m = r.Find("GET", "/api/v1/students/search");
  EXPECT_EQ(Invoke(m), "search");
  EXPECT_TRUE(m.params.empty());
  // The literal only exists for GET; PUT falls through to the parameter route.
  EXPECT_EQ(Invoke(r.Find("PUT", "/api/v1/students/search")), "update");
}

TEST(Router, SeveralParameters) {
  Router r = ApiRouter();
  auto m = r.Find("GET", "/api/v1/schools/4401010001/students/G1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("code"), "4401010001");
  EXPECT_EQ(m.params.at("number"), "G1");
}

TEST(Router, UnknownPathIsNotFound) {
  Router r = ApiRouter();
  for (const char* path : {"/api/v1/teachers", "/api/v1/students/G1/extra", "/api/v1/students/",
                           "/api/v2/students", "/api/v1/schools/1/students"}) {
    auto m = r.Find("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_FALSE(m.method_not_allowed) << path;
  }
}

TEST(Router, WrongMethodGives405WithAllow) {
  Router r = ApiRouter();
  auto m = r.Find("DELETE", "/api/v1/students");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
  auto m2 = r.Find("GET", "/api/v1/sessions/current");
  EXPECT_TRUE(m2.method_not_allowed);
  EXPECT_EQ(m2.allow, "DELETE");
  // Both the literal and the parameter route match this path.
  auto m3 = r.Find("POST", "/api/v1/students/search");
  EXPECT_EQ(m3.allow, "GET, HEAD, PUT");
}

TEST(Router, HeadUsesGetRoutes) {
  Router r = ApiRouter();
  EXPECT_EQ(Invoke(r.Find("HEAD", "/api/v1/students/G1")), "get");
  r.Add("HEAD", "/api/v1/students", Named("head_list"));
  EXPECT_EQ(Invoke(r.Find("HEAD", "/api/v1/students")), "head_list");
}

TEST(Router, RejectsDuplicatesAndBadPatterns) {
  Router r = ApiRouter();
  EXPECT_THROW(r.Add("GET", "/api/v1/students", Named("again")), std::logic_error);
  EXPECT_THROW(r.Add("GET", "no-slash", Named("x")), std::invalid_argument);
  // The same shape with another parameter name is the same route.
  EXPECT_THROW(r.Add("GET", "/api/v1/students/{id}", Named("x")), std::logic_error);
}

TEST(Router, KeepsRoutesForDocumentation) {
  Router r = ApiRouter();
  ASSERT_EQ(r.routes().size(), 8u);
  EXPECT_EQ(r.routes()[2].method, "GET");
  EXPECT_EQ(r.routes()[2].pattern, "/api/v1/students/{number}");
}

// The portal's catch-all: only paths whose first segment begins no route reach it.
TEST(Router, FallbackTakesPathsOutsideEveryRoute) {
  Router r = ApiRouter();
  r.Add("GET", "/healthz", Named("health"));
  EXPECT_EQ(r.Find("GET", "/students/G1").route, nullptr);  // no fallback yet: 404
  r.SetFallback(Named("portal"));
  for (const char* path : {"/students/G1", "/assets/app-abc123.js", "/index.html", "/x/y/z/"}) {
    auto m = r.Find("GET", path);
    ASSERT_NE(m.route, nullptr) << path;
    EXPECT_EQ(m.route->pattern, Router::kFallbackPattern) << path;
    EXPECT_TRUE(m.params.empty()) << path;
    EXPECT_EQ(Invoke(m), "portal") << path;
    EXPECT_EQ(Invoke(r.Find("HEAD", path)), "portal") << path;
  }
  EXPECT_EQ(Invoke(r.Find("GET", "/")), "root");  // a route wins over the fallback
  EXPECT_EQ(Invoke(r.Find("GET", "/healthz")), "health");
  // Under a route's first segment the routes' answers stay: the API's 404 and 405.
  for (const char* path : {"/api/unknown", "/api", "/api/v1/students/G1/extra", "/healthz/x"}) {
    auto m = r.Find("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_FALSE(m.method_not_allowed) << path;
  }
  EXPECT_TRUE(r.Find("DELETE", "/api/v1/students").method_not_allowed);
  EXPECT_EQ(r.Find("DELETE", "/api/v1/students").allow, "GET, HEAD, POST");
  // The fallback serves files: writes to it are 405.
  auto post = r.Find("POST", "/students/G1");
  EXPECT_EQ(post.route, nullptr);
  EXPECT_TRUE(post.method_not_allowed);
  EXPECT_EQ(post.allow, "GET, HEAD");
  EXPECT_EQ(r.routes().size(), 9u);  // not a documented route
}

TEST(Router, CopiesAreIndependent) {
  Router a = ApiRouter();
  Router b = a;
  b.Add("GET", "/extra", Named("extra"));
  EXPECT_EQ(a.Find("GET", "/extra").route, nullptr);
  EXPECT_EQ(Invoke(b.Find("GET", "/extra")), "extra");
  EXPECT_EQ(Invoke(b.Find("GET", "/api/v1/students/search")), "search");
}

}  // namespace
}  // namespace nemis::http
