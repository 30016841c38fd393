#include "http/http.hpp"

#include <gtest/gtest.h>

#include "http/internal/request_id.hpp"
#include "http/internal/wire.hpp"
#include "http/url.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::http {
namespace {

TEST(Request, HeaderLookupIgnoresCase) {
  Request req;
  req.headers = {{"Content-Type", "text/csv"}, {"X-Request-Id", "abc"}};
  EXPECT_EQ(req.Header("content-type"), "text/csv");
  EXPECT_EQ(req.Header("X-REQUEST-ID"), "abc");
  EXPECT_FALSE(req.Header("Accept").has_value());
}

TEST(Request, QueryReturnsTheFirstValue) {
  Request req;
  req.query = {{"school", "4401010001"}, {"limit", "50"}, {"school", "second"}};
  EXPECT_EQ(req.Query("school"), "4401010001");
  EXPECT_EQ(req.Query("limit"), "50");
  EXPECT_FALSE(req.Query("LIMIT").has_value());  // names are case-sensitive
}

TEST(Response, SetHeaderReplacesCaseInsensitively) {
  Response res;
  res.SetHeader("ETag", "\"1\"");
  res.SetHeader("etag", "\"2\"");
  res.SetHeader("Location", "/x");
  ASSERT_EQ(res.headers.size(), 2u);
  EXPECT_EQ(res.headers[0].second, "\"2\"");
}

TEST(ErrorResponse, RendersTheApiErrorShape) {
  Response res = ErrorResponse(404, "not_found", "记录不存在", "r-1");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, R"({"error":{"code":"not_found","message":"记录不存在","requestId":"r-1"}})");
  EXPECT_EQ(res.content_type, "application/json; charset=utf-8");
}

TEST(ErrorResponse, EscapesJson) {
  Response res = ErrorResponse(400, "bad", "a \"quoted\"\nline\\", "id");
  EXPECT_EQ(res.body,
            R"({"error":{"code":"bad","message":"a \"quoted\"\nline\\","requestId":"id"}})");
}

TEST(PercentDecode, DecodesEscapesAndPlus) {
  std::string out;
  ASSERT_TRUE(PercentDecode("a%20b%2Bc+d", true, &out));
  EXPECT_EQ(out, "a b+c d");
  ASSERT_TRUE(PercentDecode("a+b", false, &out));
  EXPECT_EQ(out, "a+b");
  ASSERT_TRUE(PercentDecode("%E5%BC%A0%e4%b8%89", false, &out));
  EXPECT_EQ(out, "张三");
}

TEST(PercentDecode, RejectsBadEscapes) {
  std::string out;
  EXPECT_FALSE(PercentDecode("%", false, &out));
  EXPECT_FALSE(PercentDecode("%4", false, &out));
  EXPECT_FALSE(PercentDecode("ab%zz", false, &out));
  EXPECT_FALSE(PercentDecode("%g1", false, &out));
}

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("广东省广州市"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600, four bytes
}

TEST(IsValidUtf8, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE5\xBC"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(ParseTarget, SplitsAndDecodes) {
  std::string path;
  QueryList query;
  ASSERT_OK(ParseTarget("/api/v1/students/%E5%BC%A0?name=%E5%BC%A0+%E4%B8%89&flag&limit=10&&x=a=b",
                        &path, &query));
  EXPECT_EQ(path, "/api/v1/students/张");
  QueryList expected = {{"name", "张 三"}, {"flag", ""}, {"limit", "10"}, {"x", "a=b"}};
  EXPECT_EQ(query, expected);
}

TEST(ParseTarget, RejectsBadTargets) {
  std::string path;
  QueryList query;
  EXPECT_THAT(ParseTarget("api/v1", &path, &query), nemis::testing::IsErrorCode("bad_request"));
  EXPECT_THAT(ParseTarget("http://example.com/x", &path, &query),
              nemis::testing::IsErrorCode("bad_request"));
  EXPECT_THAT(ParseTarget("/a%zz", &path, &query), nemis::testing::IsErrorCode("bad_request"));
  EXPECT_THAT(ParseTarget("/a%C0%AF", &path, &query),
              nemis::testing::IsErrorCode("bad_request"));  // decodes to overlong UTF-8
  EXPECT_THAT(ParseTarget("/a%2Fb", &path, &query),
              nemis::testing::IsErrorCode("bad_request"));  // encoded slash
  EXPECT_THAT(ParseTarget("/a%00b", &path, &query),
              nemis::testing::IsErrorCode("bad_request"));  // NUL
  EXPECT_THAT(ParseTarget("/a?q=%ZZ", &path, &query), nemis::testing::IsErrorCode("bad_request"));
  EXPECT_THAT(ParseTarget("/a?q=%FF", &path, &query), nemis::testing::IsErrorCode("bad_request"));
  auto error = ParseTarget("/a%zz", &path, &query);
  EXPECT_EQ(HttpStatus(error.error().kind), 400);
}

