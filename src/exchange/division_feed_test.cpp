// The division changes from the national node to a province, on both stores: the feed a page at
// a time, its JSON both ways (and every way it can be wrong), and the poller's round carrying
// what the national node recorded into the province's table and tree, once.
#include "exchange/division_feed.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "codes/division.hpp"
#include "exchange/exchange_testing.hpp"
#include "exchange/national_poller.hpp"
#include "exchange/replica_digest.hpp"
#include "workflow/case_store.hpp"

namespace nemis::exchange {
namespace {

using Kind = codes::DivisionChangeKind;

class DivisionFeedTest : public testing::TwoNodeTest {
 protected:
  void TearDown() override {
    codes::InstallDivisionChanges({});
    TwoNodeTest::TearDown();
  }

  void RecordOnNational(Kind kind, std::string code, std::string name) {
    org::DivisionChangeInput in{
        {kind, std::move(code), std::move(name), ""}, "2026-12-01", "国函〔2026〕1号"};
    ASSERT_OK(
        org::RecordDivisionChange(*national_, std::move(in), "000000", "2026-12-05T08:00:00.000Z"));
  }

  // The poller's calls, the feed going through its JSON as over the wire.
  NationalPoller::National Calls(bool& reachable) {
    return {
        [this] { return ConflictsFor(*national_, national_cipher_, "440000", 100, "2000-01-01"); },
        [](const std::vector<ConflictVerdict>&) { return Status(); },
        [](const TransferPost&) -> Result<TransferAnswer> { return TransferAnswer{}; },
        [this, &reachable](int64_t after) -> Result<DivisionFeed> {
          if (!reachable) return Error{ErrorKind::kUnavailable, "peer_unavailable", "", {}};
          NEMIS_ASSIGN_OR_RETURN(DivisionFeed feed, ReadDivisionFeed(*national_, after));
          return DivisionFeedFromJson(DivisionFeedToJson(feed));
        }};
  }

  std::optional<org::Institution> ProvinceOrg(std::string_view code) {
    auto found = db().Read<std::optional<org::Institution>>(
        [&](db::Connection& c) { return org::OrgStore::Load(c, code); });
    return found.ok() ? *found : std::nullopt;
  }
};

TEST_P(DivisionFeedTest, APollRoundCarriesTheNationalChangesIntoTheProvinceOnce) {
  RecordOnNational(Kind::kAdd, "440199", "测试新区");
  RecordOnNational(Kind::kRename, "440106", "天河新区");
  RecordOnNational(Kind::kAdd, "450199", "广西新区");
  workflow::CaseStore cases(db(), Clock::System(), workflow::WorkingCalendar::Shipped());
  bool reachable = false;
  NationalPoller poller(db(), province_cipher_, cases, "440000", Calls(reachable),
                        std::chrono::hours(1));

  auto down = poller.RunOnce();
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, "peer_unavailable");
  EXPECT_EQ(*org::LastDivisionChange(db()), 0);

  reachable = true;
  auto round = poller.RunOnce();
  ASSERT_OK(round);
  EXPECT_EQ(round->division_changes, 3);
  ASSERT_TRUE(ProvinceOrg("440199"));
  EXPECT_EQ(ProvinceOrg("440199")->parent_code, "440100");
  EXPECT_EQ(ProvinceOrg("440106")->name, "天河新区");
  EXPECT_FALSE(ProvinceOrg("450199"));
  auto held = org::DivisionChangesAfter(db(), 0, 10);
  ASSERT_OK(held);
  ASSERT_EQ(held->size(), 3u);
  EXPECT_EQ((*held)[2].change.code, "450199");
  EXPECT_EQ((*held)[2].recorded_at, "2026-12-05T08:00:00.000Z");
  EXPECT_EQ((*held)[2].reference, "国函〔2026〕1号");

