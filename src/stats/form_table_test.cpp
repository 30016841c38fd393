// Filling a form from given counts: each cell sums the counted rows its row's and column's
// conditions (and the population's) admit; the graduates column reads the period's counts;
// cells of unavailable lines stay empty and "not applicable" ones are "-"; a check that
// fails names the row and both sides; the period is the school year before the point in
// time.
#include "stats/form_table.hpp"

#include <gtest/gtest.h>

#include "stats/form_output.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::stats {
namespace {

using registry::StatsDimension;
using registry::StatsResult;
using registry::StatsRow;

constexpr std::string_view kForm = R"({
  "id": "T1", "title": "测试表", "population": {"stage": ["primary"], "status": ["01", "05"]},
  "columns": [
    {"code": "1", "name": "毕业生数", "measure": "graduates"},
    {"code": "2", "name": "在校生数"},
    {"code": "3", "name": "#女", "where": {"gender": [2]}},
    {"code": "4", "name": "一年级", "where": {"grade": [1]}},
    {"code": "5", "name": "学前年限", "unavailable": "无此数据"}
  ],
  "rows": [
    {"code": "01", "name": "总计"},
    {"code": "02", "name": "#女", "where": {"gender": [2]}, "notApplicable": ["3"]},
    {"code": "03", "name": "#少数民族", "where": {"ethnicity": {"not": ["01"]}}}
  ],
  "checks": [
    {"rule": "C4 = C2", "per": "row"},
    {"rule": "R03 <= R02", "per": "column"}
  ]
})";

db::Value T(const char* s) { return db::Value(std::string(s)); }
db::Value I(int64_t i) { return db::Value(i); }

// Point counts keyed (ethnicity, gender, grade, stage, status): DimensionsOf's order, the
// enum's.
StatsResult Point(const std::vector<StatsDimension>& by) {
  StatsResult r{"440106", by, {}, 0};
  const auto add = [&](const db::Value& eth, int64_t gender, int64_t grade, const char* stage,
                       const char* status, int64_t n) {
    std::vector<db::Value> keys;
    for (auto d : by) {
      if (d == StatsDimension::kEthnicity) keys.push_back(eth);
      if (d == StatsDimension::kGender) keys.push_back(I(gender));
      if (d == StatsDimension::kGrade) keys.push_back(I(grade));
      if (d == StatsDimension::kStage) keys.push_back(T(stage));
      if (d == StatsDimension::kStatus) keys.push_back(T(status));
    }
    r.rows.push_back({keys, n});
    r.total += n;
  };
  add(T("01"), 1, 1, "primary", "01", 10);
  add(T("01"), 2, 1, "primary", "01", 7);
  add(T("02"), 2, 1, "primary", "05", 2);  // 复学: in school
  add(T("03"), 1, 2, "primary", "01", 4);
  add(T("01"), 2, 2, "primary", "02", 50);  // 休学: not counted
  add(T("01"), 1, 7, "junior", "01", 90);   // another stage: not counted
  return r;
}

StatsResult Graduates(const std::vector<StatsDimension>& by) {
  StatsResult r{"440106", by, {}, 0};
  std::vector<db::Value> girl, boy;
  for (auto d : by) {
    EXPECT_NE(d, StatsDimension::kGrade);
    EXPECT_NE(d, StatsDimension::kStatus);
    if (d == StatsDimension::kEthnicity) girl.push_back(T("02")), boy.push_back(T("01"));
    if (d == StatsDimension::kGender) girl.push_back(I(2)), boy.push_back(I(1));
    if (d == StatsDimension::kStage) girl.push_back(T("primary")), boy.push_back(T("primary"));
  }
  r.rows = {{girl, 3}, {boy, 5}};
  return r;
}

