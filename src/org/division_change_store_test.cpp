// Division changes in the store, on both back ends: recorded on the national node (numbered,
// checked, carried into the tree, the audit entry in the same transaction, nothing kept of a
// change refused), received by a province (in order, once, a gap refused whole, only its own
// province's divisions in its tree), and laid over the table again from the store at start.
#include "org/division_change_store.hpp"

#include <gtest/gtest.h>

#include "codes/division.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::org {
namespace {

using Kind = codes::DivisionChangeKind;
constexpr std::string_view kNow = "2026-12-06T10:00:00.000Z";

class DivisionChangeStoreTest : public nemis::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
  }
  void TearDown() override {
    codes::InstallDivisionChanges({});
    StoreTest::TearDown();
  }

  static DivisionChangeInput Input(Kind kind, std::string code, std::string name,
                                   std::string successor = "") {
    return {{kind, std::move(code), std::move(name), std::move(successor)},
            "2026-12-01",
            "国函〔2026〕1号"};
  }

  Result<DivisionChangeRecord> Record(DivisionChangeInput input,
                                      db::WriteAttachment* attachment = nullptr) {
    return RecordDivisionChange(db(), std::move(input), "000000", kNow, attachment);
  }

  std::optional<Institution> Org(std::string_view code) {
    auto found = db().Read<std::optional<Institution>>(
        [&](db::Connection& c) { return OrgStore::Load(c, code); });
    return found.ok() ? *found : std::nullopt;
  }

  void AddSchool(std::string code, std::string county) {
    InstitutionInput in;
    in.code = std::move(code);
    in.parent_code = std::move(county);
    in.name = "测试小学";
    in.school_type = "211";
    ASSERT_OK(OrgStore(db()).Create(Scope::Everything(), in));
  }
};

TEST_P(DivisionChangeStoreTest, TheNationalNodeRecordsAndCarriesIntoTheTree) {
  ASSERT_OK(OrgStore(db()).SeedDivisions("000000"));
  int audited = 0;
  db::WriteAttachment audit([&](db::Connection&) {
    ++audited;
    return Status();
  });
  auto added = Record(Input(Kind::kAdd, "440199", "测试新区"), &audit);
  ASSERT_OK(added);
  EXPECT_EQ(added->seq, 1);
  EXPECT_EQ(added->recorded_at, kNow);
  EXPECT_EQ(added->received_at, kNow);
  EXPECT_EQ(audited, 1);
  EXPECT_TRUE(audit.committed());
  auto county = Org("440199");
  ASSERT_TRUE(county);
  EXPECT_EQ(county->level, OrgLevel::kCounty);
  EXPECT_EQ(county->parent_code, "440100");
  EXPECT_EQ(county->city_code, "440100");
  EXPECT_EQ(county->province_code, "440000");
  EXPECT_TRUE(codes::FindDivision("440199") && codes::FindDivision("440199")->current);

  auto renamed = Record(Input(Kind::kRename, "440199", "测试二区"));
  ASSERT_OK(renamed);
  EXPECT_EQ(renamed->seq, 2);
  EXPECT_EQ(Org("440199")->name, "测试二区");
  EXPECT_EQ(Org("440199")->version, 2);
  EXPECT_EQ(codes::FindDivision("440199")->name, "测试二区");

  auto retired = Record(Input(Kind::kRetire, "440199", "", "440106"));
  ASSERT_OK(retired);
  EXPECT_EQ(retired->change.name, "测试二区");  // the name it had
  EXPECT_FALSE(Org("440199")->open);
  EXPECT_FALSE(codes::FindDivision("440199")->current);
  EXPECT_TRUE(codes::IsKnownDivision("440199"));
  EXPECT_EQ(*LastDivisionChange(db()), 3);
  auto listed = ListDivisionChanges(db(), 2);
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].seq, 3);
  EXPECT_EQ((*listed)[0].change.successor, "440106");
  EXPECT_EQ((*listed)[1].change.name, "测试二区");
}

