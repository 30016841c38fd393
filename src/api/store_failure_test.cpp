// A store that fails in the middle of a request (issue 8 §5 finding 4): the answer is 503
// store_unavailable, never a final-looking 422 unknown_school because the school lookup
// failed, and it never repeats the database driver's words (which name the server's host
// and port). The store here is the test's real one behind a connection that fails the
// school lookup the way libpq reports a lost server.
#include <gtest/gtest.h>

#include <atomic>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "codes/id_number.hpp"
#include "testing/wrapped_database.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kLibpqMessage =
    "connection to server at \"127.0.0.1\", port 54329 failed: server closed the connection unexpectedly\n"
    "\tThis probably means the server terminated abnormally (host 127.0.0.1)";

// Passes everything to the real connection, except the institution lookup by code once
// `failing` is set.
class FailingConnection : public db::Connection {
 public:
  FailingConnection(db::Connection& inner, const std::atomic<bool>& failing)
      : inner_(inner), failing_(failing) {}
  using db::Connection::Query;
  db::Backend backend() const override { return inner_.backend(); }
  Result<db::ResultSet> Query(std::string_view sql, std::span<const db::Param> params) override {
    if (failing_ && sql.find("FROM org o WHERE o.code = $1") != std::string_view::npos)
      return Error::Unavailable(std::string(kLibpqMessage));
    return inner_.Query(sql, params);
  }
  Status ExecScript(std::string_view sql) override { return inner_.ExecScript(sql); }
  Result<std::unique_ptr<db::BulkInserter>> BeginBulkInsert(
      std::string_view table, std::span<const std::string> columns) override {
    return inner_.BeginBulkInsert(table, columns);
  }

 private:
  db::Connection& inner_;
  const std::atomic<bool>& failing_;
};

std::string IdFor(const std::string& first17) { return first17 + codes::IdCheckCharacter(first17); }

class StoreFailureTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    org::InstitutionInput in;
    in.code = "2144000001";
    in.parent_code = "440106";
    in.name = "天河区第一小学";
    in.school_type = "211";
    ASSERT_TRUE(ctx_->orgs.Create(org::Scope::Everything(), in).ok());
    token_ = TokenFor("reg.tianhe", "school_registrar", "2144000001");
    failing_db_ = std::make_unique<nemis::testing::WrappedDatabase>(
        db(), [this](db::Connection& c, const nemis::testing::WrappedDatabase::Work& work) {
          FailingConnection failing_connection(c, failing_);
          return work(failing_connection);
        });
    failing_ctx_ =
        std::make_unique<ApiContext>(*failing_db_, config_, ctx_->cipher, nullptr, nullptr);
    AddAllRoutes(router_, *failing_ctx_);
  }
  void TearDown() override {
    failing_ctx_.reset();
    ApiStoreTest::TearDown();
  }
  http::Response Send(std::string method, const std::string& target, const Json& body,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + token_);
    headers.emplace_back("Content-Type", "application/json");
    return Call(std::move(method), target, body.dump(), headers);
  }
  static void ExpectStoreUnavailable(const http::Response& r) {
    EXPECT_EQ(r.status, 503) << r.body;
    Json error = Json::parse(r.body)["error"];
    EXPECT_EQ(error["code"], "store_unavailable") << r.body;
    EXPECT_FALSE(error["message"].get<std::string>().empty());
    for (std::string_view leak : {"127.0.0.1", "54329", "host", "port", "server"})
      EXPECT_EQ(r.body.find(leak), std::string::npos) << leak << " in " << r.body;
  }

  std::string token_;
  std::atomic<bool> failing_{false};
  std::unique_ptr<nemis::testing::WrappedDatabase> failing_db_;
  std::unique_ptr<ApiContext> failing_ctx_;
};

Json Pupil(const std::string& id) {
  return {{"name", "丙同学"},
          {"gender", "2"},
          {"birthDate", "2019-03-15"},
          {"ethnicity", "01"},
          {"idNumber", id},
          {"schoolCode", "2144000001"},
          {"grade", 1},
          {"classNo", "01"},
          {"entryDate", "2025-09"},
          {"guardian1Name", "丙父"},
          {"guardian1Relation", "1"}};
}

TEST_P(StoreFailureTest, RegistrationAndCorrectionAnswer503WithoutTheServersAddress) {
  const std::string id = IdFor("44010620190315002");
  http::Response created = Send("POST", "/api/v1/students", Pupil(id));
  ASSERT_EQ(created.status, 201) << created.body;

  failing_ = true;
  ExpectStoreUnavailable(Send("POST", "/api/v1/students", Pupil(IdFor("44010620190315004"))));
  ExpectStoreUnavailable(Send("POST", "/api/v1/students", Pupil(IdFor("44010620190315006")),
                              {{"Idempotency-Key", "k"}}));
  ExpectStoreUnavailable(
      Send("PATCH", "/api/v1/students/G" + id, Json{{"classNo", "02"}}, {{"If-Match", "\"v1\""}}));

  failing_ = false;  // back: the same requests go through
  EXPECT_EQ(Send("POST", "/api/v1/students", Pupil(IdFor("44010620190315004"))).status, 201);
  EXPECT_EQ(
      Send("PATCH", "/api/v1/students/G" + id, Json{{"classNo", "02"}}, {{"If-Match", "\"v1\""}})
          .status,
      200);
}

TEST_P(StoreFailureTest, AnyStoreUnavailableErrorIsAnsweredWithoutItsOwnWords) {
  http::Request request;
  request.request_id = "req-1";
  http::Response r = ErrorJson(Error::Unavailable(std::string(kLibpqMessage)), request);
  ExpectStoreUnavailable(r);
  EXPECT_EQ(Json::parse(r.body)["error"]["requestId"], "req-1");
}

}  // namespace
NEMIS_STORE_TEST_SUITE(StoreFailureTest);
}  // namespace nemis::api
