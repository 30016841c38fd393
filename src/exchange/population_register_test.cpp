// The population register adapter against a register played by an in-process server: what
// is sent (POST to the configured path, the bearer token, a request id and only each
// person's ID and name, nothing of them in the URL or a header) and the verdicts read back;
// a register refusing (401) is peer_refused, one down or overloaded (503, 429, a closed port,
// slower than the timeout) peer_unavailable, and an answer that is not the documented one
// bad_answer.
#include "exchange/population_register.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "exchange/department_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::exchange {
namespace {

using namespace std::chrono_literals;
using nemis::testing::IsErrorCode;
using registry::quality::PersonToCheck;

const std::vector<PersonToCheck> kPersons = {{"11010519491231002X", "张三"},
                                             {"440524188001010014", "李四"}};

class PopulationRegisterTest : public DepartmentServerTest {
 protected:
  PopulationRegisterTest() : DepartmentServerTest("/gateway/population/verify") {}
  DepartmentEndpoint Settings() const { return Endpoint("t0k3n"); }
};

TEST_F(PopulationRegisterTest, SendsOnlyIdsAndNamesAndReadsTheVerdicts) {
  answer_ = R"({"verdicts":[{"idNumber":"11010519491231002X","name":"张三","verdict":"一致"},
                            {"idNumber":"440524188001010014","name":"李四","verdict":"姓名不符"}]})";
  auto verdicts = HttpPopulationRegister(Settings())(kPersons);
  ASSERT_OK(verdicts);
  ASSERT_EQ(verdicts->size(), 2u);
  EXPECT_EQ((*verdicts)[0].id_number, "11010519491231002X");
  EXPECT_EQ((*verdicts)[0].verdict, "一致");
  EXPECT_EQ((*verdicts)[1].name, "李四");
  EXPECT_EQ((*verdicts)[1].verdict, "姓名不符");

  EXPECT_EQ(seen_.target, "/gateway/population/verify");
  EXPECT_EQ(seen_.authorization, "Bearer t0k3n");
  const nlohmann::json body = nlohmann::json::parse(seen_.body, nullptr, false);
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body["requestId"].get<std::string>().size(), 32u);
  EXPECT_EQ(body["persons"],
            nlohmann::json::parse(R"([{"idNumber":"11010519491231002X","name":"张三"},
                                      {"idNumber":"440524188001010014","name":"李四"}])"));
  EXPECT_EQ(body.size(), 2u);  // requestId and persons, nothing else
}

TEST_F(PopulationRegisterTest, NoTokenNoAuthorizationHeader) {
  answer_ = R"({"verdicts":[]})";
  DepartmentEndpoint s = Settings();
  s.token.clear();
  ASSERT_OK(HttpPopulationRegister(s)(kPersons));
  EXPECT_EQ(seen_.authorization, "");
}

TEST_F(PopulationRegisterTest, ARefusalIsPeerRefusedAndAnOutageUnavailable) {
  answer_ = R"({"error":"invalid token"})";
  status_ = 401;
  EXPECT_THAT(HttpPopulationRegister(Settings())(kPersons), IsErrorCode("peer_refused"));
  for (int status : {503, 500, 429}) {
    status_ = status;
    EXPECT_THAT(HttpPopulationRegister(Settings())(kPersons), IsErrorCode("peer_unavailable"))
        << status;
  }
}

TEST_F(PopulationRegisterTest, AnAnswerNotAsDocumentedIsABadAnswer) {
  for (const char* bad : {"not json", R"({"results":[]})", R"({"verdicts":{}})",
                          R"({"verdicts":[{"idNumber":"11010519491231002X","verdict":"一致"}]})",
                          R"({"verdicts":[{"idNumber":1,"name":"张三","verdict":"一致"}]})"}) {
    answer_ = bad;
    EXPECT_THAT(HttpPopulationRegister(Settings())(kPersons), IsErrorCode("bad_answer")) << bad;
  }
}

TEST_F(PopulationRegisterTest, ASlowOrAbsentRegisterIsUnavailable) {
  answer_ = R"({"verdicts":[]})";
  delay_ = 800ms;
  DepartmentEndpoint s = Settings();
  s.timeout = 200ms;
  EXPECT_THAT(HttpPopulationRegister(s)(kPersons), IsErrorCode("peer_unavailable"));
  delay_ = 0ms;
  server_->StopAndJoin();
  EXPECT_THAT(HttpPopulationRegister(Settings())(kPersons), IsErrorCode("peer_unavailable"));
}

}  // namespace
}  // namespace nemis::exchange
