#include "portal/static_files.hpp"

#include <gtest/gtest.h>

namespace nemis::portal {
namespace {

TEST(NormalizePath, NamesAFileBelowTheRoot) {
  EXPECT_EQ(NormalizePath("/"), "");
  EXPECT_EQ(NormalizePath(""), "");
  EXPECT_EQ(NormalizePath("/index.html"), "index.html");
  EXPECT_EQ(NormalizePath("/assets/app-abc123.js"), "assets/app-abc123.js");
  EXPECT_EQ(NormalizePath("//assets///app.js/"), "assets/app.js");  // empty segments dropped
  EXPECT_EQ(NormalizePath("/./students/./123"), "students/123");
  EXPECT_EQ(NormalizePath("/学生/名单"), "学生/名单");
  EXPECT_EQ(NormalizePath("/a..b/c.d.js"), "a..b/c.d.js");  // dots inside a name are fine
}

TEST(NormalizePath, RefusesTraversalHiddenFilesAndControlCharacters) {
  using namespace std::string_view_literals;
  for (std::string_view path : std::vector<std::string_view>{
           "/.."sv, "/../etc/passwd", "/assets/../../etc/passwd", "/students/..", "/.env",
           "/.git/config", "/assets/.hidden.js", "/a\\..\\b", "/a\\b", "/a\0b"sv, "/a\x01",
           "/a\x7F", "/a\r\nb"}) {
    EXPECT_FALSE(NormalizePath(path).has_value()) << path;
  }
}

TEST(IsAsset, OnlyTheAssetsFolder) {
  EXPECT_TRUE(IsAsset("assets/app-abc123.js"));
  EXPECT_TRUE(IsAsset("assets"));
  EXPECT_FALSE(IsAsset("assetsx/app.js"));
  EXPECT_FALSE(IsAsset("index.html"));
  EXPECT_FALSE(IsAsset("students/assets/1"));
}

TEST(ParseAcceptEncoding, ReadsQValues) {
  AcceptedCodings a = ParseAcceptEncoding("gzip, deflate, br, zstd");
  EXPECT_EQ(a.brotli, 1);
  EXPECT_EQ(a.gzip, 1);
  EXPECT_EQ(a.identity, 1);
  a = ParseAcceptEncoding("br;q=0.5, GZIP;Q=0.8, identity;q=0.1");
  EXPECT_DOUBLE_EQ(a.brotli, 0.5);
  EXPECT_DOUBLE_EQ(a.gzip, 0.8);
  EXPECT_DOUBLE_EQ(a.identity, 0.1);
  a = ParseAcceptEncoding(" x-gzip ;q=1.000 , br ; q=0");
  EXPECT_EQ(a.gzip, 1);
  EXPECT_EQ(a.brotli, 0);
  a = ParseAcceptEncoding("br;q=2, gzip;q=abc, identity;q=0.1234");  // malformed: refused
  EXPECT_EQ(a.brotli, 0);
  EXPECT_EQ(a.gzip, 0);
  EXPECT_EQ(a.identity, 0);
}

TEST(ParseAcceptEncoding, StarIdentityAndAbsence) {
  AcceptedCodings none = ParseAcceptEncoding(std::nullopt);  // no header: identity only
  EXPECT_EQ(none.brotli, 0);
  EXPECT_EQ(none.gzip, 0);
  EXPECT_EQ(none.identity, 1);
  AcceptedCodings empty = ParseAcceptEncoding("");
  EXPECT_EQ(empty.brotli, 0);
  EXPECT_EQ(empty.identity, 1);
  AcceptedCodings star = ParseAcceptEncoding("*");
  EXPECT_EQ(star.brotli, 1);
  EXPECT_EQ(star.gzip, 1);
  EXPECT_EQ(star.identity, 1);
  AcceptedCodings star_but_br = ParseAcceptEncoding("*;q=0.5, br;q=0");
  EXPECT_EQ(star_but_br.brotli, 0);
  EXPECT_DOUBLE_EQ(star_but_br.gzip, 0.5);
  EXPECT_EQ(star_but_br.identity, 1);
  AcceptedCodings nothing = ParseAcceptEncoding("*;q=0");  // refuses identity too
  EXPECT_EQ(nothing.gzip, 0);
  EXPECT_EQ(nothing.identity, 0);
  AcceptedCodings gzip_only = ParseAcceptEncoding("gzip, identity;q=0");
  EXPECT_EQ(gzip_only.gzip, 1);
  EXPECT_EQ(gzip_only.identity, 0);
}

TEST(PreferredCodings, BrotliThenGzipThenIdentityUnlessWeightsSayOtherwise) {
  using V = std::vector<Coding>;
  auto order = [](std::optional<std::string_view> h) {
    return PreferredCodings(ParseAcceptEncoding(h));
  };
  EXPECT_EQ(order("br, gzip"), (V{Coding::kBrotli, Coding::kGzip, Coding::kIdentity}));
  EXPECT_EQ(order("gzip, br"), (V{Coding::kBrotli, Coding::kGzip, Coding::kIdentity}));
  EXPECT_EQ(order("gzip"), (V{Coding::kGzip, Coding::kIdentity}));
  EXPECT_EQ(order(std::nullopt), (V{Coding::kIdentity}));
  EXPECT_EQ(order("br;q=0.2, gzip"), (V{Coding::kGzip, Coding::kIdentity, Coding::kBrotli}));
  EXPECT_EQ(order("br, identity;q=0"), (V{Coding::kBrotli}));
  EXPECT_EQ(order("*;q=0"), V{});
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(ContentType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentType("assets/app-abc123.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentType("assets/worker.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentType("assets/index-9f8e.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentType("assets/logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentType("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentType("assets/a.png"), "image/png");
  EXPECT_EQ(ContentType("assets/a.jpg"), "image/jpeg");
  EXPECT_EQ(ContentType("assets/a.webp"), "image/webp");
  EXPECT_EQ(ContentType("assets/font.woff2"), "font/woff2");
  EXPECT_EQ(ContentType("assets/font.ttf"), "font/ttf");
  EXPECT_EQ(ContentType("assets/app.js.map"), "application/json; charset=utf-8");
  EXPECT_EQ(ContentType("manifest.json"), "application/json; charset=utf-8");
  EXPECT_EQ(ContentType("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(ContentType("assets/x.unknown"), "application/octet-stream");
  EXPECT_EQ(ContentType("LICENSE"), "application/octet-stream");
  EXPECT_EQ(ContentType("dir.js/file"), "application/octet-stream");
}

TEST(CacheControl, HashedAssetsForeverEverythingElseRevalidated) {
  EXPECT_EQ(CacheControl("assets/app-abc123.js"), "public, max-age=31536000, immutable");
  EXPECT_EQ(CacheControl("index.html"), "no-cache");
  EXPECT_EQ(CacheControl("favicon.ico"), "no-cache");
  EXPECT_EQ(CacheControl("assetsx/app.js"), "no-cache");
}

TEST(ETag, DiffersByFileAndCodingAndMatchesWeakly) {
  std::string plain = MakeETag(500, 1700000000123456789, 42, Coding::kIdentity);
  std::string br = MakeETag(500, 1700000000123456789, 42, Coding::kBrotli);
  EXPECT_EQ(plain, "\"1f4-17979cfe3d85cd15-2a\"");
  EXPECT_EQ(br, "\"1f4-17979cfe3d85cd15-2a-br\"");
  EXPECT_NE(MakeETag(500, 1700000000123456790, 42, Coding::kIdentity), plain);
  EXPECT_TRUE(ETagMatches(plain, plain));
  EXPECT_TRUE(ETagMatches("\"x\", W/" + plain, plain));
  EXPECT_TRUE(ETagMatches(" * ", plain));
  EXPECT_FALSE(ETagMatches(br, plain));
  EXPECT_FALSE(ETagMatches("", plain));
}

}  // namespace
}  // namespace nemis::portal
