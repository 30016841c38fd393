// The portal through the real binary: `nemis serve` with portal.dir pointing at a built
// portal (index.html, a hashed asset with its .br and .gz copies), and without one.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "nemis_server.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::it {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIndex =
    "<!doctype html><html lang=\"zh-CN\"><title>NEMIS</title><div id=\"app\"></div></html>";
constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

void Write(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

int Count(const std::string& text, std::string_view what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class PortalTest : public ::testing::Test {
 protected:
  fs::path dist() const { return dir_.path() / "dist"; }
  void Build() {
    Write(dist() / "index.html", kIndex);
    Write(dist() / "assets" / "app-abc123.js", "console.log(1)");
    Write(dist() / "assets" / "app-abc123.js.br", "BR");
    Write(dist() / "assets" / "app-abc123.js.gz", "GZ");
  }
  void Start() {
    ServerOptions options;
    options.settings["portal.dir"] = dist().string();
    server_ = std::make_unique<NemisServer>(options);
  }
  HttpClient& http() {
    if (!client_) client_ = std::make_unique<HttpClient>(server_->Client());
    return *client_;
  }

  nemis::testing::TempDir dir_;
  std::unique_ptr<NemisServer> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(PortalTest, ServesTheBuiltPortalBesideTheApi) {
  Build();
  Start();
  EXPECT_NE(server_->Stdout().find("门户: " + server_->url()), std::string::npos)
      << server_->Stdout();
  for (const char* target : {"/", "/students/123", "/public/schools?region=440106"}) {
    HttpResponse r = http().Get(target);
    ASSERT_EQ(r.status, 200) << target << " " << r.Describe();
    EXPECT_EQ(r.body, kIndex) << target;
    EXPECT_EQ(r.Header("Cache-Control"), "no-cache") << target;
    EXPECT_EQ(r.Header("Content-Security-Policy"), std::string(kCsp)) << target;
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(r.Header("Referrer-Policy"), "same-origin") << target;
    EXPECT_EQ(r.Header("X-Frame-Options"), "DENY") << target;
  }
  HttpResponse br = http().Get("/assets/app-abc123.js", {{"Accept-Encoding", "br, gzip"}});
  EXPECT_EQ(br.body, "BR");
  EXPECT_EQ(br.Header("Content-Encoding"), "br");
  EXPECT_EQ(br.Header("Vary"), "Accept-Encoding");
  EXPECT_EQ(br.Header("Cache-Control"), "public, max-age=31536000, immutable");
  HttpResponse gz = http().Get("/assets/app-abc123.js", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz.body, "GZ");
  EXPECT_EQ(gz.Header("Content-Encoding"), "gzip");
  HttpResponse plain = http().Get("/assets/app-abc123.js");
  EXPECT_EQ(plain.body, "console.log(1)");
  EXPECT_FALSE(plain.Header("Content-Encoding").has_value());
  HttpResponse head = http().Request("HEAD", "/assets/app-abc123.js");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.Header("Content-Length"), "14");
  EXPECT_EQ(http().Get("/assets/x.js").status, 404);
  EXPECT_EQ(http().SendRaw("GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").status, 404);
  EXPECT_EQ(http().Get("/%2e%2e/etc/passwd").status, 404);
  // The API keeps its own answers and its no-store default; the portal's headers stay off it.
  HttpResponse unknown = http().Get("/api/unknown");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.ErrorCode(), "not_found") << unknown.Describe();
  EXPECT_EQ(unknown.Header("Cache-Control"), "no-store");
  EXPECT_FALSE(unknown.Header("Content-Security-Policy").has_value());
  EXPECT_EQ(http().Get("/api/v1/orgs/440000").Header("Cache-Control"), "no-store");
  EXPECT_EQ(http().Get("/healthz").status, 200);
  // The API reference's files are revalidated, not refetched whole nor kept unchecked.
  HttpResponse yaml = http().Get("/api/docs/openapi.yaml");
  EXPECT_EQ(yaml.Header("Cache-Control"), "no-cache");
  ASSERT_TRUE(yaml.Header("ETag").has_value());
  EXPECT_EQ(http().Get("/api/docs/openapi.yaml", {{"If-None-Match", *yaml.Header("ETag")}}).status,
            304);
}

TEST_F(PortalTest, StartsWithoutAPortalAndSaysHowToBuildIt) {
  Start();  // nothing at portal.dir
  HttpResponse r = http().Get("/");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("门户尚未构建"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("npm run build"), std::string::npos) << r.body;
  EXPECT_EQ(r.Header("Content-Security-Policy"), std::string(kCsp));
  EXPECT_EQ(http().Get("/healthz").status, 200);
  EXPECT_EQ(Count(server_->Stderr(), "\"portal_not_built\""), 1) << server_->Stderr();
  // Built while the server runs: served at once, no restart.
  Build();
  EXPECT_EQ(http().Get("/students/1").body, kIndex);
}

}  // namespace
}  // namespace nemis::it