TEST(RequestId, AcceptsOnlySafeIds) {
  using internal::IsAcceptableRequestId;
  EXPECT_TRUE(IsAcceptableRequestId("abc-DEF_1.2"));
  EXPECT_TRUE(IsAcceptableRequestId(std::string(64, 'a')));
  EXPECT_FALSE(IsAcceptableRequestId(""));
  EXPECT_FALSE(IsAcceptableRequestId(std::string(65, 'a')));
  EXPECT_FALSE(IsAcceptableRequestId("a b"));
  EXPECT_FALSE(IsAcceptableRequestId("a\"b"));
  EXPECT_FALSE(IsAcceptableRequestId("张三"));
  EXPECT_EQ(internal::PickRequestId(std::string_view("client-1")), "client-1");
  EXPECT_EQ(internal::PickRequestId(std::string_view("bad id")).size(), 16u);
  EXPECT_EQ(internal::PickRequestId(std::nullopt).size(), 16u);
}

TEST(Wire, RendersMandatoryHeaders) {
  Response res;
  res.body = "{}";
  res.SetHeader("ETag", "\"3\"");
  res.SetHeader("Content-Length", "999");         // reserved: ignored
  res.SetHeader("X-Evil", "a\r\nSet-Cookie: x");  // injection: dropped
  internal::WireContext ctx;
  ctx.request_id = "rid";
  ctx.api_path = true;
  std::string head = internal::RenderHead(res, ctx);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json; charset=utf-8\r\n"
            "Content-Length: 2\r\n"
            "X-Request-Id: rid\r\n"
            "Cache-Control: no-store\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "X-Frame-Options: DENY\r\n"
            "Referrer-Policy: no-referrer\r\n"
            "ETag: \"3\"\r\n"
            "\r\n");
}

// Under /api/ a response is never stored by default (personal data); a handler that chose
// its caching (the API reference's static files) keeps its own, and only it.
TEST(Wire, ApiCacheControlDefaultsToNoStoreButAHandlersOwnIsKept) {
  Response res;
  res.SetHeader("Cache-Control", "no-cache");
  internal::WireContext ctx;
  ctx.request_id = "rid";
  ctx.api_path = true;
  std::string head = internal::RenderHead(res, ctx);
  EXPECT_NE(head.find("\r\nCache-Control: no-cache\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("no-store"), std::string::npos) << head;
  ctx.api_path = false;  // outside /api/ nothing is added either way
  EXPECT_EQ(internal::RenderHead(res, ctx), head);
  res.headers.clear();
  EXPECT_EQ(internal::RenderHead(res, ctx).find("Cache-Control"), std::string::npos);
}

TEST(Wire, ContentTypeComesFromTheHeaderOrTheField) {
  Response res;
  internal::WireContext ctx;
  ctx.request_id = "r";
  res.content_type = "text/csv; charset=utf-8";
  EXPECT_NE(internal::RenderHead(res, ctx).find("Content-Type: text/csv; charset=utf-8\r\n"),
            std::string::npos);
  res.content_type = "text/html\r\nSet-Cookie: a=b";  // injection: falls back to JSON
  std::string head = internal::RenderHead(res, ctx);
  EXPECT_EQ(head.find("Set-Cookie"), std::string::npos);
  EXPECT_NE(head.find("Content-Type: application/json; charset=utf-8\r\n"), std::string::npos);
  res.SetHeader("content-type", "image/png");
  head = internal::RenderHead(res, ctx);
  EXPECT_NE(head.find("Content-Type: image/png\r\n"), std::string::npos);
  EXPECT_EQ(head.find("content-type"), std::string::npos);  // not emitted twice
}

TEST(Wire, CloseKeepAliveAndNoContent) {
  Response res;
  res.status = 204;
  internal::WireContext ctx;
  ctx.request_id = "r";
  ctx.close = true;
  std::string head = internal::RenderHead(res, ctx);
  EXPECT_NE(head.find("HTTP/1.1 204 No Content\r\n"), std::string::npos);
  EXPECT_EQ(head.find("Content-Length"), std::string::npos);
  EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(head.find("Cache-Control"), std::string::npos);
  EXPECT_FALSE(internal::SendsBody(204, false));
  EXPECT_FALSE(internal::SendsBody(200, true));
  EXPECT_TRUE(internal::SendsBody(404, false));
  ctx.close = false;
  ctx.keep_alive_10 = true;
  EXPECT_NE(internal::RenderHead(res, ctx).find("Connection: keep-alive\r\n"), std::string::npos);
}

}  // namespace
}  // namespace nemis::http
