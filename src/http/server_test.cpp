// The server against a real socket: routing, errors, keep-alive, pipelining,
// request ids, headers and metrics.
#include "http/server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "base/metrics.hpp"
#include "http/test_client.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::http {
namespace {

using namespace std::chrono_literals;

using test::ClientResponse;
using test::Fetch;
using test::RequestText;
using test::TestConnection;

Response Text(std::string body, int status = 200) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    router_.Add("GET", "/healthz", [](Request&) { return Text("ok"); }, {.inline_on_io = true});
    router_.Add("GET", "/api/v1/students/{number}", [](Request& req) {
      return Text("number=" + req.PathParam("number") +
                  ";q=" + std::string(req.Query("q").value_or("-")) + ";route=" + req.route);
    });
    router_.Add("POST", "/api/v1/echo", [](Request& req) { return Text(req.body, 201); });
    router_.Add("GET", "/api/v1/sleep/{ms}", [](Request& req) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(req.PathParam("ms"))));
      return Text(req.PathParam("ms"));
    });
    router_.Add("GET", "/api/v1/boom", [](Request&) -> Response {
      throw std::runtime_error("SELECT id_number FROM students_pii failed at /var/lib/nemis/db");
    });
    router_.Add("GET", "/api/v1/header", [](Request& req) {
      return Text(std::string(req.Header("x-custom").value_or("none")) + "|" + req.request_id);
    });
  }

  void Start(ServerOptions options) {
    server_ = std::make_unique<test::TestServer>(std::move(options), router_);
  }
  void Start() { Start(test::TestOptions(dir_.File("spool"))); }
  int port() const { return server_->port(); }

  nemis::testing::TempDir dir_;
  Router router_;
  std::unique_ptr<test::TestServer> server_;
};

TEST_F(ServerTest, RoutesWithPathParamsAndDecodedQuery) {
  Start();
  auto res = Fetch(port(), "GET", "/api/v1/students/G440%E5%BC%A0?q=%E5%BC%A0+%E4%B8%89");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "number=G440张;q=张 三;route=/api/v1/students/{number}");
}

TEST_F(ServerTest, EveryResponseCarriesTheStandardHeaders) {
  Start();
  for (const char* target : {"/api/v1/students/G1", "/api/v1/nothing", "/healthz"}) {
    auto res = Fetch(port(), "GET", target);
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->Header("Content-Type"), "application/json; charset=utf-8") << target;
    EXPECT_EQ(res->Header("Content-Length"), std::to_string(res->body.size())) << target;
    EXPECT_EQ(res->Header("X-Request-Id").value_or("").size(), 16u) << target;
    EXPECT_EQ(res->Header("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(res->Header("X-Frame-Options"), "DENY") << target;
    EXPECT_EQ(res->Header("Referrer-Policy"), "no-referrer") << target;
  }
  EXPECT_EQ(Fetch(port(), "GET", "/api/v1/students/G1")->Header("Cache-Control"), "no-store");
  EXPECT_FALSE(Fetch(port(), "GET", "/healthz")->Header("Cache-Control").has_value());
}

TEST_F(ServerTest, UnknownPathIs404AndWrongMethodIs405) {
  Start();
  auto missing = Fetch(port(), "GET", "/api/v1/teachers");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find(R"("code":"not_found")"), std::string::npos);
  EXPECT_NE(missing->body.find(*missing->Header("X-Request-Id")), std::string::npos);

  auto wrong = Fetch(port(), "DELETE", "/api/v1/echo");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->Header("Allow"), "POST");
  EXPECT_NE(wrong->body.find(R"("code":"method_not_allowed")"), std::string::npos);
}

TEST_F(ServerTest, HeadIsServedByGetWithoutBody) {
  Start();
  TestConnection c(port());
  ASSERT_TRUE(c.Send(RequestText("HEAD", "/api/v1/students/G1")));
  auto head = c.Read(10s, true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
  std::string full = "number=G1;q=-;route=/api/v1/students/{number}";
  EXPECT_EQ(head->Header("Content-Length"), std::to_string(full.size()));
  // No stray body bytes: the next response on the connection parses cleanly.
  ASSERT_TRUE(c.Send(RequestText("GET", "/api/v1/students/G1")));
  auto get = c.Read();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->body, full);
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Start();
  TestConnection c(port());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(c.Send(RequestText("POST", "/api/v1/echo", "body-" + std::to_string(i))));
    auto res = c.Read();
    ASSERT_TRUE(res) << i;
    EXPECT_EQ(res->status, 201);
    EXPECT_EQ(res->body, "body-" + std::to_string(i));
    EXPECT_FALSE(res->Header("Connection").has_value());
  }
  ASSERT_TRUE(c.Send(RequestText("GET", "/healthz", "", {{"Connection", "close"}})));
  auto last = c.Read();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->Header("Connection"), "close");
  EXPECT_TRUE(c.WaitClosed(2s));
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveIsAsked) {
  Start();
  TestConnection plain(port());
  ASSERT_TRUE(plain.Send("GET /healthz HTTP/1.0\r\n\r\n"));
  auto res = plain.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(plain.WaitClosed(2s));

  TestConnection keep(port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(keep.Send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto r = keep.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->Header("Connection"), "keep-alive");
  }
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Start();
  TestConnection c(port());
  std::string batch;
  // Earlier requests sleep longer: answers must still come back in request order.
  for (int i = 0; i < 8; ++i)
    batch += RequestText("GET", "/api/v1/sleep/" + std::to_string(40 - 5 * i));
  batch += RequestText("GET", "/healthz");
  ASSERT_TRUE(c.Send(batch));
  for (int i = 0; i < 8; ++i) {
    auto res = c.Read();
    ASSERT_TRUE(res) << i;
    EXPECT_EQ(res->body, std::to_string(40 - 5 * i));
  }
  auto last = c.Read();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->body, "ok");
}

