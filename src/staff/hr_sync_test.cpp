// Taking in HR's staff records on both stores, against a feed played by the test: pages
// applied with the cursor, from where the last run stopped; records kept sealed, one row a
// person (found by the blind index of the ID), replaced by a newer state only; a page
// delivered twice changes nothing; records that are not sound counted by reason and left
// out; a feed failing mid-way keeps the pages applied and the next run goes on from there; a
// feed that says "more" without moving is given up on.
#include "staff/hr_sync.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "codes/id_number.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "staff/staff_personal.hpp"
#include "staff/staff_tally.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::staff {
namespace {

const std::string kSchool1 = "2144000001", kSchool2 = "2144000002";  // both in 440106

// A resident ID of 440106, born 1980 + n, a woman when n is even.
std::string Id(int n) {
  const std::string first17 =
      "440106" + std::to_string(1980 + n) + "0101" + "00" + std::to_string(n % 2 ? 1 : 2);
  return first17 + codes::IdCheckCharacter(first17);
}

HrStaffRecord Record(int n, const std::string& school, const std::string& changed_at,
                     const std::string& title = "一级教师", const std::string& status = "在岗") {
  return {Id(n), "教师" + std::to_string(n), school, "专业技术岗位", title, status, changed_at};
}

// The feed: `records` in order, cursor "c<N>", pages of at most `limit`.
class FakeHr {
 public:
  std::vector<HrStaffRecord> records;
  std::vector<std::string> asked;  // the cursors asked, in order
  int fail_on_request = 0;         // 1-based; 0: never
  bool repeat_each_page = false;   // the first answer for a cursor does not move it
  bool never_moves = false;

  ReadHrChanges Read() {
    return [this](const std::string& after, int limit) -> Result<HrPage> {
      asked.push_back(after);
      if (static_cast<int>(asked.size()) == fail_on_request)
        return Error{
            ErrorKind::kUnavailable, "peer_unavailable", "人社部门人员信息接口暂不可用", {}};
      const size_t from = after.empty() ? 0 : std::stoul(after.substr(1));
      const size_t to = std::min(records.size(), from + static_cast<size_t>(limit));
      const auto at = [&](size_t i) { return records.begin() + static_cast<std::ptrdiff_t>(i); };
      HrPage page{{at(from), at(to)}, "c" + std::to_string(to), to < records.size()};
      const bool first_time = first_time_.insert(from).second;
      if (never_moves || (repeat_each_page && first_time && from < to)) {
        page.next = after.empty() ? "c0" : after;
        page.more = true;
      }
      return page;
    };
  }

 private:
  std::set<size_t> first_time_;  // positions asked for before
};

class HrSyncTest : public nemis::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    org::OrgStore orgs(db());
    ASSERT_OK(orgs.SeedDivisions("440000"));
    for (const std::string& code : {kSchool1, kSchool2}) {
      org::InstitutionInput in;
      in.code = code;
      in.parent_code = "440106";
      in.name = "天河区小学" + code.substr(8);
      in.school_type = "211";
      ASSERT_OK(orgs.Create(org::Scope::Everything(), in));
    }
  }

  HrSyncReport Sync(FakeHr& hr) {
    HrSyncOptions options;
    options.limit = 2;
    options.now = "2026-12-07T03:00:00.000Z";
    options.today = {2026, 12, 7};
    return SyncStaffFromHr(db(), cipher_, hr.Read(), options);
  }

  // The row of the person with ID `n`: school_code, title, status, hr_changed_at; the name.
  std::vector<std::string> Row(int n) {
    auto row = db().Read<std::vector<std::string>>([&](db::Connection& c)
                                                       -> Result<std::vector<std::string>> {
      NEMIS_ASSIGN_OR_RETURN(auto rs,
                             c.Query("SELECT school_code, title, status, hr_changed_at, personal, "
                                     "gender, birth_date FROM staff WHERE id_index = $1",
                                     {StaffIdIndex(cipher_, Id(n))}));
      if (rs.rows.empty()) return std::vector<std::string>{};
      NEMIS_ASSIGN_OR_RETURN(StaffPersonal p, OpenStaffPersonal(cipher_, rs.rows[0].Text(4)));
      EXPECT_EQ(p.id_number, Id(n));
      return std::vector<std::string>{
          rs.rows[0].Text(0), rs.rows[0].Text(1), rs.rows[0].Text(2), rs.rows[0].Text(3), p.name,
          rs.rows[0].Text(5), rs.rows[0].Text(6)};
    });
    EXPECT_OK(row);
    return row.ok() ? *row : std::vector<std::string>{"?"};
  }

  int64_t Count(const std::string& sql) {
    auto n = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      return rs.rows[0].Int(0);
    });
    EXPECT_OK(n);
    return n.ok() ? *n : -1;
  }

  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
};

