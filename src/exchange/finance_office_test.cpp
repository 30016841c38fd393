// The finance adapter against a payment platform played by an in-process server: what is
// sent (POST to the configured path, the bearer token, a request id and each payment's id,
// resident ID, name, programme, school year, amount in 元 and school, nothing in the URL or a
// header), the results read back; a refusal (401, 403) is peer_refused, an outage (503, 500,
// 429, a closed port, slower than the timeout) peer_unavailable, and an answer that is not
// the documented one bad_answer.
#include "exchange/finance_office.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "exchange/department_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::exchange {
namespace {

using namespace std::chrono_literals;
using aid::AidPayment;
using nemis::testing::IsErrorCode;

const std::vector<AidPayment> kPayments = {
    {std::string(32, 'a'), "11010519491231002X", "张三", "03", "普通高中国家助学金", 2026, 150000,
     "2144000003"},
    {std::string(32, 'b'), "440524188001010014", "李四", "02", "义务教育家庭经济困难学生生活补助",
     2025, 50005, "2144000001"}};

class FinanceOfficeTest : public DepartmentServerTest {
 protected:
  FinanceOfficeTest() : DepartmentServerTest("/gateway/finance/payments") {}
  DepartmentEndpoint Settings() const { return Endpoint("f1n4nc3"); }
};

TEST_F(FinanceOfficeTest, SendsEachPaymentAndReadsTheResults) {
  answer_ = R"({"results":[
      {"paymentId":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","result":"已发放","reference":"CZ000000000001"},
      {"paymentId":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","result":"未发放","reason":"无有效一卡通账户"}]})";
  auto results = HttpFinanceOffice(Settings())(kPayments);
  ASSERT_OK(results);
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ((*results)[0].payment_id, std::string(32, 'a'));
  EXPECT_EQ((*results)[0].result, "已发放");
  EXPECT_EQ((*results)[0].reference, "CZ000000000001");
  EXPECT_EQ((*results)[0].reason, "");
  EXPECT_EQ((*results)[1].result, "未发放");
  EXPECT_EQ((*results)[1].reason, "无有效一卡通账户");

  EXPECT_EQ(seen_.target, "/gateway/finance/payments");
  EXPECT_EQ(seen_.authorization, "Bearer f1n4nc3");
  const nlohmann::json body = nlohmann::json::parse(seen_.body, nullptr, false);
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body["requestId"].get<std::string>().size(), 32u);
  EXPECT_EQ(body.size(), 2u);  // requestId and payments, nothing else
  EXPECT_EQ(body["payments"], nlohmann::json::parse(R"([
      {"paymentId":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","idNumber":"11010519491231002X",
       "name":"张三","programme":"03","programmeName":"普通高中国家助学金","schoolYear":2026,
       "amount":"1500.00","schoolCode":"2144000003"},
      {"paymentId":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","idNumber":"440524188001010014",
       "name":"李四","programme":"02","programmeName":"义务教育家庭经济困难学生生活补助",
       "schoolYear":2025,"amount":"500.05","schoolCode":"2144000001"}])"));
}

TEST_F(FinanceOfficeTest, NoTokenNoAuthorizationHeader) {
  answer_ = R"({"results":[]})";
  DepartmentEndpoint s = Settings();
  s.token.clear();
  ASSERT_OK(HttpFinanceOffice(s)(kPayments));
  EXPECT_EQ(seen_.authorization, "");
}

TEST_F(FinanceOfficeTest, ARefusalIsPeerRefusedAndAnOutageUnavailable) {
  answer_ = R"({"error":"quota exceeded"})";
  for (int status : {401, 403, 400}) {
    status_ = status;
    auto r = HttpFinanceOffice(Settings())(kPayments);
    EXPECT_THAT(r, IsErrorCode("peer_refused")) << status;
    if (!r.ok()) {
      EXPECT_EQ(r.error().message, "财政部门支付平台拒绝了请求（HTTP " + std::to_string(status) +
                                       "）：检查 finance.url 和 finance.token_file");
    }
  }
  for (int status : {503, 500, 429}) {
    status_ = status;
    EXPECT_THAT(HttpFinanceOffice(Settings())(kPayments), IsErrorCode("peer_unavailable"))
        << status;
  }
}

TEST_F(FinanceOfficeTest, AnAnswerNotAsDocumentedIsABadAnswer) {
  for (const char* bad :
       {"<html>网关错误</html>", R"({"verdicts":[]})", R"({"results":{}})",
        R"({"results":[{"result":"已发放"}]})", R"({"results":[{"paymentId":"a"}]})",
        R"({"results":[{"paymentId":1,"result":"已发放"}]})",
        R"({"results":[{"paymentId":"a","result":"已发放","reference":7}]})",
        R"({"results":[{"paymentId":"a","result":"未发放","reason":null}]})"}) {
    answer_ = bad;
    EXPECT_THAT(HttpFinanceOffice(Settings())(kPayments), IsErrorCode("bad_answer")) << bad;
  }
}

TEST_F(FinanceOfficeTest, ASlowOrAbsentPlatformIsUnavailable) {
  answer_ = R"({"results":[]})";
  delay_ = 800ms;
  DepartmentEndpoint s = Settings();
  s.timeout = 200ms;
  EXPECT_THAT(HttpFinanceOffice(s)(kPayments), IsErrorCode("peer_unavailable"));
  delay_ = 0ms;
  server_->StopAndJoin();
  EXPECT_THAT(HttpFinanceOffice(Settings())(kPayments), IsErrorCode("peer_unavailable"));
}

}  // namespace
}  // namespace nemis::exchange
