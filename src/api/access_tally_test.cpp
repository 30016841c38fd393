// Allowed reads tallied per account, route and source address, drained as authz.allow entries.
#include "api/access_tally.hpp"

#include <gtest/gtest.h>

#include "api/api_json.hpp"
#include "base/date.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::api {
namespace {

using namespace std::chrono_literals;

const AccessTally::TimePoint kNine = *ParseUtc("2026-12-03T09:00:00.000Z");
constexpr std::string_view kLookup = "GET /api/v1/students/{studentNumber}";

class AccessTallyTest : public ::testing::Test {
 protected:
  void Read(std::string_view account, std::string_view route, std::string_view ip,
            std::string_view request_id, AccessTally::TimePoint at) {
    tally_.Count(account, route, "student.view", ip, request_id, at, [&](audit::AuditEntry& e) {
      ++identified_;
      e.roles = "county_registrar@440106";
      e.scope = "440106";
      e.target = "overwritten";
    });
  }
  AccessTally tally_;
  int identified_ = 0;
};

TEST_F(AccessTallyTest, OneEntryPerAccountRouteAndAddress) {
  Read("tianhe", kLookup, "10.1.2.3", "req-1", kNine);
  Read("tianhe", kLookup, "10.1.2.3", "req-2", kNine + 20s);
  Read("tianhe", kLookup, "10.1.2.3", "req-7", kNine + 50s);
  Read("tianhe", "GET /api/v1/students", "10.1.2.3", "req-3", kNine + 30s);
  Read("tianhe", kLookup, "10.9.9.9", "req-4", kNine + 40s);
  Read("yuexiu", kLookup, "10.1.2.3", "req-5", kNine + 45s);
  EXPECT_EQ(identified_, 4) << "the caller is described once per tally";

  auto entries = tally_.Drain();
  ASSERT_EQ(entries.size(), 4u);
  const audit::AuditEntry& e = entries[0];
  EXPECT_EQ(e.action, "authz.allow");
  EXPECT_EQ(e.outcome, "success");
  EXPECT_EQ(e.account, "tianhe");
  EXPECT_EQ(e.roles, "county_registrar@440106");
  EXPECT_EQ(e.scope, "440106");
  EXPECT_EQ(e.target, kLookup);
  EXPECT_EQ(e.source_ip, "10.1.2.3");
  EXPECT_EQ(e.request_id, "req-1");
  EXPECT_EQ(e.time, "2026-12-03T09:00:50.000Z");
  EXPECT_EQ(e.details,
            R"({"permission":"student.view","count":3,"from":"2026-12-03T09:00:00.000Z",)"
            R"("to":"2026-12-03T09:00:50.000Z","firstRequestId":"req-1","lastRequestId":"req-7"})");
  EXPECT_OK(audit::ValidateEntry(e));
  // In the order the tallies began.
  EXPECT_EQ(entries[1].target, "GET /api/v1/students");
  EXPECT_EQ(entries[2].source_ip, "10.9.9.9");
  EXPECT_EQ(entries[3].account, "yuexiu");
  EXPECT_EQ(Json::parse(entries[3].details)["count"], 1);
}

TEST_F(AccessTallyTest, ADrainStartsAFreshTally) {
  Read("tianhe", kLookup, "10.1.2.3", "req-1", kNine);
  ASSERT_EQ(tally_.Drain().size(), 1u);
  EXPECT_TRUE(tally_.Drain().empty());
  Read("tianhe", kLookup, "10.1.2.3", "req-2", kNine + 61s);
  auto next = tally_.Drain();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].request_id, "req-2");
  EXPECT_EQ(Json::parse(next[0].details)["count"], 1);
}

TEST_F(AccessTallyTest, RequeuedEntriesComeFirstInTheNextDrain) {
  Read("tianhe", kLookup, "10.1.2.3", "req-1", kNine);
  auto failed = tally_.Drain();
  Read("yuexiu", kLookup, "10.1.2.3", "req-2", kNine + 70s);
  tally_.Requeue(failed);
  auto next = tally_.Drain();
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0], failed[0]);
  EXPECT_EQ(next[1].account, "yuexiu");
  EXPECT_TRUE(tally_.Drain().empty());
}

}  // namespace
}  // namespace nemis::api