TEST(FormTableTest, CellsSumWhatTheirConditionsAdmitAndChecksNameWhatFails) {
  auto form = ParseForm(kForm);
  ASSERT_OK(form);
  Date from, to;
  FormSources sources;
  sources.point = [](const std::vector<StatsDimension>& by) -> Result<StatsResult> {
    return Point(by);
  };
  sources.graduates = [&](const std::vector<StatsDimension>& by, Date f,
                          Date t) -> Result<StatsResult> {
    from = f;
    to = t;
    return Graduates(by);
  };
  auto table = FillForm(*form, "440106", Date{2026, 9, 1}, sources);
  ASSERT_OK(table);
  EXPECT_EQ(from, (Date{2025, 9, 1}));
  EXPECT_EQ(to, (Date{2026, 8, 31}));
  EXPECT_EQ(table->period_from, from);
  EXPECT_EQ(table->org_code, "440106");
  const auto value = [&](size_t r, size_t c) { return table->cells[r][c].value; };
  using V = std::optional<int64_t>;
  // 总计: graduates 8, in school 23 (10 + 7 + 2 + 4), girls 9, grade one 19.
  EXPECT_EQ(value(0, 0), V(8));
  EXPECT_EQ(value(0, 1), V(23));
  EXPECT_EQ(value(0, 2), V(9));
  EXPECT_EQ(value(0, 3), V(19));
  EXPECT_EQ(value(0, 4), std::nullopt);  // unavailable
  // #女: the #女 column does not apply.
  EXPECT_EQ(value(1, 0), V(3));
  EXPECT_EQ(value(1, 1), V(9));
  EXPECT_TRUE(table->cells[1][2].not_applicable);
  EXPECT_EQ(value(1, 3), V(9));
  // #少数民族 (not 01): 2 + 4 in school, the girl graduate.
  EXPECT_EQ(value(2, 0), V(3));
  EXPECT_EQ(value(2, 1), V(6));
  EXPECT_EQ(value(2, 2), V(2));
  EXPECT_EQ(value(2, 3), V(2));
  // C4 = C2 fails on rows 01 (19 against 23) and 03 (2 against 6), not on 02 (9, 9);
  // R03 <= R02 holds in every column (the #女 column, "-" in row 02, is not checked).
  ASSERT_EQ(table->checks.size(), 2u);
  EXPECT_EQ(table->checks[0].failures,
            (std::vector<std::string>{"行 01：左边 19，右边 23", "行 03：左边 2，右边 6"}));
  EXPECT_TRUE(table->checks[1].failures.empty());
  const std::string csv = FormCsv(*table);
  EXPECT_EQ(csv,
            "指标名称,代码,1 毕业生数,2 在校生数,3 #女,4 一年级,5 学前年限\n"
            "总计,01,8,23,9,19,\n"
            "#女,02,3,9,-,9,\n"
            "#少数民族,03,3,6,2,2,\n");
  const auto json = FormJson(*table);
  EXPECT_EQ(json["rows"][1]["cells"][2], "-");
  EXPECT_TRUE(json["rows"][0]["cells"][4].is_null());
  EXPECT_EQ(json["period"]["from"], "2025-09-01");
  EXPECT_EQ(json["checks"][0]["passed"], false);
}

