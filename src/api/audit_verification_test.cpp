// GET /api/v1/audit/verification: the chain and its checkpoints (in the store and in the
// file outside it) as the audit administrator sees them, kept between walks, refused to
// others, and itself audited; on both stores.
#include <gtest/gtest.h>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "audit/audit_log.hpp"
#include "audit/audit_query.hpp"
#include "audit/checkpoint.hpp"
#include "audit/checkpoint_file.hpp"
#include "audit/signing_key.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

class AuditVerificationTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    ASSERT_TRUE(config_.Set("audit.signing_key_file", key_file_, "test").ok());
    ASSERT_TRUE(config_.Set("audit.checkpoint_file", checkpoint_file_, "test").ok());
    AddAllRoutes(router_, *ctx_);
    auditor_ = TokenFor("auditor", "audit_admin", "440000");
    county_ = TokenFor("tianhe", "county_registrar", "440106");
  }
  // What the server's checkpointer does every minute: sign the log's head, into the file too.
  void SignCheckpoint() {
    auto key = audit::LoadOrCreateSigningKey(key_file_);
    ASSERT_TRUE(key.ok());
    audit::CheckpointFile file(checkpoint_file_);
    ASSERT_TRUE(audit::Checkpoint(db(), *key, Clock::System(), &file).ok());
  }
  Json Verification(const std::string& token, int expected_status = 200) {
    http::Response r =
        Call("GET", "/api/v1/audit/verification", "", {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(r.status, expected_status) << r.body;
    return Json::parse(r.body, nullptr, false);
  }
  size_t Entries(const std::string& action) {
    audit::AuditFilter f;
    f.action = action;
    auto page = audit::Query(db(), f);
    return page.ok() ? page->records.size() : 0;
  }

  testing::TempDir dir_;
  std::string key_file_ = dir_.File("keys/audit_sm2.pem");
  std::string checkpoint_file_ = dir_.File("keys/audit_checkpoints.jsonl");
  std::string auditor_, county_;
};

TEST_P(AuditVerificationTest, AnUntouchedLogVerifiesAndTheAnswerIsKept) {
  EXPECT_EQ(Verification(county_, 403)["error"]["code"], "forbidden");
  SignCheckpoint();
  Json first = Verification(auditor_);
  EXPECT_EQ(first["ok"], true) << first.dump();
  EXPECT_EQ(first["entries"], 1);  // the county registrar's refusal
  EXPECT_EQ(first["fileCheckpoints"], 1);
  EXPECT_EQ(first["badSeq"], nullptr);
  EXPECT_EQ(first["cached"], false);
  Json again = Verification(auditor_);
  EXPECT_EQ(again["cached"], true);
  EXPECT_EQ(again["checkedAt"], first["checkedAt"]);
  EXPECT_EQ(Entries("audit.verify"), 2u);
}

TEST_P(AuditVerificationTest, AnEditedEntryIsNamed) {
  Verification(county_, 403);
  SignCheckpoint();
  ASSERT_TRUE(audit::SealAll(db()).ok());
  ASSERT_TRUE(db().WithRawWriter([](db::Connection& c) -> Status {
                    NEMIS_TRY(c.Query("UPDATE audit_log SET account = 'someone' WHERE seq = 1"));
                    return {};
                  })
                  .ok());
  Json report = Verification(auditor_);
  EXPECT_EQ(report["ok"], false);
  EXPECT_EQ(report["badSeq"], 1);
  EXPECT_NE(report["problem"].get<std::string>().find("第 1 条"), std::string::npos)
      << report.dump();
}

}  // namespace
NEMIS_STORE_TEST_SUITE(AuditVerificationTest);
}  // namespace nemis::api
