// Division changes over the compiled table: each rule of CheckDivisionChange on real
// divisions, and what the lookups know once changes are installed. Every test puts the compiled
// table back (an empty list of changes).
#include "codes/division_changes.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "base/date.hpp"
#include "codes/division.hpp"
#include "codes/id_number.hpp"

namespace nemis::codes {
namespace {

class DivisionChangesTest : public ::testing::Test {
 protected:
  void TearDown() override { InstallDivisionChanges({}); }

  // The codes of the problems found, field:code, in order.
  static std::vector<std::string> Check(const DivisionChange& change) {
    std::vector<std::string> out;
    for (const FieldError& e : CheckDivisionChange(change)) out.push_back(e.field + ":" + e.code);
    return out;
  }

  static bool HasChild(std::string_view parent, std::string_view code) {
    auto children = ChildDivisions(parent);
    return std::any_of(children.begin(), children.end(),
                       [&](const Division* d) { return d->code == code; });
  }
};

using Kind = DivisionChangeKind;
using Problems = std::vector<std::string>;

TEST_F(DivisionChangesTest, AddsOnlyANewCodeUnderACurrentParent) {
  EXPECT_EQ(Check({Kind::kAdd, "440199", "测试新区", ""}), Problems{});
  EXPECT_EQ(Check({Kind::kAdd, "440106", "天河区", ""}), Problems{"code:exists"});
  // 440102 东山区 was retired in 2005: adding it again is allowed.
  EXPECT_EQ(Check({Kind::kAdd, "440102", "东山区", ""}), Problems{});
  // No prefecture 4499 in Guangdong; 449900 itself may be added under the province.
  EXPECT_EQ(Check({Kind::kAdd, "449901", "某县", ""}), Problems{"code:no_parent"});
  EXPECT_EQ(Check({Kind::kAdd, "449900", "某市", ""}), Problems{});
  // 仙桃市 sits under Hubei's 省直辖 group 429000.
  EXPECT_EQ(Check({Kind::kAdd, "429099", "某市", ""}), Problems{});
  EXPECT_EQ(Check({Kind::kAdd, "44019", "测试新区", ""}), Problems{"code:bad_code"});
  EXPECT_EQ(Check({Kind::kAdd, "000101", "测试新区", ""}), Problems{"code:bad_code"});
  EXPECT_EQ(Check({Kind::kAdd, "44019X", "测试新区", ""}), Problems{"code:bad_code"});
}

TEST_F(DivisionChangesTest, ChecksTheNameAndTheSuccessor) {
  EXPECT_EQ(Check({Kind::kAdd, "440199", "", ""}), Problems{"name:required"});
  EXPECT_EQ(Check({Kind::kAdd, "440199", std::string(51, 'a'), ""}), Problems{"name:bad_name"});
  EXPECT_EQ(Check({Kind::kAdd, "440199", "测试\n新区", ""}), Problems{"name:bad_name"});
  EXPECT_EQ(Check({Kind::kAdd, "440199", "测试新区", "440106"}),
            Problems{"successor:not_applicable"});
  EXPECT_EQ(Check({Kind::kRename, "440106", "天河区", ""}), Problems{"name:same_name"});
  EXPECT_EQ(Check({Kind::kRetire, "440106", "", "440106"}),
            Problems{"successor:unknown_successor"});
  EXPECT_EQ(Check({Kind::kRetire, "440106", "", "440102"}),  // retired itself
            Problems{"successor:unknown_successor"});
  EXPECT_EQ(Check({Kind::kRetire, "440106", "", "440104"}), Problems{});  // 越秀区
  EXPECT_EQ(Check({Kind::kRetire, "440106", "", "441900"}), Problems{});  // 东莞: no counties
  EXPECT_EQ(Check({Kind::kRetire, "440106", "", "450102"}), Problems{"successor:other_province"});
  EXPECT_EQ(Check({Kind::kRetire, "440106", "", "440100"}),  // 广州市 has counties
            Problems{"successor:not_school_parent"});
  // Several problems at once, each naming its field.
  EXPECT_EQ(Check({Kind::kAdd, "440106", "", "440104"}),
            (Problems{"code:exists", "name:required", "successor:not_applicable"}));
}

TEST_F(DivisionChangesTest, RenamesAndRetiresOnlyCurrentDivisions) {
  EXPECT_EQ(Check({Kind::kRename, "440106", "天河新区", ""}), Problems{});
  EXPECT_EQ(Check({Kind::kRename, "449999", "某区", ""}), Problems{"code:unknown_division"});
  EXPECT_EQ(Check({Kind::kRename, "440102", "某区", ""}), Problems{"code:not_current"});
  EXPECT_EQ(Check({Kind::kRetire, "440102", "", ""}), Problems{"code:not_current"});
  EXPECT_EQ(Check({Kind::kRetire, "440100", "", ""}), Problems{"code:has_children"});
  EXPECT_EQ(Check({Kind::kRetire, "441900", "", ""}), Problems{});  // 东莞: no counties
}

TEST_F(DivisionChangesTest, InstalledChangesAreWhatEveryLookupKnows) {
  ASSERT_EQ(FindDivision("440199"), nullptr);
  const std::string first17 = "44019920170315002";
  const std::string id = first17 + IdCheckCharacter(first17);
  const Date today{2026, 12, 6};
  EXPECT_EQ(CheckIdNumber(id, today, 0), IdProblem::kUnknownRegion);
  const Division* tianhe_before = FindDivision("440106");
  const DivisionChange changes[] = {{Kind::kAdd, "440199", "测试新区", ""},
                                    {Kind::kRename, "440106", "天河新区", ""},
                                    {Kind::kRetire, "440103", "", "440104"},
                                    {Kind::kAdd, "449900", "某市", ""},
                                    {Kind::kAdd, "449901", "某县", ""}};
  InstallDivisionChanges(changes);

  ASSERT_NE(FindDivision("440199"), nullptr);
  EXPECT_EQ(FindDivision("440199")->name, "测试新区");
  EXPECT_TRUE(FindDivision("440199")->current);
  EXPECT_TRUE(IsKnownDivision("440199"));
  EXPECT_TRUE(IsAddressCode("440199"));  // IDs issued there from now on carry it
  EXPECT_TRUE(HasChild("440100", "440199"));
  EXPECT_EQ(FindDivision("440106")->name, "天河新区");
  EXPECT_EQ(tianhe_before->name, "天河区");  // what was handed out before stays valid
  // 荔湾区 retired: still known (IDs carry it), no longer a child.
  ASSERT_NE(FindDivision("440103"), nullptr);
  EXPECT_FALSE(FindDivision("440103")->current);
  EXPECT_EQ(FindDivision("440103")->name, "荔湾区");
  EXPECT_TRUE(IsAddressCode("440103"));
  EXPECT_FALSE(HasChild("440100", "440103"));
  // A new prefecture with a county: the county is an ID's address code, the city is not.
  EXPECT_TRUE(HasChild("440000", "449900"));
  EXPECT_TRUE(HasChild("449900", "449901"));
  EXPECT_TRUE(IsAddressCode("449901"));
  EXPECT_FALSE(IsAddressCode("449900"));
  EXPECT_EQ(CheckIdNumber(id, today, 0), IdProblem::kNone);

  InstallDivisionChanges({});
  EXPECT_FALSE(IsKnownDivision("440199"));
  EXPECT_EQ(FindDivision("440106")->name, "天河区");
  EXPECT_TRUE(FindDivision("440103")->current);
}

// A node built from another table ends with the same divisions: a change of a code the
// compiled table does not hold still leaves it in its defined state.
TEST_F(DivisionChangesTest, EachChangeLeavesItsDivisionInOneStateWhateverTheTable) {
  const DivisionChange changes[] = {{Kind::kRename, "440198", "别处新设的区", ""},
                                    {Kind::kRetire, "440197", "别处撤销的区", ""},
                                    {Kind::kAdd, "440106", "天河区", ""}};
  InstallDivisionChanges(changes);
  EXPECT_TRUE(FindDivision("440198")->current);
  EXPECT_EQ(FindDivision("440198")->name, "别处新设的区");
  EXPECT_FALSE(FindDivision("440197")->current);
  EXPECT_EQ(FindDivision("440197")->name, "别处撤销的区");
  EXPECT_TRUE(FindDivision("440106")->current);
}

TEST_F(DivisionChangesTest, KindsHaveIdsAndNames) {
  for (auto kind : {Kind::kAdd, Kind::kRename, Kind::kRetire})
    EXPECT_EQ(ParseDivisionChangeKind(DivisionChangeKindId(kind)), kind);
  EXPECT_EQ(DivisionChangeKindName(Kind::kRetire), "撤销");
  EXPECT_EQ(ParseDivisionChangeKind("merge"), std::nullopt);
}

// A change recorded ahead follows those held but not yet in effect: checked against the table
// with them laid, on this thread only, and the table every lookup reads is left as it was.
TEST_F(DivisionChangesTest, ACheckAfterTheStoredChangesSeesThemWithoutInstallingThem) {
  const DivisionChange add{Kind::kAdd, "440199", "测试新区", ""};
  const DivisionChange retire{Kind::kRetire, "440117", "", "440199"};
  EXPECT_EQ(Check(retire), Problems{"successor:unknown_successor"});
  EXPECT_TRUE(CheckDivisionChangeAfter(retire, {&add, 1}).empty());
  EXPECT_EQ(CheckDivisionChangeAfter(add, {&add, 1}).at(0).code, "exists");
  EXPECT_FALSE(IsKnownDivision("440199"));  // nothing installed, the scope ended
  const DivisionChange rename{Kind::kRename, "440106", "天河新区", ""};
  EXPECT_EQ(DivisionNameAfter("440106", {&rename, 1}), "天河新区");
  EXPECT_EQ(DivisionNameAfter("440106", {}), "天河区");
  EXPECT_EQ(DivisionNameAfter("449999", {}), "");
  EXPECT_EQ(FindDivision("440106")->name, "天河区");
}

}  // namespace
}  // namespace nemis::codes