// Classes: pupils of one school, grade and class number of the population make a class;
// each class counts once, in its size band's row and its grade's column.
TEST(FormTableTest, AClassesFormCountsEachClassInItsSizeBandAndGrade) {
  auto form = ParseForm(R"({"id": "T2", "measure": "classes",
    "population": {"stage": ["primary"], "status": ["01"]},
    "columns": [{"code": "1", "name": "合计"}, {"code": "2", "name": "一年级", "where": {"grade": [1]}}],
    "rows": [{"code": "01", "name": "总计"}, {"code": "02", "name": "30人及以下", "classSize": [0, 30]},
             {"code": "03", "name": "31人及以上", "classSize": [31, null]}],
    "checks": [{"rule": "R03 = 0", "per": "column", "severity": "warning", "message": "有 31 人及以上的班"}]})");
  ASSERT_OK(form);
  FormSources sources;
  sources.point = [](const std::vector<StatsDimension>& by) -> Result<StatsResult> {
    StatsResult r{"440106", by, {}, 0};
    const auto add = [&](const char* school, int64_t grade, const char* class_no,
                         const char* status, int64_t n) {
      std::vector<db::Value> keys;
      for (auto d : by) {
        if (d == StatsDimension::kSchool) keys.push_back(T(school));
        if (d == StatsDimension::kGrade) keys.push_back(I(grade));
        if (d == StatsDimension::kClassNo) keys.push_back(T(class_no));
        if (d == StatsDimension::kStage) keys.push_back(T("primary"));
        if (d == StatsDimension::kStatus) keys.push_back(T(status));
      }
      r.rows.push_back({keys, n});
    };
    add("2144000001", 1, "01", "01", 20);
    add("2144000001", 1, "01", "01", 15);  // the same class (another key of the grouping)
    add("2144000001", 1, "02", "01", 12);
    add("2144000001", 1, "02", "02", 40);  // 休学: not in the class
    add("2144000003", 1, "01", "01", 30);  // another school's class 01
    add("2144000001", 2, "01", "01", 31);
    return r;
  };
  sources.graduates = [](const std::vector<StatsDimension>&, Date, Date) -> Result<StatsResult> {
    ADD_FAILURE() << "a classes form has no graduates";
    return StatsResult{};
  };
  auto t = FillForm(*form, "440106", Date{2026, 9, 1}, sources);
  ASSERT_OK(t);
  using V = std::optional<int64_t>;
  // Classes: (school 1, grade 1, 01) 35; (1, 1, 02) 12; (3, 1, 01) 30; (1, 2, 01) 31.
  EXPECT_EQ(t->cells[0][0].value, V(4));
  EXPECT_EQ(t->cells[0][1].value, V(3));
  EXPECT_EQ(t->cells[1][0].value, V(2));  // 12 and 30
  EXPECT_EQ(t->cells[1][1].value, V(2));
  EXPECT_EQ(t->cells[2][0].value, V(2));  // 35 and 31
  EXPECT_EQ(t->cells[2][1].value, V(1));
  // The warning (a number as a term) fails in both columns, and says it is a warning.
  ASSERT_EQ(t->checks.size(), 1u);
  EXPECT_EQ(t->checks[0].failures,
            (std::vector<std::string>{"栏 1：左边 2，右边 0", "栏 2：左边 1，右边 0"}));
  const auto json = FormJson(*t);
  EXPECT_EQ(json["checks"][0]["severity"], "warning");
  EXPECT_EQ(json["checks"][0]["message"], "有 31 人及以上的班");
}

TEST(FormTableTest, ThePointInTimeIsTheLastFirstOfSeptember) {
  auto form = ParseForm(kForm);
  ASSERT_OK(form);
  EXPECT_EQ(PointInTimeOf(*form, Date{2026, 9, 1}), (Date{2026, 9, 1}));
  EXPECT_EQ(PointInTimeOf(*form, Date{2026, 8, 31}), (Date{2025, 9, 1}));
  EXPECT_EQ(PointInTimeOf(*form, Date{2027, 1, 15}), (Date{2026, 9, 1}));
}

TEST(FormTableTest, AFailedCountFailsTheForm) {
  auto form = ParseForm(kForm);
  ASSERT_OK(form);
  FormSources sources;
  sources.point = [](const std::vector<StatsDimension>&) -> Result<StatsResult> {
    return Error::NotFound("机构 440199 不存在");
  };
  sources.graduates = [](const std::vector<StatsDimension>& by, Date, Date) -> Result<StatsResult> {
    return Graduates(by);
  };
  EXPECT_THAT(FillForm(*form, "440199", Date{2026, 9, 1}, sources),
              nemis::testing::IsErrorCode("not_found"));
}

}  // namespace
}  // namespace nemis::stats
