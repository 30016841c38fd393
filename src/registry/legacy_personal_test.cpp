// Students stored before migration 4 had their personal data in clear columns: the
// migration sets them aside and the data step seals them.
#include "registry/legacy_personal.hpp"

#include <gtest/gtest.h>

#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "registry/student_store.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kOldStudent =
    "INSERT INTO student (student_number, number_kind, id_type, id_number, name, gender, birth_date, ethnicity, "
    "nationality, address, phone, g1_name, g1_phone, school_id, province_code, city_code, county_code, school_code, "
    "stage, grade, class_no, entry_date, created_at, updated_at) "
    "SELECT $1, $2, $3, $4, '王小明', 1, '2019-03-15', '01', '156', $5, '13812345678', '王大明', '13900001111', "
    "id, '440000', '440100', '440106', code, 'primary', 1, '01', '2025-09', '2025-09-01T00:00:00.000Z', "
    "'2025-09-01T00:00:00.000Z' FROM org WHERE code = '2144000001'";

class LegacyPersonalTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(db::MigrateTo(db(), 3).ok());
    org::OrgStore orgs(db());
    ASSERT_TRUE(orgs.SeedDivisions("440000").ok());
    org::InstitutionInput school;
    school.code = "2144000001";
    school.parent_code = "440106";
    school.name = "天河区第一小学";
    school.school_type = "211";
    ASSERT_TRUE(orgs.Create(org::Scope::Everything(), school).ok());
  }
  void AddOldStudent(const std::string& number, const std::optional<std::string>& id, const std::string& address) {
    Status s = db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query(kOldStudent, {number, std::string(1, number[0]), id ? db::Param("1") : db::Param(), id,
                                      address}));
      return {};
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
};

TEST_P(LegacyPersonalTest, SealsTheStudentsStoredBeforeAndDropsTheClearCopy) {
  AddOldStudent("G11010519491231002X", "11010519491231002X", "广东省广州市天河区体育西路 1 号");
  AddOldStudent("G440524188001010014", "440524188001010014", "广东省广州市天河区天河路 2 号");
  AddOldStudent("J440106201903150011", std::nullopt, "广东省广州市天河区中山大道 3 号");
  ASSERT_TRUE(db::Migrate(db()).ok());
  auto pending = HasLegacyPersonalData(db());
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(*pending);
  auto sealed = SealLegacyPersonalData(db(), cipher_, 2);  // two batches
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(*sealed, 3);
  EXPECT_FALSE(*HasLegacyPersonalData(db()));
  StudentStore store(db(), cipher_);
  auto g = store.Get(org::Scope::Everything(), "G440524188001010014");
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(*g->id_number, "440524188001010014");
  EXPECT_EQ(*g->address, "广东省广州市天河区天河路 2 号");
  EXPECT_EQ(*g->phone, "13812345678");
  EXPECT_EQ(*g->guardian1.phone, "13900001111");
  auto j = store.Search(org::Scope::Everything(), {"J440106201903150011", 10, ""});
  ASSERT_TRUE(j.ok());
  ASSERT_EQ(j->items.size(), 1u);
  EXPECT_FALSE(j->items[0].id_number.has_value());
  // Done once: nothing left to do at the next start.
  auto again = SealLegacyPersonalData(db(), cipher_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_P(LegacyPersonalTest, AnEmptyRegistryOnlyDropsTheEmptyCopy) {
  ASSERT_TRUE(db::Migrate(db()).ok());
  auto sealed = SealLegacyPersonalData(db(), cipher_);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(*sealed, 0);
  EXPECT_FALSE(*HasLegacyPersonalData(db()));
}

}  // namespace
NEMIS_STORE_TEST_SUITE(LegacyPersonalTest);
}  // namespace nemis::registry
