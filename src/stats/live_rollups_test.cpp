// The rollups the follower keeps against a fresh one-pass count (CountUnder) of the same
// projection: after random rounds of registrations, changes of every column, moves between
// schools, promotions, schools moved to another county and new schools, every grouping of
// the students' own dimensions at every root (the node, a province, cities, counties,
// schools), current students and all, is the same, with a school's dimensions (child,
// school, county, urban-rural class, type) too; a grouping with too many keys is left to the
// one-pass count; an evicted grouping is made again.
// The cells of a students form (教基3112, whose rows select by the school's urban-rural
// class) kept the same way equal the form filled from a one-pass count, drilled down to the
// children too.
#include "stats/live_rollups.hpp"

#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "stats/form_table.hpp"
#include "stats/student_counter.hpp"

namespace nemis::stats {
namespace {

using D = registry::StatsDimension;
using registry::StatsQuery;

const std::vector<std::vector<D>> kGroupings = {
    {},
    {D::kGrade},
    {D::kGrade, D::kGender},
    {D::kStage, D::kStatus},
    {D::kEthnicity, D::kLeftBehind, D::kBoarding},
    {D::kMigrantChild, D::kOrphan, D::kMartyrChild, D::kInRegularClass},
    {D::kDisabilityType, D::kHukouType},
    {D::kGrade, D::kBirthYear},
    {D::kClassNo},
    // With a school's dimensions: read school by school.
    {D::kOrg},
    {D::kOrg, D::kGrade, D::kGender},
    {D::kGrade, D::kUrbanRural},
    {D::kSchool, D::kGrade, D::kClassNo},
    {D::kCounty, D::kGender},
    {D::kSchoolType, D::kMigrantChild, D::kOrg},
};

// Two cities of three counties, a province-direct county, schools spread over them.
class LiveRollupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Region(1, "440000", org::OrgLevel::kProvince, std::nullopt, std::nullopt);
    Region(2, "440100", org::OrgLevel::kCity, "440100", std::nullopt);
    Region(3, "440300", org::OrgLevel::kCity, "440300", std::nullopt);
    Region(4, "440106", org::OrgLevel::kCounty, "440100", "440106");
    Region(5, "440111", org::OrgLevel::kCounty, "440100", "440111");
    Region(6, "440303", org::OrgLevel::kCounty, "440300", "440303");
    Region(7, "441900", org::OrgLevel::kCounty, std::nullopt, "441900");
    for (int64_t id = 10; id < 18; ++id) School(id, kCounties[static_cast<size_t>(id) % 4]);
  }

  static constexpr const char* kCounties[] = {"440106", "440111", "440303", "441900"};

  static std::optional<std::string> CityOf(const std::string& county) {
    if (county == "441900") return std::nullopt;
    return county.substr(0, 4) + "00";
  }

  void Region(int64_t id, const std::string& code, org::OrgLevel level,
              std::optional<std::string> city, std::optional<std::string> county) {
    OrgEntry e;
    e.institution.id = id;
    e.institution.code = code;
    e.institution.level = level;
    e.institution.province_code = "440000";
    e.institution.city_code = std::move(city);
    e.institution.county_code = std::move(county);
    p_.orgs.Put(e);
  }

  static constexpr const char* kUrbanRural[] = {"111", "121", "210", "220"};

  OrgEntry SchoolRow(int64_t id, const std::string& county, int64_t promotions,
                     std::optional<std::string> urban_rural = std::nullopt) const {
    OrgEntry e;
    e.institution.id = id;
    e.institution.code = "44" + std::to_string(10000000 + id);
    e.institution.level = org::OrgLevel::kSchool;
    e.institution.province_code = "440000";
    e.institution.city_code = CityOf(county);
    e.institution.county_code = county;
    e.institution.urban_rural =
        urban_rural ? std::move(urban_rural) : kUrbanRural[static_cast<size_t>(id) % 4];
    e.promotions = promotions;
    return e;
  }
  void School(int64_t id, const std::string& county) { p_.orgs.Put(SchoolRow(id, county, 0)); }

  // A random number in [0, n).
  int64_t Below(int64_t n) { return static_cast<int64_t>(rng_() % static_cast<uint32_t>(n)); }

