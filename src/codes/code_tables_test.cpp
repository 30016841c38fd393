#include "codes/code_tables.hpp"

#include <gtest/gtest.h>

#include <set>

namespace nemis::codes {
namespace {

TEST(CodeTablesTest, LooksUpBothWays) {
  EXPECT_EQ(GenderCodes().Find("1")->name, "男");
  EXPECT_EQ(GenderCodes().FindByName("女")->code, "2");
  EXPECT_EQ(EthnicityCodes().Find("01")->name, "汉族");
  EXPECT_EQ(EthnicityCodes().Find("08")->name, "壮族");
  EXPECT_EQ(EthnicityCodes().FindByName("畲族")->code, "22");
  EXPECT_EQ(EthnicityCodes().Find("56")->name, "基诺族");
  EXPECT_EQ(IdTypeCodes().Find("A")->name, "护照");
  EXPECT_EQ(IdTypeCodes().FindByName("居民身份证")->code, "1");
  EXPECT_EQ(OverseasCodes().Find("42")->name, "外国人");
  EXPECT_EQ(NationalityCodes().Find("156")->name, "中国");
  EXPECT_EQ(NationalityCodes().FindByName("中国香港")->code, "344");
  EXPECT_EQ(SchoolCategoryCodes().Find("34")->name, "普通高中");
  EXPECT_EQ(SchoolTypeCodes().Find("312")->name, "九年一贯制学校");
  EXPECT_EQ(SchoolTypeCodes().FindByName("完全中学")->code, "341");
  EXPECT_EQ(StudentCategoryCodes().Find("32100")->name, "普通高中学生");
  EXPECT_EQ(StatusChangeCodes().Find("21")->name, "转学(转出)");
  EXPECT_EQ(StudentStatusCodes().FindByName("休学")->code, "02");
  EXPECT_EQ(LeftBehindCodes().Find("2")->name, "双亲留守");
  EXPECT_EQ(EntryMethodCodes().Find("11")->name, "就近入学");
  EXPECT_EQ(BoardingCodes().FindByName("住校")->code, "2");
  EXPECT_EQ(DisabilityTypeCodes().Find("5")->name, "智力残疾");
  EXPECT_EQ(GuardianRelationCodes().Find("3")->name, "祖父母/外祖父母");
}

TEST(CodeTablesTest, UnknownCodesAndNamesAreNull) {
  EXPECT_EQ(GenderCodes().Find("3"), nullptr);
  EXPECT_EQ(GenderCodes().Find(""), nullptr);
  EXPECT_EQ(EthnicityCodes().Find("1"), nullptr);  // codes are two digits
  EXPECT_EQ(EthnicityCodes().Find("57"), nullptr);
  EXPECT_EQ(EthnicityCodes().FindByName("汉"), nullptr);
  EXPECT_EQ(SchoolTypeCodes().Find("999"), nullptr);
  EXPECT_EQ(IdTypeCodes().Find("a"), nullptr);
}

TEST(CodeTablesTest, EveryTableIsNonEmptyWithUniqueCodesAndNames) {
  std::set<std::string_view> table_names;
  for (const CodeTable* table : AllCodeTables()) {
    EXPECT_TRUE(table_names.insert(table->name()).second) << table->name();
    EXPECT_FALSE(table->title().empty());
    EXPECT_FALSE(table->entries().empty()) << table->name();
    std::set<std::string_view> codes, names;
    for (const CodeEntry& e : table->entries()) {
      EXPECT_FALSE(e.code.empty());
      EXPECT_FALSE(e.name.empty());
      EXPECT_TRUE(codes.insert(e.code).second) << table->name() << " code " << e.code;
      EXPECT_TRUE(names.insert(e.name).second) << table->name() << " name " << e.name;
    }
  }
  EXPECT_EQ(AllCodeTables().size(), 19u);
  EXPECT_EQ(EthnicityCodes().entries().size(), 58u);
}

TEST(CodeTablesTest, UrbanRuralClasses) {
  EXPECT_EQ(UrbanRuralClass("111"), "城区");
  EXPECT_EQ(UrbanRuralClass("112"), "城区");
  EXPECT_EQ(UrbanRuralClass("121"), "镇区");
  EXPECT_EQ(UrbanRuralClass("123"), "镇区");
  EXPECT_EQ(UrbanRuralClass("210"), "乡村");
  EXPECT_EQ(UrbanRuralClass("220"), "乡村");
  EXPECT_EQ(UrbanRuralClass("230"), "");
  EXPECT_EQ(UrbanRuralClass(""), "");
}

}  // namespace
}  // namespace nemis::codes
