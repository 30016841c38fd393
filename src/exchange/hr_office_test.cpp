// The HR adapter against a feed played by an in-process server: what is asked (POST to the
// configured path, the bearer token, a request id, the cursor and the page size, nothing
// else) and the page read back; a refusal is peer_refused, an outage peer_unavailable, and
// an answer that is not the documented one bad_answer.
#include "exchange/hr_office.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "http/http.hpp"
#include "http/test_client.hpp"
#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::exchange {
namespace {

using namespace std::chrono_literals;
using nemis::testing::IsErrorCode;

class HrOfficeTest : public ::testing::Test {
 protected:
  HrOfficeTest() {
    router_.Add("POST", "/gateway/hr/staff/changes", [this](http::Request& req) {
      seen_.target = req.target;
      seen_.authorization = std::string(req.Header("authorization").value_or(""));
      seen_.body = req.body;
      http::Response r;
      r.status = status_;
      r.body = answer_;
      return r;
    });
    server_ = std::make_unique<http::test::TestServer>(http::test::TestOptions(dir_.File("spool")),
                                                       router_);
  }

  HrOfficeSettings Settings() const {
    HrOfficeSettings s;
    s.url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/gateway/hr/staff/changes";
    s.token = "hr-t0k3n";
    s.timeout = 2000ms;
    return s;
  }

  struct Seen {
    std::string target, authorization, body;
  } seen_;
  int status_ = 200;
  std::string answer_;
  nemis::testing::TempDir dir_;
  http::Router router_;
  std::unique_ptr<http::test::TestServer> server_;
};

TEST_F(HrOfficeTest, AsksFromTheCursorAndReadsThePage) {
  answer_ = R"({"records":[{"idNumber":"11010519491231002X","name":"李老师","unitCode":"2144000001",
      "post":"专业技术岗位","title":"一级教师","status":"在岗","changedAt":"2026-12-01T08:00:00Z"}],
      "next":"c7","more":true})";
  auto page = HttpHrOffice(Settings())("c6", 500);
  ASSERT_OK(page);
  ASSERT_EQ(page->records.size(), 1u);
  const staff::HrStaffRecord& r = page->records[0];
  EXPECT_EQ(r.id_number, "11010519491231002X");
  EXPECT_EQ(r.name, "李老师");
  EXPECT_EQ(r.unit_code, "2144000001");
  EXPECT_EQ(r.post, "专业技术岗位");
  EXPECT_EQ(r.title, "一级教师");
  EXPECT_EQ(r.status, "在岗");
  EXPECT_EQ(r.changed_at, "2026-12-01T08:00:00Z");
  EXPECT_EQ(page->next, "c7");
  EXPECT_TRUE(page->more);

  EXPECT_EQ(seen_.target, "/gateway/hr/staff/changes");
  EXPECT_EQ(seen_.authorization, "Bearer hr-t0k3n");
  const nlohmann::json body = nlohmann::json::parse(seen_.body, nullptr, false);
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body["requestId"].get<std::string>().size(), 32u);
  EXPECT_EQ(body["after"], "c6");
  EXPECT_EQ(body["limit"], 500);
  EXPECT_EQ(body.size(), 3u);
}

TEST_F(HrOfficeTest, TheEndOfTheFeedIsAnEmptyPage) {
  answer_ = R"({"records":[],"next":"c7","more":false})";
  auto page = HttpHrOffice(Settings())("c7", 500);
  ASSERT_OK(page);
  EXPECT_TRUE(page->records.empty());
  EXPECT_FALSE(page->more);
}

TEST_F(HrOfficeTest, ARefusalIsPeerRefusedAndAnOutageUnavailable) {
  answer_ = R"({"error":"bad cursor"})";
  for (int status : {400, 401, 403}) {
    status_ = status;
    EXPECT_THAT(HttpHrOffice(Settings())("", 500), IsErrorCode("peer_refused")) << status;
  }
  for (int status : {503, 502, 429}) {
    status_ = status;
    EXPECT_THAT(HttpHrOffice(Settings())("", 500), IsErrorCode("peer_unavailable")) << status;
  }
  server_->StopAndJoin();
  EXPECT_THAT(HttpHrOffice(Settings())("", 500), IsErrorCode("peer_unavailable"));
}

TEST_F(HrOfficeTest, AnAnswerNotAsDocumentedIsABadAnswer) {
  const std::string record =
      R"("idNumber":"11010519491231002X","name":"李老师","unitCode":"2144000001",)"
      R"("post":"专业技术岗位","title":"","status":"在岗")";
  for (const std::string& bad :
       {std::string("<html>网关错误</html>"), std::string(R"({"records":[],"more":false})"),
        std::string(R"({"records":[],"next":"c1"})"),
        std::string(R"({"records":[],"next":"c1","more":"no"})"),
        std::string(R"({"records":{},"next":"c1","more":false})"),
        R"({"records":[{)" + record + R"(}],"next":"c1","more":false})",  // no changedAt
        R"({"records":[{)" + record + R"(,"changedAt":7}],"next":"c1","more":false})"}) {
    answer_ = bad;
    EXPECT_THAT(HttpHrOffice(Settings())("", 500), IsErrorCode("bad_answer")) << bad;
  }
}

}  // namespace
}  // namespace nemis::exchange