TEST_P(HrSyncTest, KeepsEachPersonOnceSealedAndGoesOnFromWhereItStopped) {
  FakeHr hr;
  hr.records = {Record(1, kSchool1, "2026-12-01T08:00:00Z"),
                Record(2, kSchool1, "2026-12-01T08:01:00Z"),
                Record(3, kSchool2, "2026-12-01T08:02:00Z")};
  auto r = Sync(hr);
  ASSERT_OK(r.stopped);
  EXPECT_EQ(r.pages, 2);
  EXPECT_EQ(r.records, 3);
  EXPECT_EQ(r.added, 3);
  EXPECT_EQ(r.cursor, "c3");
  EXPECT_EQ(hr.asked, (std::vector<std::string>{"", "c2"}));
  EXPECT_EQ(Row(1),
            (std::vector<std::string>{kSchool1, "一级教师", "在岗", "2026-12-01T08:00:00.000Z",
                                      "教师1", "1", "1981-01-01"}));
  EXPECT_EQ(Row(2)[5], "2");
  // Nothing of the person in clear in the row.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff WHERE personal LIKE '%教师%' OR id_index = '" +
                  Id(1) + "'"),
            0);

  // Later: 教师1 promoted and moved, 教师3 retired, a newcomer; the run starts at c3.
  hr.records.push_back(Record(1, kSchool2, "2026-12-02T08:00:00Z", "高级教师"));
  hr.records.push_back(Record(3, kSchool2, "2026-12-02T08:01:00Z", "一级教师", "退休"));
  hr.records.push_back(Record(4, kSchool1, "2026-12-02T08:02:00Z", ""));
  hr.asked.clear();
  auto later = Sync(hr);
  ASSERT_OK(later.stopped);
  EXPECT_EQ(hr.asked, (std::vector<std::string>{"c3", "c5"}));
  EXPECT_EQ(later.updated, 2);
  EXPECT_EQ(later.added, 1);
  EXPECT_EQ(Row(1)[0], kSchool2);
  EXPECT_EQ(Row(1)[1], "高级教师");
  EXPECT_EQ(Row(3)[2], "退休");
  EXPECT_EQ(Row(4)[1], "");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff"), 4);

  auto school2 = org::OrgStore(db()).Get(org::Scope::Everything(), kSchool2);
  ASSERT_OK(school2);
  auto tally = TallyStaff(db(), org::Scope::Of(*school2));
  ASSERT_OK(tally);
  std::map<std::string, int64_t> by_status;
  for (const StaffTally& t : *tally) by_status[t.status] += t.staff;
  EXPECT_EQ(by_status, (std::map<std::string, int64_t>{{"在岗", 1}, {"退休", 1}}));
}

TEST_P(HrSyncTest, AnOlderStateNeverReplacesANewerAndAPageTwiceChangesNothing) {
  FakeHr hr;
  hr.records = {Record(1, kSchool1, "2026-12-02T08:00:00Z", "高级教师"),
                Record(1, kSchool1, "2026-12-01T08:00:00Z", "一级教师"),  // late, older
                Record(2, kSchool1, "2026-12-01T08:00:00Z")};
  hr.repeat_each_page = true;
  auto r = Sync(hr);
  ASSERT_OK(r.stopped);
  EXPECT_EQ(hr.asked, (std::vector<std::string>{"", "c0", "c2", "c2"}));
  EXPECT_EQ(r.added, 2);
  EXPECT_EQ(r.older, 2);      // the late record, in both deliveries of its page
  EXPECT_EQ(r.unchanged, 2);  // the first page's second delivery
  EXPECT_EQ(Row(1)[1], "高级教师");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff"), 2);
}

