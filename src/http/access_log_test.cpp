#include "http/internal/access_log.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/log.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"
#include "http/url.hpp"
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

// The portal's SPA routes can hold a student number: the fallback logs like an unmatched path.
TEST(LoggedPath, FallbackPathsAreMaskedLikeUnmatchedOnes) {
  Route fallback{"GET", std::string(Router::kFallbackPattern), nullptr, {}};
  EXPECT_EQ(LoggedPath(&fallback, {}, "/students/G440101200901010011X"),
            "/students/G440***************X");
  EXPECT_EQ(LoggedPath(&fallback, {}, "/assets/index.css"), "/assets/index.css");
}

TEST(LoggedPath, InvalidUtf8BecomesReplacementCharacters) {
  // A JSON reader must accept every line, whatever bytes a client sent.
  EXPECT_EQ(LoggedPath(nullptr, {}, "/api/v1/\xFF\xFE"), "/api/v1/\uFFFD\uFFFD");
  EXPECT_EQ(LoggedPath(nullptr, {}, "/a/\xE5\xBC/b"), "/a/\uFFFD/b");  // truncated character
  EXPECT_EQ(LoggedPath(nullptr, {}, "/\xC0\xAF"), "/\uFFFD\uFFFD");    // overlong '/'
  EXPECT_EQ(LoggedPath(nullptr, {}, "/\xED\xA0\x80"), "/\uFFFD\uFFFD\uFFFD");  // surrogate
  EXPECT_EQ(LoggedPath(nullptr, {}, "/广州\x80"), "/广州\uFFFD");
  Route route{"GET", "/api/v1/students/{number}", nullptr, {.sensitive_params = {"number"}}};
  EXPECT_EQ(LoggedPath(&route, {{"number", "\xFF"}}, ""), "/api/v1/students/*");
  std::string number = std::string("G440\xFF\xFE") + "20090101001X";
  EXPECT_EQ(LoggedPath(&route, {{"number", number}}, ""), "/api/v1/students/G440*************X");
  std::string long_path = "/" + std::string(255, 'a') + "\xE5\xBC\xA0\xFF";
  EXPECT_EQ(LoggedPath(nullptr, {}, long_path), "/" + std::string(255, 'a') + "...");
  EXPECT_EQ(QueryNames({{"\xFFx", "1"}, {"ok", "\xFF"}}), "\uFFFDx,ok");
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

TEST_F(AccessLogTest, EveryLineIsJsonWhateverTheTargetHolds) {
  Router router;
  router.Add("GET", "/api/v1/students/{number}", [](Request&) { return Response{.body = "{}"}; },
             {.sensitive_params = {"number"}});
  auto options = test::TestOptions(dir_.File("spool"));
  options.access_log = true;
  const std::vector<std::string> targets = {
      "/api/v1/%FF%FE", "/api/v1/%E5%BC",          "/api/v1/\xFF\xFE/x",
      "/api/v1/a%00b",  "/api/v1/x?%FF%FE=1&ok=2", "/api/v1/students/%C0%AF",
      "/api/v1/%FF%zz", "/api/v1/%22%5C%01%7F",    "/api/v1/students/abc?a=%FF"};
  {
    test::TestServer server(options, router);
    for (size_t i = 0; i < targets.size(); ++i) {
      auto res = test::Fetch(server.port(), "GET", targets[i], "",
                             {{"X-Request-Id", "bad-utf8-" + std::to_string(i)}});
      ASSERT_TRUE(res) << i;
    }
  }
  std::istringstream lines(ReadFile(dir_.File("log.jsonl")));
  std::map<std::string, std::string> paths;
  std::string line;
  while (std::getline(lines, line)) {
    auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(json.is_discarded()) << "not JSON: " << line;
    if (json["event"] == "http_request") {
      paths[json["requestId"].get<std::string>()] = json["path"].get<std::string>();
      EXPECT_TRUE(IsValidUtf8(json["queryParams"].get<std::string>()));
    }
  }
  ASSERT_EQ(paths.size(), targets.size());
  EXPECT_EQ(paths["bad-utf8-0"], "/api/v1/\uFFFD\uFFFD");
  EXPECT_EQ(paths["bad-utf8-1"], "/api/v1/\uFFFD");
  EXPECT_EQ(paths["bad-utf8-3"], std::string("/api/v1/a\0b", 11));
  EXPECT_EQ(paths["bad-utf8-7"], "/api/v1/\"\\\x01\x7F");
  for (const auto& [id, path] : paths) EXPECT_TRUE(IsValidUtf8(path)) << id;
}

}  // namespace
}  // namespace nemis::http