  auto again = poller.RunOnce();
  ASSERT_OK(again);
  EXPECT_EQ(again->division_changes, 0);
}

// A page holds kDivisionFeedLimit changes; a province far behind takes them all in one round.
TEST_P(DivisionFeedTest, AProvinceFarBehindCatchesUpPageByPage) {
  ASSERT_OK(national_->WithWriter([](db::Connection& c) -> Status {
    for (int seq = 1; seq <= kDivisionFeedLimit + 1; ++seq)
      NEMIS_TRY(c.Query(
          "INSERT INTO division_change (seq, kind, code, name, effective_on, reference, "
          "recorded_at, received_at) VALUES ($1, 'rename', '440106', $2, '2026-12-01', 'x', "
          "'2026-12-05T08:00:00.000Z', '2026-12-05T08:00:00.000Z')",
          {seq, "天河区" + std::to_string(seq)}));
    return {};
  }));
  auto first = ReadDivisionFeed(*national_, 0);
  ASSERT_OK(first);
  EXPECT_EQ(first->changes.size(), static_cast<size_t>(kDivisionFeedLimit));
  EXPECT_FALSE(first->complete);
  auto rest = ReadDivisionFeed(*national_, kDivisionFeedLimit);
  ASSERT_OK(rest);
  ASSERT_EQ(rest->changes.size(), 1u);
  EXPECT_TRUE(rest->complete);

  workflow::CaseStore cases(db(), Clock::System(), workflow::WorkingCalendar::Shipped());
  bool reachable = true;
  NationalPoller poller(db(), province_cipher_, cases, "440000", Calls(reachable),
                        std::chrono::hours(1));
  auto round = poller.RunOnce();
  ASSERT_OK(round);
  EXPECT_EQ(round->division_changes, kDivisionFeedLimit + 1);
  EXPECT_EQ(ProvinceOrg("440106")->name, "天河区" + std::to_string(kDivisionFeedLimit + 1));
}

// 撤县设区 in a province: the retired county's school and its student move to the successor on
// the province's node, and the national node takes the move from the province's log: both hold
// the same tree and students again.
TEST_P(DivisionFeedTest, ARetiredCountysSchoolsMoveToItsSuccessor) {
  const registry::Student pupil = RegisterInProvince(1, testing::kSchool1);  // 天河区
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, NextBatch(0)));
  const int64_t before = Checkpoint();
  org::DivisionChangeInput retire{{Kind::kRetire, "440106", "", "440104"},  // to 越秀区
                                  "2026-12-01",
                                  "国函〔2026〕9号"};
  ASSERT_OK(org::RecordDivisionChange(*national_, std::move(retire), "000000",
                                      "2026-12-05T08:00:00.000Z"));
  workflow::CaseStore cases(db(), Clock::System(), workflow::WorkingCalendar::Shipped());
  bool reachable = true;
  NationalPoller poller(db(), province_cipher_, cases, "440000", Calls(reachable),
                        std::chrono::hours(1));
  auto round = poller.RunOnce();
  ASSERT_OK(round);
  EXPECT_EQ(round->division_changes, 1);

  auto school = ProvinceOrg(testing::kSchool1);
  ASSERT_TRUE(school);
  EXPECT_EQ(school->parent_code, "440104");
  EXPECT_EQ(school->county_code, "440104");
  EXPECT_FALSE(ProvinceOrg("440106")->open);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM student WHERE county_code = '440104' AND id = " +
                            std::to_string(pupil.id)),
            1);
  // The national node still has the school under 天河区 (open there) until the province's log
  // brings the move.
  EXPECT_TRUE(org::OrgStore(*national_).Get(org::Scope::Everything(), "440106")->open);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, NextBatch(before)));
  auto national_school = org::OrgStore(*national_).Get(org::Scope::Everything(), testing::kSchool1);
  ASSERT_OK(national_school);
  EXPECT_EQ(national_school->parent_code, "440104");
  EXPECT_FALSE(org::OrgStore(*national_).Get(org::Scope::Everything(), "440106")->open);
  ExpectNodesAgree();
}

TEST(DivisionFeedJsonTest, RoundTripsAndRefusesWhatIsNotAFeed) {
  DivisionFeed feed;
  feed.complete = false;
  feed.changes.push_back({7,
                          {Kind::kRetire, "440103", "荔湾区", "440104"},
                          "2026-12-01",
                          "国函〔2026〕7号",
                          "2026-12-05T08:00:00.000Z",
                          "ignored",
                          "ignored too",
                          {{"2144010301", "440105"}}});
  auto back = DivisionFeedFromJson(DivisionFeedToJson(feed));
  ASSERT_OK(back);
  EXPECT_FALSE(back->complete);
  ASSERT_EQ(back->changes.size(), 1u);
  const org::DivisionChangeRecord& r = back->changes[0];
  EXPECT_EQ(r.seq, 7);
  EXPECT_EQ(r.change.kind, Kind::kRetire);
  EXPECT_EQ(r.change.successor, "440104");
  EXPECT_EQ(r.effective_on, "2026-12-01");
  EXPECT_EQ(r.recorded_at, "2026-12-05T08:00:00.000Z");
  EXPECT_EQ(r.school_successors, (org::SchoolSuccessors{{"2144010301", "440105"}}));

  const std::pair<const char*, const char*> bad[] = {
      {"[]", ""},
      {R"({"changes": []})", ""},
      {R"({"changes": [{"seq": 0}], "complete": true})", "changes[0]"},
      {R"({"changes": [{"seq": 1, "kind": "merge", "code": "440103", "name": "", "successor": "",
           "effectiveOn": "", "reference": "", "recordedAt": ""}], "complete": true})",
       "changes[0].kind"},
      {R"({"changes": [{"seq": 1, "kind": "add", "code": "4401", "name": "", "successor": "",
           "effectiveOn": "", "reference": "", "recordedAt": ""}], "complete": true})",
       "changes[0].code"},
      {R"({"changes": [{"seq": 1, "kind": "add", "code": "440199", "name": 5}], "complete": true})",
       "changes[0].name"},
      {R"({"changes": [{"seq": 1, "kind": "retire", "code": "440103", "name": "", "successor": "",
           "effectiveOn": "", "reference": "", "recordedAt": "",
           "schoolSuccessors": {"2144010301": 440105}}], "complete": true})",
       "changes[0].schoolSuccessors.2144010301"}};
  for (const auto& [text, at] : bad) {
    auto parsed = DivisionFeedFromJson(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, "bad_answer") << text;
    EXPECT_NE(parsed.error().message.find(at), std::string::npos) << parsed.error().message;
  }
}

NEMIS_STORE_TEST_SUITE(DivisionFeedTest);

}  // namespace
}  // namespace nemis::exchange
