// The HR adapter against a feed played by an in-process server: what is asked (POST to the
// configured path, the bearer token, a request id, the cursor and the page size, nothing
// else) and the page read back; a refusal is peer_refused, an outage peer_unavailable, and
// an answer that is not the documented one bad_answer.
#include "exchange/hr_office.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "exchange/department_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::exchange {
namespace {

using namespace std::chrono_literals;
using nemis::testing::IsErrorCode;

class HrOfficeTest : public DepartmentServerTest {
 protected:
  HrOfficeTest() : DepartmentServerTest("/gateway/hr/staff/changes") {}
  DepartmentEndpoint Settings() const { return Endpoint("hr-t0k3n"); }
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