TEST_P(DivisionChangeStoreTest, ARefusedChangeKeepsNothingAndNamesEachField) {
  ASSERT_OK(OrgStore(db()).SeedDivisions("000000"));
  DivisionChangeInput input = Input(Kind::kAdd, "440106", "天河区");
  input.effective_on = "2026-02-30";
  input.reference = "";
  auto refused = Record(input);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kInvalid);
  ASSERT_EQ(refused.error().fields.size(), 3u);
  EXPECT_EQ(refused.error().fields[0].field, "code");
  EXPECT_EQ(refused.error().fields[0].code, "exists");
  EXPECT_EQ(refused.error().fields[1].field, "effectiveOn");
  EXPECT_EQ(refused.error().fields[2].field, "reference");
  input.reference = std::string(101, 'x');
  input.effective_on = "2026-12-01";
  input.change.code = "440199";
  auto too_long = Record(input);
  ASSERT_FALSE(too_long.ok());
  ASSERT_EQ(too_long.error().fields.size(), 1u);
  EXPECT_EQ(too_long.error().fields[0].code, "bad_reference");
  EXPECT_EQ(*LastDivisionChange(db()), 0);
  EXPECT_FALSE(Org("440199"));
  EXPECT_FALSE(codes::IsKnownDivision("440199"));
}

// A change approved ahead of its day: held from when it is recorded, checked against the table
// as it will stand (a district added that day may succeed a county retired that day), carried
// into the tree and the table only on its day in China, in order; none may be dated before a
// change recorded earlier.
TEST_P(DivisionChangeStoreTest, AChangeDatedAheadTakesEffectOnItsDay) {
  ASSERT_OK(OrgStore(db()).SeedDivisions("000000"));
  DivisionChangeInput add = Input(Kind::kAdd, "440199", "测试新区");
  add.effective_on = "2027-01-01";
  auto scheduled = Record(add);
  ASSERT_OK(scheduled);
  EXPECT_EQ(scheduled->applied_at, "");
  EXPECT_FALSE(Org("440199"));
  EXPECT_FALSE(codes::IsKnownDivision("440199"));
  DivisionChangeInput retire = Input(Kind::kRetire, "440117", "", "440199");
  retire.effective_on = "2027-01-01";
  ASSERT_OK(Record(retire));  // its successor is current once the first is in effect
  DivisionChangeInput earlier = Input(Kind::kRename, "440106", "天河新区");
  earlier.effective_on = "2026-12-31";
  auto refused = Record(earlier);
  ASSERT_FALSE(refused.ok());
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].code, "before_scheduled");
  DivisionChangeInput again = Input(Kind::kAdd, "440199", "又一新区");
  again.effective_on = "2027-01-01";
  auto twice = Record(again);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().fields[0].code, "exists");  // against the table as it will stand

  // 2026-12-31T15:59 UTC is still the 31st in China; 16:00 is New Year's Day there.
  auto none = ApplyDueDivisionChanges(db(), "000000", "2026-12-31T15:59:59.000Z");
  ASSERT_OK(none);
  EXPECT_EQ(*none, 0);
  EXPECT_FALSE(codes::IsKnownDivision("440199"));
  auto applied = ApplyDueDivisionChanges(db(), "000000", "2026-12-31T16:00:00.000Z");
  ASSERT_OK(applied);
  EXPECT_EQ(*applied, 2);
  ASSERT_TRUE(Org("440199"));
  EXPECT_TRUE(codes::FindDivision("440199")->current);
  EXPECT_FALSE(codes::FindDivision("440117")->current);
  auto listed = ListDivisionChanges(db(), 10);
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].applied_at, "2026-12-31T16:00:00.000Z");
  EXPECT_EQ((*listed)[0].change.name, "从化区");  // the retired county's name, from the table
  EXPECT_EQ(*ApplyDueDivisionChanges(db(), "000000", "2027-01-02T00:00:00.000Z"), 0);
  // Nothing scheduled now: an approval of long ago recorded late takes effect at once.
  DivisionChangeInput late = Input(Kind::kRename, "440106", "天河新区");
  late.effective_on = "2014-02-12";
  auto recorded_late = Record(late);
  ASSERT_OK(recorded_late);
  EXPECT_FALSE(recorded_late->applied_at.empty());
}

