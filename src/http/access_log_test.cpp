#include "http/internal/access_log.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/log.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::http {
namespace {

using namespace std::chrono_literals;

using internal::LoggedPath;
using internal::MaskValue;
using internal::QueryNames;

TEST(MaskValue, KeepsFourFirstAndOneLastCharacter) {
  EXPECT_EQ(MaskValue("G440101200901010011X"), "G440***************X");
  EXPECT_EQ(MaskValue("440101200901010011"), "4401*************1");
  EXPECT_EQ(MaskValue("abcdef"), "abcd*f");
  EXPECT_EQ(MaskValue("abcde"), "*****");
  EXPECT_EQ(MaskValue(""), "");
  EXPECT_EQ(MaskValue("广东省广州市天河区"),
            "广东省广****区");  // whole characters, never split bytes
}

TEST(LoggedPath, MasksSensitiveParamsOnly) {
  Route route{
      "GET", "/api/v1/schools/{code}/students/{number}", nullptr, {.sensitive_params = {"number"}}};
  std::map<std::string, std::string> params = {{"code", "4401010001"},
                                               {"number", "G440101200901010011X"}};
  EXPECT_EQ(LoggedPath(&route, params, "ignored"),
            "/api/v1/schools/4401010001/students/G440***************X");
}

TEST(LoggedPath, UnmatchedPathsMaskIdentifierLikeSegments) {
  EXPECT_EQ(LoggedPath(nullptr, {}, "/api/v1/studnets/G440101200901010011X/x"),
            "/api/v1/studnets/G440***************X/x");
  EXPECT_EQ(LoggedPath(nullptr, {}, "/favicon.ico"), "/favicon.ico");
  EXPECT_EQ(LoggedPath(nullptr, {}, "/"), "/");
  EXPECT_LE(LoggedPath(nullptr, {}, "/" + std::string(5000, 'a')).size(), 260u);
}

TEST(QueryNames, ListsNamesNeverValues) {
  EXPECT_EQ(QueryNames({{"name", "张三"}, {"idNumber", "440101200901010011"}, {"limit", "10"}}),
            "name,idNumber,limit");
  EXPECT_EQ(QueryNames({}), "");
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class AccessLogTest : public ::testing::Test {
 protected:
  void SetUp() override { log::Init(log::Level::kInfo, dir_.File("log.jsonl")); }
  void TearDown() override { log::Init(log::Level::kInfo, ""); }
  nemis::testing::TempDir dir_;
};

TEST_F(AccessLogTest, OneLinePerRequestWithoutPersonalData) {
  Router router;
  router.Add("GET", "/api/v1/students/{number}", [](Request&) { return Response{.body = "{}"}; },
             {.sensitive_params = {"number"}});
  router.Add("GET", "/api/v1/boom",
             [](Request&) -> Response { throw std::runtime_error("disk on fire"); });
  auto options = test::TestOptions(dir_.File("spool"));
  options.access_log = true;
  {
    test::TestServer server(options, router);
    auto res = test::Fetch(
        server.port(), "GET",
        "/api/v1/students/G440101200901010011X?idNumber=440101200901010099&name=%E5%BC%A0%E4%B8%89",
        "", {{"X-Request-Id", "log-test-1"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    auto boom =
        test::Fetch(server.port(), "GET", "/api/v1/boom", "", {{"X-Request-Id", "log-test-2"}});
    EXPECT_EQ(boom->status, 500);
    EXPECT_EQ(boom->body.find("disk on fire"), std::string::npos);
    test::Fetch(server.port(), "GET", "/nowhere/440101200901010099?secret=abc");
  }
  std::string text = ReadFile(dir_.File("log.jsonl"));
  EXPECT_NE(
      text.find(
          R"("event":"http_request","requestId":"log-test-1","method":"GET",)"
          R"("route":"/api/v1/students/{number}","path":"/api/v1/students/G440***************X",)"
          R"("queryParams":"idNumber,name","status":200,"bytes":2,)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("remote":"127.0.0.1")"), std::string::npos);
  EXPECT_NE(text.find(R"("ms":)"), std::string::npos);
  // The exception is logged (what() only), with its request id.
  EXPECT_NE(
      text.find(R"("event":"http_handler_failed","requestId":"log-test-2","route":"/api/v1/boom",)"
                R"("error":"disk on fire")"),
      std::string::npos);
  EXPECT_NE(
      text.find(
          R"("route":"unmatched","path":"/nowhere/4401*************9","queryParams":"secret")"),
      std::string::npos)
      << text;
  for (const char* secret :
       {"G440101200901010011X", "440101200901010099", "张三", "%E5%BC%A0", "abc\""}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace nemis::http
