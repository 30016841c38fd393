#include "org/org_store.hpp"

#include <gtest/gtest.h>

#include "db/migrations/migrate.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::org {
namespace {

class OrgStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    store_ = std::make_unique<OrgStore>(db());
    auto seeded = store_->SeedDivisions("440000");
    ASSERT_OK(seeded);
    seeded_ = *seeded;
  }

  InstitutionInput School(std::string code, std::string parent, std::string name,
                          std::string type) {
    InstitutionInput in;
    in.code = std::move(code);
    in.parent_code = std::move(parent);
    in.name = std::move(name);
    in.school_type = std::move(type);
    in.urban_rural = "111";
    in.longitude = 113.36;
    in.latitude = 23.12;
    return in;
  }

  int64_t CountChanges() {
    SealChangeLog();
    auto n = db().Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs,
                             c.Query("SELECT COUNT(*) FROM change_log WHERE entity = 'org'"));
      return rs.rows.at(0).Int(0);
    });
    return n.ok() ? *n : -1;
  }

  std::unique_ptr<OrgStore> store_;
  int seeded_ = 0;
};

TEST_P(OrgStoreTest, SeedsTheProvinceTreeOnceWithAncestorCodes) {
  EXPECT_GT(seeded_, 100);  // 广东: 21 cities and over 120 counties
  auto again = store_->SeedDivisions("440000");
  ASSERT_OK(again);
  EXPECT_EQ(*again, 0);
  auto tianhe = store_->Get(Scope::Everything(), "440106");
  ASSERT_OK(tianhe);
  EXPECT_EQ(tianhe->name, "天河区");
  EXPECT_EQ(tianhe->level, OrgLevel::kCounty);
  EXPECT_EQ(tianhe->parent_code, "440100");
  EXPECT_EQ(tianhe->province_code, "440000");
  EXPECT_EQ(tianhe->city_code, "440100");
  EXPECT_EQ(tianhe->county_code, "440106");
  EXPECT_EQ(CountChanges(), seeded_);
  EXPECT_EQ(store_->Get(Scope::Everything(), "110105").error().kind,
            ErrorKind::kNotFound);  // not this node's province
}

