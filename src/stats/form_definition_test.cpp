// The forms compiled in parse and are found by id and old name; a form file with an
// unknown dimension, a value of the wrong kind, a check naming a column the form does not
// have, or no rows is refused with the field named.
#include "stats/form_definition.hpp"

#include <gtest/gtest.h>

#include "testing/result_matchers.hpp"

namespace nemis::stats {
namespace {

using nemis::testing::IsErrorCode;

TEST(FormDefinitionTest, TheCompiledInFormsParseAndAreFoundByIdAndOldName) {
  ASSERT_FALSE(Forms().empty());
  const FormDefinition* f = FindForm("教基3112");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(FindForm("基础基312"), f);
  EXPECT_EQ(FindForm("基础基999"), nullptr);
  EXPECT_EQ(f->columns.size(), 15u);
  EXPECT_EQ(f->rows.size(), 12u);
  EXPECT_EQ(f->columns[0].name, "毕业生数");
  EXPECT_TRUE(f->columns[0].graduates);
  EXPECT_TRUE(f->columns[2].unavailable.has_value());  // 学前教育年限: not in the registry
  EXPECT_EQ(f->rows[2].where.size(), 1u);
  EXPECT_TRUE(f->rows[2].where[0].negate);  // 少数民族: not 01
  EXPECT_TRUE(f->rows[2].where[0].Matches(db::Value(std::string("02"))));
  EXPECT_FALSE(f->rows[2].where[0].Matches(db::Value(std::string("01"))));
  EXPECT_EQ(f->point_month, 9);
  EXPECT_EQ(f->point_day, 1);
  ASSERT_FALSE(f->checks.empty());
  using Term = FormCheck::Term;
  EXPECT_EQ(f->checks[1].left, (std::vector<Term>{Term{"7", std::nullopt}}));
  ASSERT_EQ(f->checks[1].right.size(), 6u);
  EXPECT_EQ(f->checks[1].right[5], (Term{"14", std::nullopt}));
  // 教基2106's warnings: a number as a term, the severity and what it means.
  const FormDefinition* classes = FindForm("教基2106");
  ASSERT_NE(classes, nullptr);
  const FormCheck& large = classes->checks.at(2);
  EXPECT_TRUE(large.warning);
  EXPECT_FALSE(large.per_row);
  EXPECT_EQ(large.right, (std::vector<Term>{Term{"", 0}}));
  EXPECT_NE(large.message.find("大班额"), std::string::npos);
}

TEST(FormDefinitionTest, TheClassesFormCountsClassesBySizeAndGrade) {
  const FormDefinition* f = FindForm("基础基212");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->id, "教基2106");
  EXPECT_EQ(f->measure, FormMeasure::kClasses);
  ASSERT_EQ(f->rows.size(), 12u);
  EXPECT_EQ(f->rows[2].class_size, (std::pair<int64_t, std::optional<int64_t>>{0, 25}));
  EXPECT_EQ(f->rows[11].class_size, (std::pair<int64_t, std::optional<int64_t>>{66, std::nullopt}));
  EXPECT_FALSE(f->rows[0].class_size.has_value());
  EXPECT_EQ(f->unit, "个");
}

TEST(FormDefinitionTest, TheSeniorHighFormCountsGradesTenToTwelve) {
  const FormDefinition* f = FindForm("基础基314");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->id, "教基3118");
  ASSERT_EQ(f->columns.size(), 8u);
  EXPECT_EQ(f->population[0].values, std::vector<db::Value>{std::string("senior")});
  EXPECT_EQ(f->columns[4].where[0].values, std::vector<db::Value>{int64_t{10}});
  EXPECT_EQ(f->columns[7].where[0].values, std::vector<db::Value>{int64_t{12}});
  EXPECT_EQ(Forms().size(), 4u);
}

std::string Field(const Result<FormDefinition>& r) {
  return r.ok() || r.error().fields.empty() ? "" : r.error().fields[0].field;
}

TEST(FormDefinitionTest, ABadFormFileIsRefusedNamingTheField) {
  const std::string head = R"({"id": "X", "rows": [{"code": "01", "name": "总计"}], )";
  auto unknown =
      ParseForm(head + R"("columns": [{"code": "1", "name": "a", "where": {"shoeSize": [1]}}]})");
  EXPECT_THAT(unknown, IsErrorCode("validation_failed"));
  EXPECT_EQ(Field(unknown), "columns[0].where.shoeSize");
  auto kind =
      ParseForm(head + R"("columns": [{"code": "1", "name": "a", "where": {"grade": ["1"]}}]})");
  EXPECT_EQ(Field(kind), "columns[0].where.grade");
  auto check = ParseForm(
      head + R"("columns": [{"code": "1", "name": "a"}], "checks": [{"rule": "C1 = C2"}]})");
  EXPECT_EQ(Field(check), "checks[0].rule");
  auto syntax =
      ParseForm(head + R"("columns": [{"code": "1", "name": "a"}], "checks": [{"rule": "C1 ="}]})");
  EXPECT_EQ(Field(syntax), "checks[0].rule");
  auto no_columns = ParseForm(R"({"id": "X", "rows": [{"code": "01", "name": "总计"}]})");
  EXPECT_EQ(Field(no_columns), "columns");
  auto measure =
      ParseForm(head + R"("columns": [{"code": "1", "name": "a", "measure": "teachers"}]})");
  EXPECT_EQ(Field(measure), "columns[0].measure");
  EXPECT_EQ(Field(ParseForm("[1, 2]")), "(文件)");
  EXPECT_EQ(Field(ParseForm(R"({"id": 5})")), "id");
  EXPECT_TRUE(ParseForm(head + R"("columns": [{"code": "1", "name": "a"}]})").ok());
  const std::string schools =
      R"({"id": "X", "measure": "schools", "rows": [{"code": "01", "name": "总计"}], )";
  auto pupils_of_schools =
      ParseForm(schools + R"("columns": [{"code": "1", "name": "a", "where": {"gender": [2]}}]})");
  EXPECT_EQ(Field(pupils_of_schools), "columns[0].where");
  EXPECT_TRUE(
      ParseForm(schools +
                R"("columns": [{"code": "1", "name": "a", "where": {"schoolType": ["211"]}}]})")
          .ok());
  EXPECT_EQ(Field(ParseForm(R"({"id": "X", "measure": "teachers", "rows": [], "columns": []})")),
            "measure");
  const std::string classes = R"({"id": "X", "measure": "classes", )";
  auto pupil_condition = ParseForm(classes + R"("rows": [{"code": "01", "name": "总计"}],
      "columns": [{"code": "1", "name": "女", "where": {"gender": [2]}}]})");
  EXPECT_EQ(Field(pupil_condition), "columns[0].where");
  auto size_column = ParseForm(classes + R"("rows": [{"code": "01", "name": "总计"}],
      "columns": [{"code": "1", "name": "a", "classSize": [1, 5]}]})");
  EXPECT_EQ(Field(size_column), "columns[0].classSize");
  auto bad_size = ParseForm(classes + R"("columns": [{"code": "1", "name": "a"}],
      "rows": [{"code": "01", "name": "a", "classSize": [66]}]})");
  EXPECT_EQ(Field(bad_size), "rows[0].classSize");
  EXPECT_EQ(Field(ParseForm(R"({"id": "X", "measure": "rooms"})")), "measure");
  auto severity = ParseForm(head + R"("columns": [{"code": "1", "name": "a"}],
      "checks": [{"rule": "C1 = 0", "severity": "fatal"}]})");
  EXPECT_EQ(Field(severity), "checks[0].severity");
}

}  // namespace
}  // namespace nemis::stats