  StudentFacts RandomStudent(int64_t id) {
    StudentFacts f;
    f.id = id;
    f.school_id = 10 + Below(schools_);
    f.stage = rng_() % 3 ? "primary" : "junior";
    f.grade = f.stage == "primary" ? 1 + Below(6) : 7 + Below(3);
    f.grade_mark = Below(3);
    f.class_no = "0" + std::to_string(1 + rng_() % 4);
    f.gender = 1 + Below(2);
    // Later students bring ethnicities the first ones had not: codes new to the dictionary.
    f.ethnicity = "0" + std::to_string(1 + rng_() % (id > 400 ? 5 : 3));
    f.left_behind = Below(3);
    f.migrant_child = rng_() % 5 == 0;
    f.orphan = rng_() % 9 == 0;
    f.in_regular_class = rng_() % 7 == 0;
    if (rng_() % 2) f.boarding = 1 + Below(2);
    if (rng_() % 6 == 0) f.disability_type = std::to_string(1 + rng_() % 3);
    if (rng_() % 2) f.hukou_type = std::to_string(1 + rng_() % 2);
    static const char* kStatuses[] = {"01", "01", "01", "02", "05", "99"};
    f.status = kStatuses[rng_() % 6];
    f.birth_date = std::to_string(2012 + rng_() % 8) + "-03-15";
    f.entry_date = "2020-09";
    return f;
  }

  // A batch as the follower applies it: rows taken out, the projection changed, put back.
  void ApplyBatch(const std::vector<OrgEntry>& orgs, const std::vector<StudentFacts>& students) {
    std::vector<int64_t> ids;
    ids.reserve(students.size());
    for (const auto& s : students) ids.push_back(s.id);
    rollups_.BeforeApply(p_, ids, orgs);
    for (const auto& o : orgs) p_.orgs.Put(o);
    for (const auto& s : students) ASSERT_TRUE(p_.students.Put(s).ok());
    rollups_.AfterApply(p_, ids);
  }

