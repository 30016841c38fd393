// The portal through the real server: a temporary build (index.html, a hashed asset with
// its .br and .gz copies, a favicon) served as the router's fallback beside an API route.
#include "portal/portal.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "http/test_client.hpp"
#include "portal/static_files.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::portal {
namespace {

namespace fs = std::filesystem;
using http::test::Fetch;

constexpr std::string_view kIndex = "<!doctype html><title>NEMIS</title><div id=app></div>";
constexpr std::string_view kScript = "console.log('identity');";
constexpr std::string_view kScriptBr = "BROTLI-BYTES";
constexpr std::string_view kScriptGz = "GZIP-BYTES";

void Write(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

class PortalTest : public ::testing::Test {
 protected:
  PortalTest() {
    Write(root() / "index.html", kIndex);
    Write(root() / "index.html.gz", "GZIP-INDEX");
    Write(root() / "assets" / "app-abc123.js", kScript);
    Write(root() / "assets" / "app-abc123.js.br", kScriptBr);
    Write(root() / "assets" / "app-abc123.js.gz", kScriptGz);
    Write(root() / "favicon.ico", "ICO");
    Write(dir_.path() / "secret.txt", "outside the root");
  }

  fs::path root() const { return dir_.path() / "dist"; }

  void Start(const fs::path& portal_root) {
    router_.Add("GET", "/api/v1/ping", [](http::Request&) { return http::Response{.body = "{}"}; });
    AddPortal(router_, std::make_shared<Portal>(portal_root));
    server_ = std::make_unique<http::test::TestServer>(http::test::TestOptions(dir_.File("spool")),
                                                       router_);
  }
  void Start() { Start(root()); }

  std::optional<http::test::ClientResponse> Get(
      std::string_view target, const std::vector<std::pair<std::string, std::string>>& h = {}) {
    return Fetch(server_->port(), "GET", target, "", h);
  }

  nemis::testing::TempDir dir_;
  http::Router router_;
  std::unique_ptr<http::test::TestServer> server_;
};

void ExpectSecurityHeaders(const http::test::ClientResponse& r, std::string_view what) {
  EXPECT_EQ(r.Header("Content-Security-Policy"), std::string(kContentSecurityPolicy)) << what;
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << what;
  EXPECT_EQ(r.Header("Referrer-Policy"), "same-origin") << what;
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY") << what;
  // Each once: the server's defaults give way to the portal's values.
  int policies = 0;
  for (const auto& [name, value] : r.headers)
    policies += http::EqualsIgnoreCase(name, "Referrer-Policy");
  EXPECT_EQ(policies, 1) << what;
}

TEST_F(PortalTest, RootServesIndexNeverCached) {
  Start();
  auto r = Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, kIndex);
  EXPECT_EQ(r->Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->Header("Cache-Control"), "no-cache");
  EXPECT_EQ(r->Header("Vary"), "Accept-Encoding");
  EXPECT_FALSE(r->Header("Content-Encoding").has_value());
  ExpectSecurityHeaders(*r, "/");
  // index.html has a .gz copy: a browser gets it, still never cached.
  auto gz = Get("/", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->body, "GZIP-INDEX");
  EXPECT_EQ(gz->Header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz->Header("Cache-Control"), "no-cache");
}

TEST_F(PortalTest, SpaRoutesFallBackToIndex) {
  Start();
  for (const char* target : {"/students/123", "/students/G440101200901010011/edit?tab=2",
                             "/public/schools", "/index.html", "/a/b/c/"}) {
    auto r = Get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 200) << target;
    EXPECT_EQ(r->body, kIndex) << target;
    EXPECT_EQ(r->Header("Cache-Control"), "no-cache") << target;
    ExpectSecurityHeaders(*r, target);
  }
  auto icon = Get("/favicon.ico");
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->body, "ICO");
  EXPECT_EQ(icon->Header("Content-Type"), "image/x-icon");
  EXPECT_EQ(icon->Header("Cache-Control"), "no-cache");
}

TEST_F(PortalTest, HashedAssetsPrecompressedByAcceptEncodingAndImmutable) {
  Start();
  struct Case {
    const char* accept;  // nullptr: no header
    std::string_view body;
    const char* encoding;  // nullptr: none
  };
  for (const Case& c : {Case{"br, gzip", kScriptBr, "br"}, Case{"gzip", kScriptGz, "gzip"},
                        Case{"gzip;q=1, br;q=0.5", kScriptGz, "gzip"}, Case{"*", kScriptBr, "br"},
                        Case{nullptr, kScript, nullptr}, Case{"identity", kScript, nullptr},
                        Case{"br;q=0", kScript, nullptr}}) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (c.accept) headers.emplace_back("Accept-Encoding", c.accept);
    auto r = Get("/assets/app-abc123.js", headers);
    std::string what = c.accept ? c.accept : "(none)";
    ASSERT_TRUE(r) << what;
    EXPECT_EQ(r->status, 200) << what;
    EXPECT_EQ(r->body, c.body) << what;
    EXPECT_EQ(r->Header("Content-Encoding"),
              c.encoding ? std::optional<std::string>(c.encoding) : std::nullopt)
        << what;
    EXPECT_EQ(r->Header("Content-Type"), "text/javascript; charset=utf-8") << what;
    EXPECT_EQ(r->Header("Vary"), "Accept-Encoding") << what;
    EXPECT_EQ(r->Header("Cache-Control"), "public, max-age=31536000, immutable") << what;
    ExpectSecurityHeaders(*r, what);
  }
  // Nothing acceptable: identity refused and no copy in a coding the client takes.
  auto none = Get("/assets/app-abc123.js", {{"Accept-Encoding", "zstd, identity;q=0"}});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 406);
}