// A province holds a scheduled change from when it receives it and applies it on its day.
TEST_P(DivisionChangeStoreTest, AProvinceAppliesAReceivedChangeOnItsDay) {
  ASSERT_OK(OrgStore(db()).SeedDivisions("440000"));
  const DivisionChangeRecord ahead{1,
                                   {Kind::kRename, "440106", "天河新区", ""},
                                   "2027-01-01",
                                   "国函〔2026〕9号",
                                   "2026-12-05T00:00:00.000Z",
                                   "",
                                   ""};
  EXPECT_EQ(*ReceiveDivisionChanges(db(), {&ahead, 1}, "440000", kNow), 1);
  EXPECT_EQ(*LastDivisionChange(db()), 1);
  EXPECT_EQ(Org("440106")->name, "天河区");
  EXPECT_EQ(codes::FindDivision("440106")->name, "天河区");
  EXPECT_FALSE(*RefreshDivisionChanges(db()));  // nothing in effect to lay
  EXPECT_EQ(*ApplyDueDivisionChanges(db(), "440000", "2027-01-01T00:00:00.000Z"), 1);
  EXPECT_EQ(Org("440106")->name, "天河新区");
  EXPECT_EQ(codes::FindDivision("440106")->name, "天河新区");
  codes::InstallDivisionChanges({});  // as a process starting anew
  ASSERT_OK(InstallStoredDivisionChanges(db()));
  EXPECT_EQ(codes::FindDivision("440106")->name, "天河新区");
}

// A division retired while schools are under it stays open in the tree: they must be moved
// first. Its code is no longer current all the same.
TEST_P(DivisionChangeStoreTest, ARetiredDivisionWithSchoolsStaysOpenInTheTree) {
  ASSERT_OK(OrgStore(db()).SeedDivisions("440000"));
  AddSchool("2144000001", "440106");
  const DivisionChangeRecord retire{1,
                                    {Kind::kRetire, "440106", "天河区", ""},
                                    "2026-12-01",
                                    "国函〔2026〕1号",
                                    "2026-12-05T00:00:00.000Z",
                                    "",
                                    ""};
  ASSERT_OK(ReceiveDivisionChanges(db(), {&retire, 1}, "440000", kNow));
  EXPECT_TRUE(Org("440106")->open);
  EXPECT_FALSE(codes::FindDivision("440106")->current);
}

TEST_P(DivisionChangeStoreTest, AProvinceReceivesInOrderOnceAndOnlyItsOwnTree) {
  ASSERT_OK(OrgStore(db()).SeedDivisions("440000"));
  const std::vector<DivisionChangeRecord> records = {{1,
                                                      {Kind::kAdd, "440199", "测试新区", ""},
                                                      "2026-12-01",
                                                      "国函〔2026〕1号",
                                                      "2026-12-05T00:00:00.000Z",
                                                      "",
                                                      ""},
                                                     {2,
                                                      {Kind::kAdd, "450199", "广西新区", ""},
                                                      "2026-12-01",
                                                      "国函〔2026〕2号",
                                                      "2026-12-05T00:00:01.000Z",
                                                      "",
                                                      ""},
                                                     {3,
                                                      {Kind::kRename, "440106", "天河新区", ""},
                                                      "2026-12-01",
                                                      "国函〔2026〕3号",
                                                      "2026-12-05T00:00:02.000Z",
                                                      "",
                                                      ""}};
  auto taken = ReceiveDivisionChanges(db(), records, "440000", kNow);
  ASSERT_OK(taken);
  EXPECT_EQ(*taken, 3);
  ASSERT_TRUE(Org("440199"));
  EXPECT_EQ(Org("440199")->parent_code, "440100");
  EXPECT_FALSE(Org("450199"));  // Guangxi's: known here, not in this province's tree
  EXPECT_TRUE(codes::IsKnownDivision("450199"));
  EXPECT_EQ(Org("440106")->name, "天河新区");
  auto stored = DivisionChangesAfter(db(), 0, 10);
  ASSERT_OK(stored);
  ASSERT_EQ(stored->size(), 3u);
  EXPECT_EQ((*stored)[0].recorded_at, "2026-12-05T00:00:00.000Z");
  EXPECT_EQ((*stored)[0].received_at, kNow);

  // Told again (an answer repeated): nothing new.
  auto again = ReceiveDivisionChanges(db(), records, "440000", kNow);
  ASSERT_OK(again);
  EXPECT_EQ(*again, 0);

  // A gap: refused whole, the change before it included.
  const std::vector<DivisionChangeRecord> gap = {{4,
                                                  {Kind::kAdd, "440198", "甲区", ""},
                                                  "2026-12-01",
                                                  "x",
                                                  "2026-12-05T00:00:03.000Z",
                                                  "",
                                                  ""},
                                                 {6,
                                                  {Kind::kAdd, "440197", "乙区", ""},
                                                  "2026-12-01",
                                                  "x",
                                                  "2026-12-05T00:00:04.000Z",
                                                  "",
                                                  ""}};
  auto refused = ReceiveDivisionChanges(db(), gap, "440000", kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "division_change_gap");
  EXPECT_EQ(*LastDivisionChange(db()), 3);
  EXPECT_FALSE(Org("440198"));
  EXPECT_FALSE(codes::IsKnownDivision("440198"));
}