  // One round: new students, changed ones (any column, another school), and institutions
  // changed (a promotion, a school moved to another county or made rural, a new school).
  void RandomBatch() {
    std::vector<OrgEntry> orgs;
    for (int i = 0; i < 2; ++i) {
      const int64_t school = 10 + Below(schools_);
      const OrgEntry* now = p_.orgs.ById(school);
      const std::string county = *now->institution.county_code;
      switch (rng_() % 4) {
        case 0:
          orgs.push_back(
              SchoolRow(school, county, now->promotions + 1, now->institution.urban_rural));
          break;
        case 1:
          orgs.push_back(SchoolRow(school, kCounties[rng_() % 4], now->promotions,
                                   now->institution.urban_rural));
          break;
        case 2:
          orgs.push_back(SchoolRow(school, county, now->promotions, kUrbanRural[rng_() % 4]));
          break;
        default:
          orgs.push_back(SchoolRow(10 + schools_++, kCounties[rng_() % 4], 0));
      }
    }
    std::vector<StudentFacts> students;
    students.reserve(80);
    for (int i = 0; i < 40; ++i) students.push_back(RandomStudent(next_id_++));
    for (int i = 0; i < 40; ++i)
      students.push_back(RandomStudent(1 + static_cast<int64_t>(rng_() % (next_id_ - 1))));
    std::sort(students.begin(), students.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    students.erase(std::unique(students.begin(), students.end(),
                               [](const auto& a, const auto& b) { return a.id == b.id; }),
                   students.end());
    ApplyBatch(orgs, students);
  }

  std::vector<org::Subtree> Roots() const {
    std::vector<org::Subtree> roots = {org::Subtree{}};
    for (int64_t id = 1; id < p_.orgs.IdLimit(); ++id)
      if (const OrgEntry* e = p_.orgs.ById(id)) roots.push_back(org::Subtree::Of(e->institution));
    return roots;
  }

  // Every grouping at every root from the rollups equals the one-pass count.
  void ExpectRollupsMatchOnePass() {
    for (const auto& root : Roots()) {
      for (const auto& by : kGroupings) {
        for (bool all : {false, true}) {
          const StatsQuery query{root.code, by, all};
          auto kept = rollups_.Count(p_, root, query);
          auto counted = CountUnder(p_, root, query);
          ASSERT_TRUE(kept.has_value()) << root.code;
          ASSERT_TRUE(counted.ok());
          const auto name = root.code + " by " + std::to_string(by.size()) + (all ? " all" : "");
          EXPECT_EQ(kept->org_code, counted->org_code) << name;
          EXPECT_EQ(kept->total, counted->total) << name;
          ASSERT_EQ(kept->rows.size(), counted->rows.size()) << name;
          for (size_t i = 0; i < kept->rows.size(); ++i) {
            EXPECT_EQ(kept->rows[i].keys, counted->rows[i].keys) << name << " row " << i;
            EXPECT_EQ(kept->rows[i].count, counted->rows[i].count) << name << " row " << i;
          }
        }
      }
    }
  }

  // The cells of 教基3112 at every root from the rollups equal the form filled by one pass.
  void ExpectFormCellsMatchOnePass() {
    const FormDefinition& form = *FindForm("教基3112");
    const Date day{2026, 12, 6};
    for (const auto& root : Roots()) {
      FormSources one_pass;
      one_pass.point = [&](const std::vector<D>& by) {
        return CountUnder(p_, root, {root.code, by, true});
      };
      one_pass.graduates = [&](const std::vector<D>& by, Date, Date) {
        return Result<registry::StatsResult>(registry::StatsResult{root.code, by, {}, 0});
      };
      FormSources kept = one_pass;
      kept.point = nullptr;  // never asked
      kept.point_cells_by_child =
          [&](const FormDefinition& f) -> Result<std::optional<FormSources::CellsByChild>> {
        auto children = rollups_.FormCellsByChild(p_, root, f);
        if (!children) return std::optional<FormSources::CellsByChild>();
        FormSources::CellsByChild out{root.code, {}};
        for (auto& [code, cells] : *children) out.children.push_back({code, cells});
        return std::optional(out);
      };
      kept.point_cells = [&](const FormDefinition& f) -> Result<std::optional<FormSources::Cells>> {
        auto cells = rollups_.FormCells(p_, root, f);
        if (!cells) return std::optional<FormSources::Cells>();
        return std::optional(FormSources::Cells{root.code, *cells});
      };
      auto expected = FillForm(form, root.code, day, one_pass);
      auto got = FillForm(form, root.code, day, kept);
      ASSERT_TRUE(expected.ok() && got.ok()) << root.code;
      EXPECT_EQ(got->org_code, root.code);
      for (size_t r = 0; r < form.rows.size(); ++r)
        for (size_t c = 0; c < form.columns.size(); ++c)
          EXPECT_EQ(got->cells[r][c].value, expected->cells[r][c].value)
              << root.code << " row " << form.rows[r].code << " column " << form.columns[c].code;
      // Drilled down to the children, every cell of the first row and of the rural row.
      for (size_t r : {size_t{0}, size_t{11}}) {
        for (size_t c = 0; c < form.columns.size(); ++c) {
          auto want = CellByChild(form, r, c, day, one_pass);
          auto drilled = CellByChild(form, r, c, day, kept);
          ASSERT_TRUE(want.ok() && drilled.ok()) << root.code;
          EXPECT_EQ(drilled->org_code, want->org_code);
          EXPECT_EQ(drilled->cell.value, want->cell.value) << root.code << " " << r << "," << c;
          ASSERT_EQ(drilled->children.size(), want->children.size()) << root.code;
          for (size_t i = 0; i < want->children.size(); ++i) {
            EXPECT_EQ(drilled->children[i].org_code, want->children[i].org_code);
            EXPECT_EQ(drilled->children[i].cell.value, want->children[i].cell.value)
                << root.code << " child " << want->children[i].org_code << " " << r << "," << c;
          }
        }
      }
    }
  }

  Projection p_;
  LiveRollups rollups_{/*capacity=*/2 * kGroupings.size()};  // all kept: none made again
  std::mt19937 rng_{20261206};
  int64_t next_id_ = 1;
  int64_t schools_ = 8;
};

TEST_F(LiveRollupsTest, KeptCountsEqualAOnePassCountThroughRandomChanges) {
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(p_.students.Put(RandomStudent(next_id_++)).ok());
  ExpectRollupsMatchOnePass();  // made now, from the projection as loaded
  for (int round = 0; round < 25; ++round) {
    RandomBatch();
    if (HasFatalFailure()) return;
    ExpectRollupsMatchOnePass();
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(rollups_.MemoryBytes(), 0u);
}

TEST_F(LiveRollupsTest, KeptFormCellsEqualTheFormFilledByOnePassThroughRandomChanges) {
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(p_.students.Put(RandomStudent(next_id_++)).ok());
  ExpectFormCellsMatchOnePass();
  int64_t students_counted = 0;
  for (int round = 0; round < 25; ++round) {
    RandomBatch();
    if (HasFatalFailure()) return;
    ExpectFormCellsMatchOnePass();
    if (HasFatalFailure()) return;
  }
  auto cells = rollups_.FormCells(p_, org::Subtree{}, *FindForm("教基3112"));
  ASSERT_TRUE(cells);
  for (int64_t n : *cells) students_counted += n;
  EXPECT_GT(students_counted, 0);  // the form counts someone: the comparison compared cells
}

TEST_F(LiveRollupsTest, AFormOfClassesOrSchoolsIsLeftToTheOnePassCount) {
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(p_.students.Put(RandomStudent(next_id_++)).ok());
  EXPECT_FALSE(rollups_.FormCells(p_, org::Subtree{}, *FindForm("教基2106")));
  EXPECT_FALSE(rollups_.FormCells(p_, org::Subtree{}, *FindForm("教基1001")));
  EXPECT_TRUE(rollups_.FormCells(p_, org::Subtree{}, *FindForm("教基3118")));
}

TEST_F(LiveRollupsTest, TooManyKeysOrNoRollupsLeaveCountsToTheOnePass) {
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(p_.students.Put(RandomStudent(next_id_++)).ok());
  // Eight one-byte dimensions do not fit a 64-bit key.
  EXPECT_FALSE(rollups_.Count(p_, org::Subtree{},
                              {"",
                               {D::kGrade, D::kGender, D::kEthnicity, D::kStage, D::kStatus,
                                D::kLeftBehind, D::kBoarding, D::kHukouType},
                               true}));
  LiveRollups off(/*capacity=*/0);  // stats.rollups = 0: every count left to the one pass
  EXPECT_FALSE(off.Count(p_, org::Subtree{}, {"", {D::kGender}, true}));
  EXPECT_FALSE(off.FormCells(p_, org::Subtree{}, *FindForm("教基3112")));
  LiveRollups small(/*capacity=*/16, /*max_entries=*/40);  // gender: at most 34
  EXPECT_FALSE(small.Count(p_, org::Subtree{}, {"", {D::kGrade, D::kBirthYear}, true}));
  EXPECT_TRUE(small.Count(p_, org::Subtree{}, {"", {D::kGender}, true}));
}

TEST_F(LiveRollupsTest, AGroupingDroppedForANewerOneIsMadeAgainWhenAsked) {
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(p_.students.Put(RandomStudent(next_id_++)).ok());
  LiveRollups two(/*capacity=*/2);
  const org::Subtree node{};
  auto first = two.Count(p_, node, {"", {D::kGrade}, false});
  ASSERT_TRUE(first);
  ASSERT_TRUE(two.Count(p_, node, {"", {D::kGender}, false}));
  ASSERT_TRUE(two.Count(p_, node, {"", {D::kStage}, false}));  // drops the grades
  std::vector<int64_t> ids = {1, 2, 3};
  two.BeforeApply(p_, ids, {});
  for (int64_t id : ids) ASSERT_TRUE(p_.students.Put(RandomStudent(id)).ok());
  two.AfterApply(p_, ids);
  auto again = two.Count(p_, node, {"", {D::kGrade}, false});
  auto counted = CountUnder(p_, node, {"", {D::kGrade}, false});
  ASSERT_TRUE(again && counted.ok());
  EXPECT_EQ(again->total, counted->total);
  EXPECT_EQ(again->rows.size(), counted->rows.size());
}

}  // namespace
}  // namespace nemis::stats

namespace nemis::stats {
namespace {

// Askers at once (as requests under the projection's shared lock): rollups made while
// others are asked, the same one made by two askers at once kept once; every answer is the
// one-pass count's.
TEST_F(LiveRollupsTest, AskersAtOnceGetTheOnePassCounts) {
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(p_.students.Put(RandomStudent(next_id_++)).ok());
  const org::Subtree node{};
  std::vector<std::thread> askers;
  std::vector<int> wrong(4, 0);
  for (size_t t = 0; t < wrong.size(); ++t) {
    askers.emplace_back([&, t] {
      for (size_t g = 0; g < kGroupings.size(); ++g) {
        const auto& by = kGroupings[(g + t) % kGroupings.size()];
        const StatsQuery query{"", by, t % 2 == 0};
        auto kept = rollups_.Count(p_, node, query);
        auto counted = CountUnder(p_, node, query);
        if (!kept || !counted.ok() || kept->total != counted->total ||
            kept->rows.size() != counted->rows.size())
          ++wrong[t];
      }
    });
  }
  for (auto& a : askers) a.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace nemis::stats