TEST_P(OrgStoreTest, CreatesAValidSchoolAndRefusesDuplicatesAndBadCodes) {
  auto school =
      store_->Create(Scope::Everything(), School("2144000001", "440106", "天河区第一小学", "211"));
  ASSERT_OK(school);
  EXPECT_EQ(school->level, OrgLevel::kSchool);
  EXPECT_EQ(school->category, "21");
  EXPECT_EQ(school->county_code, "440106");
  EXPECT_EQ(school->version, 1);

  auto dup = store_->Create(Scope::Everything(), School("2144000001", "440106", "另一所", "211"));
  ASSERT_THAT(dup, nemis::testing::IsErrorCode("duplicate_code"));
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);

  auto wrong_province =
      store_->Create(Scope::Everything(), School("2111000002", "440106", "错省", "211"));
  ASSERT_THAT(wrong_province, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(wrong_province.error().fields.at(0).code, "province_mismatch");

  auto wrong_type =
      store_->Create(Scope::Everything(), School("2144000003", "440106", "类型不符", "342"));
  ASSERT_THAT(wrong_type, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(wrong_type.error().fields.at(0).field, "schoolType");

  auto no_parent =
      store_->Create(Scope::Everything(), School("2144000004", "449999", "无上级", "211"));
  ASSERT_THAT(no_parent, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(no_parent.error().fields.at(0).code, "not_found");

  auto university_under_county =
      store_->Create(Scope::Everything(), School("4144000005", "440106", "某大学", "411"));
  ASSERT_THAT(university_under_county, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(university_under_county.error().fields.at(0).code, "bad_parent");
  EXPECT_OK(store_->Create(Scope::Everything(), School("4144000005", "440000", "某大学", "411")));
}

TEST_P(OrgStoreTest, ScopesHideOtherSubtrees) {
  ASSERT_OK(
      store_->Create(Scope::Everything(), School("2144000001", "440106", "天河区第一小学", "211")));
  ASSERT_OK(
      store_->Create(Scope::Everything(), School("2144000002", "440105", "海珠区第一小学", "211")));
  auto tianhe = store_->Get(Scope::Everything(), "440106");
  Scope county = Scope::Of(*tianhe);
  EXPECT_OK(store_->Get(county, "2144000001"));
  EXPECT_EQ(store_->Get(county, "2144000002").error().kind, ErrorKind::kNotFound);
  auto created = store_->Create(county, School("2144000003", "440105", "越权", "211"));
  ASSERT_THAT(created, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(created.error().fields.at(0).code, "not_found");
  auto found = store_->Search(county, {"", "第一小学", std::nullopt, 50, ""});
  ASSERT_OK(found);
  ASSERT_EQ(found->items.size(), 1u);
  EXPECT_EQ(found->items[0].code, "2144000001");
}

TEST_P(OrgStoreTest, ListsChildrenAndSearchesByCodePrefixWithKeysetPages) {
  auto page1 = store_->Children(Scope::Everything(), "440100", 5, "");
  ASSERT_OK(page1);
  ASSERT_EQ(page1->items.size(), 5u);
  ASSERT_TRUE(page1->next);
  auto page2 = store_->Children(Scope::Everything(), "440100", 100, *page1->next);
  ASSERT_OK(page2);
  EXPECT_EQ(page1->items.size() + page2->items.size(), 11u);  // 广州市 has 11 districts
  EXPECT_FALSE(page2->next);
  EXPECT_LT(page1->items.back().code, page2->items.front().code);
  auto by_prefix = store_->Search(Scope::Everything(), {"", "4401", OrgLevel::kCounty, 50, ""});
  ASSERT_OK(by_prefix);
  EXPECT_EQ(by_prefix->items.size(), 11u);
  auto percent = store_->Search(Scope::Everything(), {"", "100%", std::nullopt, 50, ""});
  ASSERT_OK(percent);
  EXPECT_TRUE(percent->items.empty());  // LIKE wildcards in the text match literally
}

TEST_P(OrgStoreTest, UpdatesWithOptimisticConcurrencyAndLogsTheChange) {
  ASSERT_OK(
      store_->Create(Scope::Everything(), School("2144000001", "440106", "天河区第一小学", "211")));
  int64_t before = CountChanges();
  InstitutionInput change;
  change.name = "天河区实验小学";
  change.open = false;
  auto updated = store_->Update(Scope::Everything(), "2144000001", change, 1);
  ASSERT_OK(updated);
  EXPECT_EQ(updated->name, "天河区实验小学");
  EXPECT_FALSE(updated->open);
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(CountChanges(), before + 1);
  auto stale = store_->Update(Scope::Everything(), "2144000001", change, 1);
  EXPECT_EQ(stale.error().kind, ErrorKind::kPreconditionFailed);
  InstitutionInput recode;
  recode.code = "2144000009";
  auto immutable = store_->Update(Scope::Everything(), "2144000001", recode, 2);
  ASSERT_THAT(immutable, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(immutable.error().fields.at(0).code, "immutable");
  EXPECT_EQ(store_->Get(Scope::Everything(), "2144000001")->version, 2);
}

// 学校隶属关系调整: a school under another county of its province, at the version read, within
// the caller's scope; each refusal names its field and changes nothing.
TEST_P(OrgStoreTest, MovesASchoolUnderAnotherCountyOfItsProvince) {
  ASSERT_OK(store_->SeedDivisions("000000"));  // another province's counties too
  ASSERT_OK(
      store_->Create(Scope::Everything(), School("2144000001", "440106", "天河区第一小学", "211")));
  const int64_t before = CountChanges();
  auto refused = [&](std::string_view to, int64_t version = 1) {
    auto moved = store_->MoveSchool(Scope::Everything(), "2144000001", to, version);
    return moved.ok() ? std::string("moved")
           : moved.error().fields.empty()
               ? moved.error().code
               : moved.error().fields[0].field + ":" + moved.error().fields[0].code;
  };
  EXPECT_EQ(refused("440100"), "parentCode:not_school_parent");  // 广州市 has counties
  EXPECT_EQ(refused("440106"), "parentCode:same_parent");
  EXPECT_EQ(refused("450102"), "parentCode:other_province");
  EXPECT_EQ(refused("440199"), "not_found");
  EXPECT_EQ(refused("440103", 7), "version_mismatch");
  auto county = store_->MoveSchool(Scope::Everything(), "440106", "440103", 1);
  ASSERT_FALSE(county.ok());
  EXPECT_EQ(county.error().fields.at(0).code, "not_a_school");
  InstitutionInput close;
  close.open = false;
  ASSERT_OK(store_->Update(Scope::Everything(), "440104", close,
                           store_->Get(Scope::Everything(), "440104")->version));
  EXPECT_EQ(refused("440104"), "parentCode:closed");
  // A county's officer reaches neither the other county nor, from there, the school.
  const Scope tianhe = Scope::Of(*store_->Get(Scope::Everything(), "440106"));
  auto out_of_scope = store_->MoveSchool(tianhe, "2144000001", "440103", 1);
  EXPECT_EQ(out_of_scope.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(CountChanges(), before + 1);  // only the county closed

  auto moved = store_->MoveSchool(Scope::Everything(), "2144000001", "440103", 1);
  ASSERT_OK(moved);
  EXPECT_EQ(moved->parent_code, "440103");
  EXPECT_EQ(moved->county_code, "440103");
  EXPECT_EQ(moved->city_code, "440100");
  EXPECT_EQ(moved->version, 2);
  EXPECT_EQ(CountChanges(), before + 2);
}

NEMIS_STORE_TEST_SUITE(OrgStoreTest);

}  // namespace
}  // namespace nemis::org
