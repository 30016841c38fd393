// The approval inbox and case routes: what each side of a same-county transfer sees and may
// do, and what everyone else does not see.
#include <gtest/gtest.h>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "workflow/case_store.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::api {
namespace {

class CaseRoutesTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool("2144000001", "440106", "天河区第一小学");
    AddSchool("2144000002", "440106", "天河区第二小学");
    AddAllRoutes(router_, *ctx_);
    receiver_ = TokenFor("receiver", "school_registrar", "2144000001");
    sender_ = TokenFor("sender", "school_head", "2144000002");
    county_ = TokenFor("tianhe", "county_registrar", "440106");
    sibling_ = TokenFor("liwan", "county_registrar", "440103");
    OpenTransfer();
  }
  void OpenTransfer() {
    workflow::Actor opener;
    opener.account = "receiver";
    opener.may = [](std::string_view permission, const org::Institution& at) {
      return permission == "student.create" && at.code == "2144000001";
    };
    auto opened = ctx_->cases->Open(
        opener, *workflow::DefinitionCatalog::Builtin().Find("transfer.same_county"), "student:1",
        {{"receiving_school", "2144000001"},
         {"sending_school", "2144000002"},
         {"county", "440106"}});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    path_ = "/api/v1/cases/" + std::to_string(opened->id);
  }
  http::Response Get(const std::string& target, const std::string& token) {
    return Call("GET", target, "", {{"Authorization", "Bearer " + token}});
  }
  http::Response Post(const std::string& action, const std::string& token, const std::string& body,
                      const std::string& if_match) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
    return Call("POST", path_ + "/" + action, body, headers);
  }
  static Json Body(const http::Response& r) { return Json::parse(r.body); }
  static std::string ETagOf(const http::Response& r) {
    for (const auto& [name, value] : r.headers)
      if (name == "ETag") return value;
    return "";
  }

  std::string receiver_, sender_, county_, sibling_, path_;
};

TEST_P(CaseRoutesTest, TheInboxShowsWhatWaitsForTheCaller) {
  http::Response sender = Get("/api/v1/cases?waiting=me", sender_);
  ASSERT_EQ(sender.status, 200) << sender.body;
  Json body = Body(sender);
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["title"], "县内转学");
  EXPECT_EQ(body["items"][0]["step"]["name"], "转出校审核");
  EXPECT_EQ(body["items"][0]["step"]["waitingAt"], "2144000002");
  EXPECT_EQ(body["counts"]["waiting"], 1);
  EXPECT_EQ(body["counts"]["byType"]["transfer.same_county"]["waiting"], 1);
  EXPECT_EQ(Body(Get("/api/v1/cases?waiting=me", county_))["counts"]["waiting"], 1)
      << "the county's grant covers its schools";
  EXPECT_EQ(Body(Get("/api/v1/cases?waiting=me", sibling_))["counts"]["waiting"], 0);
  EXPECT_EQ(Body(Get("/api/v1/cases?waiting=me", receiver_))["counts"]["waiting"], 0)
      << "a registrar holds no approval permission";
  http::Response bad = Get("/api/v1/cases?waiting=all", sender_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["error"]["code"], "bad_parameter");
}

TEST_P(CaseRoutesTest, ACaseIsSeenByItsPartiesOnly) {
  http::Response county = Get(path_, county_);
  ASSERT_EQ(county.status, 200) << county.body;
  EXPECT_EQ(ETagOf(county), "\"v1\"");
  EXPECT_EQ(Body(county)["history"][0]["action"], "open");
  EXPECT_EQ(Get(path_, receiver_).status, 200) << "the opener";
  http::Response sibling = Get(path_, sibling_);
  EXPECT_EQ(sibling.status, 404);
  EXPECT_EQ(sibling.body.find("2144000002"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/cases/999999", county_).status, 404);
  EXPECT_EQ(Get("/api/v1/cases/abc", county_).status, 404);
}

TEST_P(CaseRoutesTest, StepsAreActedOnAtTheVersionSeen) {
  EXPECT_EQ(Post("approve", sender_, "", "").status, 412) << "If-Match required";
  EXPECT_EQ(Post("approve", sibling_, "", "\"v1\"").status, 404) << "the sibling sees nothing";
  EXPECT_EQ(Post("approve", receiver_, "", "\"v1\"").status, 403) << "no approval permission";
  http::Response approved = Post("approve", sender_, "", "\"v1\"");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(ETagOf(approved), "\"v2\"");
  EXPECT_EQ(Body(approved)["step"]["name"], "县级教育行政部门审核");
  http::Response stale = Post("approve", county_, "", "\"v1\"");
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(Body(stale)["error"]["code"], "version_conflict");
  http::Response no_reason = Post("return", county_, R"({"reason": " "})", "\"v2\"");
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(Body(no_reason)["error"]["fields"][0]["code"], "reason_required");
  http::Response back = Post("return", county_, R"({"reason": "请补充转学证明"})", "\"v2\"");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(Body(back)["history"].back()["reason"], "请补充转学证明");
  EXPECT_EQ(Post("cancel", sender_, "", "\"v3\"").status, 403) << "only the opener cancels";
  EXPECT_EQ(Post("open", receiver_, "", "\"v3\"").status, 404);
  // Withdrawing is asking another node to close its side: a case of this node alone is cancelled.
  http::Response withdraw = Post("withdraw", receiver_, R"({"reason": "不转了"})", "\"v3\"");
  EXPECT_EQ(withdraw.status, 409);
  EXPECT_EQ(Body(withdraw)["error"]["code"], "not_at_other_node");
  http::Response cancelled = Post("cancel", receiver_, "", "\"v3\"");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Body(cancelled)["status"], "cancelled");
  EXPECT_TRUE(Body(cancelled)["step"].is_null());
  http::Response closed = Post("approve", sender_, "", "\"v4\"");
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(Body(closed)["error"]["code"], "case_closed");
}

NEMIS_STORE_TEST_SUITE(CaseRoutesTest);

}  // namespace
}  // namespace nemis::api
