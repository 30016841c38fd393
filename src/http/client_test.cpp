// The node-to-node client against the real server on a loopback port: http:// URLs split
// into host, port and target (anything but http:// and https:// "bad_url"; https in
// tls_test.cpp); a GET's status, body and headers
// (looked up case-insensitively); a POST's body, content type and headers reaching the
// handler; an error status returned as a response; and "peer_unavailable" for a closed
// port, a peer slower than the timeout and a body larger than allowed.
#include "http/client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "http/server.hpp"
#include "http/test_client.hpp"
#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::http {
namespace {

using namespace std::chrono_literals;
using nemis::testing::IsErrorCode;

// A loopback port nothing listens on: bound to find it free, then closed.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

class ClientTest : public ::testing::Test {
 protected:
  ClientTest() {
    router_.Add("GET", "/exchange/v1/status", [](Request&) {
      Response r;
      r.body = R"({"node":"440000","head":42})";
      r.SetHeader("X-Nemis-Node", "440000");
      return r;
    });
    router_.Add("POST", "/exchange/v1/echo", [](Request& req) {
      Response r;
      r.status = 201;
      r.body = req.body;
      r.SetHeader("X-Echo-Method", req.method);
      r.SetHeader("X-Echo-Target", req.target);
      r.SetHeader("X-Echo-Custom", std::string(req.Header("x-nemis-custom").value_or("none")));
      r.SetHeader("X-Echo-Content-Type", std::string(req.Header("content-type").value_or("none")));
      r.SetHeader("X-Echo-Host", std::string(req.Header("host").value_or("none")));
      r.SetHeader("X-Echo-User-Agent", std::string(req.Header("user-agent").value_or("none")));
      return r;
    });
    router_.Add("GET", "/exchange/v1/sleep/{ms}", [](Request& req) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(req.PathParam("ms"))));
      Response r;
      r.body = "{}";
      return r;
    });
    router_.Add("GET", "/exchange/v1/large/{bytes}", [](Request& req) {
      Response r;
      r.body = std::string(std::stoul(req.PathParam("bytes")), 'x');
      return r;
    });
    server_ = std::make_unique<test::TestServer>(test::TestOptions(dir_.File("spool")), router_);
  }

  std::string Url(const std::string& target) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + target;
  }

  nemis::testing::TempDir dir_;
  Router router_;
  std::unique_ptr<test::TestServer> server_;
};

TEST(ParseHttpUrlTest, SplitsHostPortAndTarget) {
  auto url = ParseHttpUrl("http://127.0.0.1:8080/a?b=1");
  ASSERT_OK(url);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, "8080");
  EXPECT_EQ(url->target, "/a?b=1");

  auto bare = ParseHttpUrl("http://example.org");
  ASSERT_OK(bare);
  EXPECT_EQ(bare->host, "example.org");
  EXPECT_EQ(bare->port, "80");
  EXPECT_EQ(bare->target, "/");

  auto root = ParseHttpUrl("http://nemis.example.org:9000/");
  ASSERT_OK(root);
  EXPECT_EQ(root->host, "nemis.example.org");
  EXPECT_EQ(root->port, "9000");
  EXPECT_EQ(root->target, "/");
}

TEST(ParseHttpUrlTest, AnythingButHttpOrHttpsIsABadUrl) {
  for (const char* bad :
       {"ftp://x", "http://", "https://", "https://:443/", "http:///a", "http://host:port/",
        "http://host:/", "http://a b/", "http://user@host/", "127.0.0.1:80/", ""}) {
    EXPECT_THAT(ParseHttpUrl(bad), IsErrorCode("bad_url")) << bad;
  }
}

TEST(ParseHttpUrlTest, FetchRefusesABadUrlBeforeConnecting) {
  ClientRequest req;
  req.url = "ftp://127.0.0.1/x";
  EXPECT_THAT(Fetch(req), IsErrorCode("bad_url"));
}

