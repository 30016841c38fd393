// Indicators: the compiled-in file parses against the forms; a cell that is not on its
// form or not computable is refused with the field named; values are sums or scaled
// ratios of cells, each form filled once per point, a zero denominator giving no value.
#include "stats/indicators.hpp"

#include <gtest/gtest.h>

#include <map>

#include "testing/result_matchers.hpp"

namespace nemis::stats {
namespace {

using nemis::testing::IsErrorCode;

TEST(IndicatorsTest, TheCompiledInIndicatorsNameComputableCells) {
  const auto& all = Indicators();
  ASSERT_GE(all.size(), 8u);
  const auto large = std::find_if(all.begin(), all.end(), [](const Indicator& i) {
    return i.id == "primary_large_class_rate";
  });
  ASSERT_NE(large, all.end());
  EXPECT_EQ(large->numerator.size(), 3u);
  EXPECT_EQ(large->denominator.size(), 1u);
  EXPECT_EQ(large->unit, "%");
  EXPECT_EQ(large->scale, 100);
  EXPECT_FALSE(large->formula.empty());
}

std::string Field(const Result<std::vector<Indicator>>& r) {
  return r.ok() || r.error().fields.empty() ? "" : r.error().fields[0].field;
}

TEST(IndicatorsTest, ABadIndicatorFileIsRefusedNamingTheField) {
  EXPECT_EQ(Field(ParseIndicators(R"([{"id": "a", "name": "A", "numerator": ["教基9999:01:1"]}])")),
            "[0].numerator[0]");
  // Row 04 (复式班) of 教基3112 cannot be computed.
  EXPECT_EQ(Field(ParseIndicators(R"([{"id": "a", "name": "A", "numerator": ["教基3112:04:7"]}])")),
            "[0].numerator[0]");
  EXPECT_EQ(
      Field(ParseIndicators(
          R"([{"id": "a", "name": "A", "numerator": ["教基3112:01:7"], "denominator": ["01:7"]}])")),
      "[0].denominator[0]");
  EXPECT_EQ(Field(ParseIndicators(R"([{"id": "a", "name": "A", "numerator": []}])")),
            "[0].numerator");
  EXPECT_EQ(Field(ParseIndicators(R"([{"name": "A", "numerator": ["教基3112:01:7"]}])")), "[0]");
  EXPECT_THAT(ParseIndicators("{}"), IsErrorCode("validation_failed"));
}

TEST(IndicatorsTest, ValuesAreSumsOrScaledRatiosOfCellsEachFormFilledOncePerPoint) {
  auto indicators = ParseIndicators(R"([
    {"id": "n", "name": "在校生", "numerator": ["教基3112:01:7"]},
    {"id": "share", "name": "随迁占比", "unit": "%", "scale": 100,
     "numerator": ["教基3112:06:7"], "denominator": ["教基3112:01:7"]},
    {"id": "size", "name": "平均班额", "numerator": ["教基3112:01:7"], "denominator": ["教基2106:01:1"]}])");
  ASSERT_OK(indicators);
  std::map<std::string, int> fills;
  const FormFiller fill = [&](const FormDefinition& form, Date day) -> Result<FormTable> {
    ++fills[form.id + "@" + day.ToIso()];
    FormTable t;
    t.form = &form;
    t.org_code = "440106";
    t.cells.assign(form.rows.size(),
                   std::vector<FormCell>(form.columns.size(), FormCell{0, false}));
    const int64_t in_school = day.year == 2025 ? 400 : 500;
    if (form.id == "教基3112") {
      t.cells[0][6].value = in_school;  // 总计·在校生数
      t.cells[5][6].value = 50;         // #随迁子女·在校生数
    } else {
      t.cells[0][0].value = day.year == 2025 ? 0 : 10;  // 总计 classes: none in 2025
    }
    return t;
  };
  auto trend = ComputeIndicators(*indicators, {Date{2025, 9, 1}, Date{2026, 9, 1}}, fill);
  ASSERT_OK(trend);
  EXPECT_EQ(trend->org_code, "440106");
  ASSERT_EQ(trend->series.size(), 3u);
  using V = std::vector<std::optional<double>>;
  EXPECT_EQ(trend->series[0].values, (V{400, 500}));
  EXPECT_EQ(trend->series[1].values, (V{12.5, 10}));
  EXPECT_EQ(trend->series[2].values, (V{std::nullopt, 50}));  // no class in 2025: no value
  for (const auto& [key, n] : fills) EXPECT_EQ(n, 1) << key;
  EXPECT_EQ(fills.size(), 4u);  // two forms, two points
}

}  // namespace
}  // namespace nemis::stats
