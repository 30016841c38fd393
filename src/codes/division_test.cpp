#include "codes/division.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace nemis::codes {
namespace {

std::set<std::string> Codes(const std::vector<const Division*>& divisions) {
  std::set<std::string> codes;
  for (const Division* d : divisions) codes.insert(std::string(d->code));
  return codes;
}

TEST(DivisionTest, FindsRealDivisions) {
  ASSERT_NE(FindDivision("440106"), nullptr);
  EXPECT_EQ(FindDivision("440106")->name, "天河区");
  EXPECT_TRUE(FindDivision("440106")->current);
  EXPECT_EQ(FindDivision("440000")->name, "广东省");
  EXPECT_EQ(FindDivision("440100")->name, "广州市");
  EXPECT_EQ(FindDivision("429004")->name, "仙桃市");
  EXPECT_EQ(FindDivision("110105")->name, "朝阳区");
  EXPECT_EQ(FindDivision("441900")->name, "东莞市");
  EXPECT_EQ(FindDivision("810000")->name, "香港特别行政区");
  EXPECT_EQ(FindDivision("449999"), nullptr);
  EXPECT_EQ(FindDivision("44010"), nullptr);
  EXPECT_EQ(FindDivision("44010a"), nullptr);
  EXPECT_EQ(FindDivision(""), nullptr);
}

TEST(DivisionTest, KeepsRetiredCodes) {
  const Division* dongshan = FindDivision("440102");  // 广州市东山区, merged into 越秀区 in 2005
  ASSERT_NE(dongshan, nullptr);
  EXPECT_EQ(dongshan->name, "东山区");
  EXPECT_FALSE(dongshan->current);
  EXPECT_FALSE(FindDivision("110103")->current);  // 崇文区
  EXPECT_FALSE(FindDivision("440524")->current);  // 潮阳县, GB 11643's example
  EXPECT_TRUE(IsKnownDivision("440524"));
}

TEST(DivisionTest, KnowsCodesFast) {
  EXPECT_TRUE(IsKnownDivision("440106"));
  EXPECT_TRUE(IsKnownDivision("440000"));
  EXPECT_FALSE(IsKnownDivision("449999"));
  EXPECT_FALSE(IsKnownDivision("000000"));
  EXPECT_FALSE(IsKnownDivision("4401066"));
  EXPECT_FALSE(IsKnownDivision("44010X"));
  for (const Division* d : AllDivisions()) EXPECT_TRUE(IsKnownDivision(d->code)) << d->code;
}

TEST(DivisionTest, AddressCodesAreCountyLevel) {
  for (const char* refused :
       {"110000", "440000", "810000", "440100", "110100", "110200", "500200", "429000", "469000"})
    EXPECT_FALSE(IsAddressCode(refused)) << refused;
  for (const char* accepted : {"440106", "440102", "110105", "429004", "460001", "370101", "441900",
                               "441901", "442000", "460400", "620200", "130171"})
    EXPECT_TRUE(IsAddressCode(accepted)) << accepted;
  EXPECT_FALSE(IsAddressCode("449999"));
  EXPECT_FALSE(IsAddressCode("44010"));
  EXPECT_FALSE(IsAddressCode("44010X"));
  size_t accepted_prefectures = 0;
  for (const Division* d : AllDivisions()) {
    auto level = DivisionLevelOf(d->code);
    if (level == DivisionLevel::kCounty) {
      EXPECT_TRUE(IsAddressCode(d->code)) << d->code;
    }
    if (level == DivisionLevel::kProvince) {
      EXPECT_FALSE(IsAddressCode(d->code)) << d->code;
    }
    if (level == DivisionLevel::kPrefecture && IsAddressCode(d->code)) ++accepted_prefectures;
  }
  EXPECT_EQ(accepted_prefectures, 4u);  // 东莞, 中山, 儋州, 嘉峪关
}

TEST(DivisionTest, LevelsFollowTheCodeShape) {
  EXPECT_EQ(DivisionLevelOf("440000"), DivisionLevel::kProvince);
  EXPECT_EQ(DivisionLevelOf("440100"), DivisionLevel::kPrefecture);
  EXPECT_EQ(DivisionLevelOf("429000"), DivisionLevel::kPrefecture);
  EXPECT_EQ(DivisionLevelOf("440106"), DivisionLevel::kCounty);
  EXPECT_EQ(DivisionLevelOf("429004"), DivisionLevel::kCounty);
  EXPECT_EQ(DivisionLevelOf("449999"), DivisionLevel::kCounty);  // shape only
  EXPECT_EQ(DivisionLevelOf("460001"), DivisionLevel::kCounty);  // retired 通什市, province-direct
  EXPECT_FALSE(DivisionLevelOf("000000"));
  EXPECT_FALSE(DivisionLevelOf("001234"));
  EXPECT_FALSE(DivisionLevelOf("44010"));
  EXPECT_FALSE(DivisionLevelOf("4401061"));
  EXPECT_FALSE(DivisionLevelOf("44O106"));
  EXPECT_FALSE(DivisionLevelOf("４４０１０６"));
}

TEST(DivisionTest, ParentsByCode) {
  EXPECT_EQ(ProvinceOf("440106"), "440000");
  EXPECT_EQ(ProvinceOf("440000"), "440000");
  EXPECT_EQ(ProvinceOf("abc"), "");
  EXPECT_EQ(PrefectureOf("440106"), "440100");
  EXPECT_EQ(PrefectureOf("440100"), "440100");
  EXPECT_EQ(PrefectureOf("429004"), "429000");
  EXPECT_EQ(PrefectureOf("440000"), "");
  EXPECT_EQ(PrefectureOf("4401"), "");
  EXPECT_EQ(PrefectureOf("460001"), "");
}

TEST(DivisionTest, ProvinceChildrenIncludeProvinceDirectCounties) {
  auto hubei = Codes(ChildDivisions("420000"));
  EXPECT_TRUE(hubei.count("420100"));  // 武汉市
  EXPECT_TRUE(hubei.count("429004"));  // 仙桃市
  EXPECT_TRUE(hubei.count("429021"));  // 神农架林区
  EXPECT_FALSE(hubei.count("429000"));
  EXPECT_FALSE(hubei.count("420102"));
  auto guangdong = Codes(ChildDivisions("440000"));
  EXPECT_EQ(guangdong.size(), 21u);  // 21 prefecture-level cities
  EXPECT_TRUE(guangdong.count("441900"));
  EXPECT_FALSE(guangdong.count("440102"));  // retired, and a county anyway
}

TEST(DivisionTest, PrefectureChildrenAreCurrentCounties) {
  auto guangzhou = Codes(ChildDivisions("440100"));
  EXPECT_EQ(guangzhou.size(), 11u);  // 11 districts since 2014
  EXPECT_TRUE(guangzhou.count("440106"));
  EXPECT_FALSE(guangzhou.count("440102"));  // retired 东山区
  EXPECT_FALSE(guangzhou.count("440116"));  // retired 萝岗区
  for (const char* no_counties : {"441900", "442000", "460400", "620200"})
    EXPECT_TRUE(ChildDivisions(no_counties).empty()) << no_counties;
  EXPECT_TRUE(ChildDivisions("440106").empty());
  EXPECT_TRUE(ChildDivisions("bad").empty());
  EXPECT_EQ(Codes(ChildDivisions("429000")).count("429004"), 1u);
}

TEST(DivisionTest, TableIsSortedAndWellFormed) {
  auto all = AllDivisions();
  EXPECT_GT(all.size(), 3300u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const Division* a, const Division* b) {
    return a->code < b->code;
  }));
  EXPECT_EQ(
      std::adjacent_find(all.begin(), all.end(),
                         [](const Division* a, const Division* b) { return a->code == b->code; }),
      all.end());
  size_t provinces = 0;
  for (const Division* d : all) {
    EXPECT_TRUE(DivisionLevelOf(d->code).has_value()) << d->code;
    EXPECT_FALSE(d->name.empty()) << d->code;
    if (d->current && DivisionLevelOf(d->code) == DivisionLevel::kProvince) ++provinces;
  }
  EXPECT_EQ(provinces, 34u);
}

}  // namespace
}  // namespace nemis::codes