TEST_F(ServerTest, RequestIdIsEchoedWhenSafeAndReplacedOtherwise) {
  Start();
  auto echoed = Fetch(port(), "GET", "/api/v1/header", "", {{"X-Request-Id", "gateway-42.a_b"}});
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->Header("X-Request-Id"), "gateway-42.a_b");
  EXPECT_EQ(echoed->body, "none|gateway-42.a_b");

  for (std::string bad :
       {std::string("has space"), std::string(65, 'a'), std::string("x\"y"), std::string("<b>")}) {
    auto res = Fetch(port(), "GET", "/api/v1/header", "", {{"X-Request-Id", bad}});
    ASSERT_TRUE(res) << bad;
    std::string id = res->Header("X-Request-Id").value_or("");
    EXPECT_EQ(id.size(), 16u) << bad;
    EXPECT_NE(id, bad);
    EXPECT_EQ(res->body, "none|" + id);
  }
  auto a = Fetch(port(), "GET", "/healthz");
  auto b = Fetch(port(), "GET", "/healthz");
  EXPECT_NE(a->Header("X-Request-Id"), b->Header("X-Request-Id"));
}

TEST_F(ServerTest, HandlerExceptionIs500WithoutInternals) {
  Start();
  auto res = Fetch(port(), "GET", "/api/v1/boom", "", {{"X-Request-Id", "boom-1"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(res->body,
            R"({"error":{"code":"internal","message":"服务器内部错误","requestId":"boom-1"}})");
  // The server keeps serving.
  EXPECT_EQ(Fetch(port(), "GET", "/healthz")->status, 200);
}

TEST_F(ServerTest, BadEscapesAndInvalidUtf8Are400) {
  Start();
  TestConnection c(port());
  for (const char* target : {"/api/v1/students/%zz", "/api/v1/students/%C0%AF",
                             "/api/v1/students/G1?q=%FF", "/api/v1/students/a%2Fb"}) {
    ASSERT_TRUE(c.Send(RequestText("GET", target)));
    auto res = c.Read();
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->status, 400) << target;
    EXPECT_NE(res->body.find(R"("code":"bad_request")"), std::string::npos);
  }
  // A bad target without a body does not cost the connection.
  ASSERT_TRUE(c.Send(RequestText("GET", "/healthz")));
  EXPECT_EQ(c.Read()->status, 200);
}

TEST_F(ServerTest, MalformedRequestIs400AndCloses) {
  Start();
  for (std::string raw :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/1.1\r\nBad Header\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
        std::string("POST /api/v1/echo HTTP/1.1\r\nContent-Length: x\r\n\r\n")}) {
    TestConnection c(port());
    ASSERT_TRUE(c.Send(raw));
    auto res = c.Read();
    ASSERT_TRUE(res) << raw;
    EXPECT_EQ(res->status, 400) << raw;
    EXPECT_EQ(res->Header("Connection"), "close");
    EXPECT_EQ(res->Header("X-Request-Id").value_or("").size(), 16u);
    EXPECT_TRUE(c.WaitClosed(2s)) << raw;
  }
}

TEST_F(ServerTest, MetricsUseRoutePatterns) {
  Start();
  Fetch(port(), "GET", "/api/v1/students/G440101200901010011");
  Fetch(port(), "GET", "/api/v1/no/such/G440101200901010011");
  // A response is counted after its last byte is written, which may be just after
  // the client has read it: wait for the count rather than race it.
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text = MetricsRegistry::Global().RenderText();
    if (text.find(R"(route="unmatched",method="GET",status="404")") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(
      text.find(
          R"(nemis_http_request_seconds_count{route="/api/v1/students/{number}",method="GET"})"),
      std::string::npos);
  EXPECT_NE(
      text.find(
          R"(nemis_http_responses_total{route="/api/v1/students/{number}",method="GET",status="200"})"),
      std::string::npos);
  EXPECT_NE(text.find(R"(nemis_http_responses_total{route="unmatched",method="GET",status="404"})"),
            std::string::npos);
  EXPECT_EQ(text.find("G440101200901010011"), std::string::npos);
  EXPECT_NE(text.find("nemis_http_connections_opened_total"), std::string::npos);
  EXPECT_NE(text.find("nemis_http_requests_started_total"), std::string::npos);
}

}  // namespace
}  // namespace nemis::http