TEST_F(ClientTest, GetReturnsStatusBodyAndHeadersLookedUpInAnyCase) {
  ClientRequest req;
  req.url = Url("/exchange/v1/status");
  auto res = Fetch(req);
  ASSERT_OK(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"node":"440000","head":42})");
  EXPECT_EQ(res->Header("X-Nemis-Node"), "440000");
  EXPECT_EQ(res->Header("x-nemis-node"), "440000");
  EXPECT_EQ(res->Header("X-NEMIS-NODE"), "440000");
  EXPECT_EQ(res->Header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(res->Header("Content-Length"), std::to_string(res->body.size()));
  EXPECT_FALSE(res->Header("X-Nemis-Nod").has_value());
  EXPECT_FALSE(res->Header("X-Nemis-Node-").has_value());
}

TEST_F(ClientTest, PostSendsItsBodyContentTypeAndHeaders) {
  ClientRequest req;
  req.method = "POST";
  req.url = Url("/exchange/v1/echo?after=7");
  req.body = R"({"batch":"学籍","count":3})";
  req.content_type = "application/octet-stream";
  req.headers = {{"X-Nemis-Custom", "v1"}};
  auto res = Fetch(req);
  ASSERT_OK(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, req.body);
  EXPECT_EQ(res->Header("X-Echo-Method"), "POST");
  EXPECT_EQ(res->Header("X-Echo-Target"), "/exchange/v1/echo?after=7");
  EXPECT_EQ(res->Header("X-Echo-Custom"), "v1");
  EXPECT_EQ(res->Header("X-Echo-Content-Type"), "application/octet-stream");
  EXPECT_EQ(res->Header("X-Echo-Host"), "127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_EQ(res->Header("X-Echo-User-Agent"), "nemis");
}

TEST_F(ClientTest, AnEmptyPostIsSent) {
  ClientRequest req;
  req.method = "POST";
  req.url = Url("/exchange/v1/echo");
  auto res = Fetch(req);
  ASSERT_OK(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, "");
  EXPECT_EQ(res->Header("X-Echo-Content-Type"), "application/json");
}

TEST_F(ClientTest, AnErrorStatusIsAResponseNotAnError) {
  ClientRequest req;
  req.url = Url("/exchange/v1/nothing");
  auto missing = Fetch(req);
  ASSERT_OK(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find(R"("code":"not_found")"), std::string::npos) << missing->body;

  req.method = "DELETE";
  req.url = Url("/exchange/v1/echo");
  auto wrong = Fetch(req);
  ASSERT_OK(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->Header("allow"), "POST");
}

TEST_F(ClientTest, AClosedPortIsPeerUnavailable) {
  const int port = ClosedPort();
  ASSERT_NE(port, 0);
  ClientRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/exchange/v1/status";
  req.timeout = 5s;
  auto res = Fetch(req);
  EXPECT_THAT(res, IsErrorCode("peer_unavailable"));
  if (!res.ok()) {
    EXPECT_NE(res.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
        << res.error().message;
  }
}

TEST_F(ClientTest, AStoppedServerIsPeerUnavailable) {
  const std::string url = Url("/exchange/v1/status");
  server_->StopAndJoin();
  ClientRequest req;
  req.url = url;
  req.timeout = 5s;
  EXPECT_THAT(Fetch(req), IsErrorCode("peer_unavailable"));
}

TEST_F(ClientTest, APeerSlowerThanTheTimeoutIsPeerUnavailable) {
  ClientRequest req;
  req.url = Url("/exchange/v1/sleep/1000");
  req.timeout = 200ms;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(Fetch(req), IsErrorCode("peer_unavailable"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);

  // Within the timeout the same route answers.
  req.url = Url("/exchange/v1/sleep/10");
  req.timeout = 5s;
  auto res = Fetch(req);
  ASSERT_OK(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(ClientTest, ABodyLargerThanAllowedIsPeerUnavailable) {
  ClientRequest req;
  req.url = Url("/exchange/v1/large/1000");
  req.max_body_bytes = 999;
  EXPECT_THAT(Fetch(req), IsErrorCode("peer_unavailable"));

  req.max_body_bytes = 1000;
  auto exact = Fetch(req);
  ASSERT_OK(exact);
  EXPECT_EQ(exact->body.size(), 1000u);
}

}  // namespace
}  // namespace nemis::http