TEST_F(PortalTest, ETagRevalidationAnswers304PerCoding) {
  Start();
  auto first = Get("/assets/app-abc123.js", {{"Accept-Encoding", "br"}});
  ASSERT_TRUE(first);
  auto etag = first->Header("ETag");
  ASSERT_TRUE(etag);
  auto again = Get("/assets/app-abc123.js", {{"Accept-Encoding", "br"}, {"If-None-Match", *etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_EQ(again->body, "");
  EXPECT_EQ(again->Header("ETag"), etag);
  EXPECT_EQ(again->Header("Cache-Control"), "public, max-age=31536000, immutable");
  // The identity copy is another representation: its tag differs, so it is sent whole.
  auto plain = Get("/assets/app-abc123.js", {{"If-None-Match", *etag}});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200);
  EXPECT_EQ(plain->body, kScript);
  EXPECT_NE(plain->Header("ETag"), etag);
}

TEST_F(PortalTest, MissingAssetIs404NotTheIndex) {
  Start();
  for (const char* target : {"/assets/x.js", "/assets/app-abc123.css", "/assets", "/assets/"}) {
    auto r = Get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 404) << target;
    EXPECT_NE(r->body, kIndex) << target;
    ExpectSecurityHeaders(*r, target);
  }
}

TEST_F(PortalTest, TraversalAndFilesOutsideTheRootAreRefused) {
  // A symbolic link inside the root pointing out of it is not followed.
  fs::create_symlink(dir_.path() / "secret.txt", root() / "link.txt");
  fs::create_symlink(dir_.path(), root() / "assets" / "up");
  ASSERT_EQ(::mkfifo((root() / "pipe").c_str(), 0600), 0);
  Start();
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E/../secret.txt",
                             "/.%2e/secret.txt", "/assets/up/secret.txt", "/%2e%2e%2fsecret.txt",
                             "/a%00b", "/assets/..%5c..%5csecret.txt"}) {
    auto r = Get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_TRUE(r->status == 404 || r->status == 400) << target << " " << r->status;
    EXPECT_EQ(r->body.find("outside the root"), std::string::npos) << target;
  }
  // Not a regular file below the root (a link, a FIFO): the page, never the target.
  for (const char* target : {"/link.txt", "/pipe"}) {
    auto r = Get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->body, kIndex) << target;
  }
}

TEST_F(PortalTest, HeadAnswersLikeGetWithoutABody) {
  Start();
  auto r =
      Fetch(server_->port(), "HEAD", "/assets/app-abc123.js", "", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(r->Header("Content-Length"), std::to_string(kScriptGz.size()));
  EXPECT_EQ(r->Header("Content-Encoding"), "gzip");
  auto spa = Fetch(server_->port(), "HEAD", "/students/1");
  ASSERT_TRUE(spa);
  EXPECT_EQ(spa->status, 200);
  EXPECT_EQ(spa->Header("Content-Length"), std::to_string(kIndex.size()));
}

TEST_F(PortalTest, ApiPathsKeepTheApiAnswers) {
  Start();
  auto unknown = Get("/api/unknown");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(unknown->Header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_NE(unknown->body.find("\"not_found\""), std::string::npos);
  EXPECT_EQ(unknown->Header("Cache-Control"), "no-store");
  auto ping = Get("/api/v1/ping");
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->body, "{}");
  EXPECT_FALSE(ping->Header("Content-Security-Policy").has_value());
  auto post = Fetch(server_->port(), "POST", "/students/1", "x");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->Header("Allow"), "GET, HEAD");
}

TEST_F(PortalTest, UnbuiltPortalAnswers503WithHowToBuild) {
  Start(dir_.path() / "missing");
  for (const char* target : {"/", "/students/1", "/assets/app-abc123.js"}) {
    auto r = Get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 503) << target;
    EXPECT_EQ(r->Header("Content-Type"), "text/html; charset=utf-8") << target;
    EXPECT_NE(r->body.find("门户尚未构建"), std::string::npos) << target;
    EXPECT_NE(r->body.find("cd web &amp;&amp; npm ci &amp;&amp; npm run build"), std::string::npos);
    EXPECT_EQ(r->Header("Cache-Control"), "no-store") << target;
    ExpectSecurityHeaders(*r, target);
  }
  EXPECT_EQ(Get("/api/unknown")->status, 404);
}

TEST_F(PortalTest, DirectoryWithoutIndexIsUnbuiltAndABuildIsPickedUpWithoutRestart) {
  fs::remove(root() / "index.html");
  Portal portal(root());
  EXPECT_FALSE(portal.Built());
  Start();
  EXPECT_EQ(Get("/")->status, 503);
  Write(root() / "index.html", kIndex);  // `npm run build` while the server runs
  EXPECT_TRUE(portal.Built());
  auto r = Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, kIndex);
}

TEST(ResolvePortalDir, SettingThenTheCheckoutAboveTheBinaryThenTheWorkingDirectory) {
  nemis::testing::TempDir dir;
  fs::path checkout = dir.path() / "repo";
  fs::create_directories(checkout / "web");
  fs::create_directories(checkout / "build" / "src" / "cli");
  fs::path binary = checkout / "build" / "src" / "cli" / "nemis";
  EXPECT_EQ(ResolvePortalDir("/srv/portal", binary, "/work"), fs::path("/srv/portal"));
  EXPECT_EQ(ResolvePortalDir("", binary, "/work"), checkout / "web" / "dist");
  EXPECT_EQ(ResolvePortalDir("", dir.path() / "bin" / "nemis", "/work"),
            fs::path("/work/web/dist"));
  EXPECT_EQ(ResolvePortalDir("", "", "/work"), fs::path("/work/web/dist"));
}

}  // namespace
}  // namespace nemis::portal