TEST_P(HrSyncTest, RecordsThatAreNotSoundAreCountedAndLeftOut) {
  FakeHr hr;
  HrStaffRecord bad_id = Record(1, kSchool1, "2026-12-01T08:00:00Z");
  bad_id.id_number[17] = bad_id.id_number[17] == '0' ? '1' : '0';
  HrStaffRecord bad_status = Record(2, kSchool1, "2026-12-01T08:00:00Z", "", "在职");
  hr.records = {bad_id, bad_status, Record(3, "2144009999", "2026-12-01T08:00:00Z"),
                Record(4, "440106", "2026-12-01T08:00:00Z"),  // a county, not a school
                Record(5, kSchool1, "2026-12-01T08:00:00Z")};
  auto r = Sync(hr);
  ASSERT_OK(r.stopped);
  EXPECT_EQ(r.rejected, (std::map<std::string, int64_t>{
                            {"bad_id", 1}, {"bad_status", 1}, {"unknown_unit", 2}}));
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.cursor, "c5");  // the feed moved past them
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff"), 1);
}

TEST_P(HrSyncTest, AFailureKeepsThePagesAppliedAndTheNextRunGoesOn) {
  FakeHr hr;
  for (int n = 1; n <= 5; ++n) hr.records.push_back(Record(n, kSchool1, "2026-12-01T08:00:00Z"));
  hr.fail_on_request = 2;
  auto r = Sync(hr);
  EXPECT_THAT(r.stopped, nemis::testing::IsErrorCode("peer_unavailable"));
  EXPECT_EQ(r.added, 2);
  EXPECT_EQ(r.cursor, "c2");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff"), 2);
  hr.asked.clear();
  hr.fail_on_request = 0;
  auto again = Sync(hr);
  ASSERT_OK(again.stopped);
  EXPECT_EQ(hr.asked.front(), "c2");
  EXPECT_EQ(again.added, 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff"), 5);
}

TEST_P(HrSyncTest, AFeedThatNeverMovesIsGivenUpOn) {
  FakeHr hr;
  hr.records = {Record(1, kSchool1, "2026-12-01T08:00:00Z")};
  hr.never_moves = true;
  auto r = Sync(hr);
  EXPECT_THAT(r.stopped, nemis::testing::IsErrorCode("bad_answer"));
  EXPECT_EQ(hr.asked.size(), 4u);  // the first page, then three that did not move
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff"), 1);
}

TEST_P(HrSyncTest, ARunWhoseCursorAnotherRunMovedMeanwhileAppliesNothing) {
  FakeHr hr;
  hr.records = {Record(1, kSchool1, "2026-12-01T08:00:00Z"),
                Record(2, kSchool1, "2026-12-01T08:01:00Z")};
  ReadHrChanges read = hr.Read();
  // Another run applies the first page while this one is reading it.
  ReadHrChanges racing = [&](const std::string& after, int limit) -> Result<HrPage> {
    NEMIS_TRY(db().WithWriter([](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query("INSERT INTO hr_feed (id, cursor, synced_at) VALUES (1, 'c2', 'x')"));
      return {};
    }));
    return read(after, limit);
  };
  HrSyncOptions options;
  options.limit = 2;
  options.now = "2026-12-07T03:00:00.000Z";
  options.today = {2026, 12, 7};
  auto r = SyncStaffFromHr(db(), cipher_, racing, options);
  EXPECT_THAT(r.stopped, nemis::testing::IsErrorCode("hr_feed_moved"));
  EXPECT_EQ(r.added, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff"), 0);  // the page was not applied twice
}

NEMIS_STORE_TEST_SUITE(HrSyncTest);

}  // namespace
}  // namespace nemis::staff