// What the node lays over the table at start (nemis serve, every command) is what it stores.
TEST_P(DivisionChangeStoreTest, TheTableIsLaidAgainFromTheStore) {
  ASSERT_OK(OrgStore(db()).SeedDivisions("000000"));
  ASSERT_OK(Record(Input(Kind::kAdd, "440199", "测试新区")));
  codes::InstallDivisionChanges({});  // as a process starting anew
  EXPECT_FALSE(codes::IsKnownDivision("440199"));
  ASSERT_OK(InstallStoredDivisionChanges(db()));
  EXPECT_EQ(codes::FindDivision("440199")->name, "测试新区");
}

// 撤销某县，分设两区: the schools the change names go to their own successor, the others to the
// change's; each successor checked as the change's own; on the national node nothing moves
// (the province's records will).
TEST_P(DivisionChangeStoreTest, ACountySplitSendsEachNamedSchoolToItsOwnSuccessor) {
  ASSERT_OK(OrgStore(db()).SeedDivisions("440000"));
  AddSchool("2144011701", "440117");
  AddSchool("2144011702", "440117");
  AddSchool("2144011703", "440117");
  DivisionChangeRecord split{1,
                             {Kind::kRetire, "440117", "从化区", "440114"},
                             "2026-12-01",
                             "国函〔2026〕8号",
                             "2026-12-05T00:00:00.000Z",
                             "",
                             "",
                             {{"2144011702", "440118"}, {"2144011709", "440118"}}};
  ASSERT_OK(ReceiveDivisionChanges(db(), {&split, 1}, "440000", kNow));
  EXPECT_EQ(Org("2144011701")->parent_code, "440114");
  EXPECT_EQ(Org("2144011702")->parent_code, "440118");
  EXPECT_EQ(Org("2144011702")->county_code, "440118");
  EXPECT_EQ(Org("2144011703")->parent_code, "440114");
  EXPECT_FALSE(Org("440117")->open);
  auto stored = DivisionChangesAfter(db(), 0, 10);
  ASSERT_OK(stored);
  EXPECT_EQ((*stored)[0].school_successors, split.school_successors);
}

TEST_P(DivisionChangeStoreTest, ASplitsSchoolsAreCheckedEachByItsCode) {
  ASSERT_OK(OrgStore(db()).SeedDivisions("000000"));
  DivisionChangeInput split = Input(Kind::kRetire, "440117", "", "440114");
  split.school_successors = {{"2144011701", "440118"},
                             {"21440117", "440118"},
                             {"2144011702", "450102"},
                             {"2144011703", "440100"},
                             {"2144011704", ""}};
  auto refused = Record(split);
  ASSERT_FALSE(refused.ok());
  std::vector<std::string> problems;
  for (const FieldError& e : refused.error().fields) problems.push_back(e.field + ":" + e.code);
  EXPECT_EQ(problems, (std::vector<std::string>{"schoolSuccessors.21440117:bad_school",
                                                "schoolSuccessors.2144011702:other_province",
                                                "schoolSuccessors.2144011703:not_school_parent",
                                                "schoolSuccessors.2144011704:unknown_successor"}));
  DivisionChangeInput rename = Input(Kind::kRename, "440117", "从化新区");
  rename.school_successors = {{"2144011701", "440118"}};
  auto not_retiring = Record(rename);
  ASSERT_FALSE(not_retiring.ok());
  EXPECT_EQ(not_retiring.error().fields.at(0).code, "not_applicable");
  EXPECT_EQ(*LastDivisionChange(db()), 0);
  split.school_successors = {{"2144011701", "440118"}};
  auto recorded = Record(split);
  ASSERT_OK(recorded);
  EXPECT_EQ(recorded->school_successors, split.school_successors);
}

NEMIS_STORE_TEST_SUITE(DivisionChangeStoreTest);

}  // namespace
}  // namespace nemis::org
