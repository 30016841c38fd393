// The review rules on hand-made snapshots: a grade with pupils and no class is an error
// naming both forms; a head count far from last year's and a school without pupils are
// warnings; the allowed birth years of a grade; a region's snapshot is the cell-wise sum of
// its parts, an uncomputed cell staying uncomputed; and the snapshot's JSON round-trips.
#include "stats/submission_checks.hpp"

#include <gtest/gtest.h>

namespace nemis::stats {
namespace {

using Json = nlohmann::json;

// A snapshot of one primary school: 教基3112 with `pupils` in grade 1 and 教基2106 with
// `classes` first-grade classes of `pupils` pupils (so every band and total agrees).
Snapshot School(const std::string& code, int64_t pupils, int64_t classes) {
  Snapshot s;
  s.year = 2026;
  s.org_code = code;
  s.point = PointOfYear(2026);
  s.students = pupils;
  s.schools = 1;
  for (const char* id : {"教基3112", "教基2106"}) {
    const FormDefinition* form = FindForm(id);
    FormTable t;
    t.form = form;
    t.org_code = code;
    t.as_of = s.point;
    for (const auto& row : form->rows) {
      std::vector<FormCell> cells;
      for (const auto& column : form->columns) {
        FormCell cell;
        if (!row.unavailable && !column.unavailable) cell.value = 0;
        cells.push_back(cell);
      }
      t.cells.push_back(std::move(cells));
    }
    auto set = [&](const std::string& row, const std::string& column, int64_t v) {
      size_t r = 0, c = 0;
      while (form->rows[r].code != row) ++r;
      while (form->columns[c].code != column) ++c;
      t.cells[r][c].value = v;
    };
    if (std::string(id) == "教基3112") {
      set("01", "2", pupils);  // 招生数
      set("01", "7", pupils);  // 在校生数
      set("01", "9", pupils);  // 一年级
    } else {
      // All classes in the band of the average class size.
      const int64_t size = classes > 0 ? pupils / classes : 0;
      const std::string band =
          size <= 25   ? "03"
          : size >= 66 ? "12"
                       : [&] {
                           const int64_t row = 4 + (size - 26) / 5;  // 26-30 is row 04, ...
                           return std::string(row < 10 ? "0" : "") + std::to_string(row);
                         }();
      for (const char* column : {"1", "2"}) {
        set("01", column, classes);
        set(band, column, classes);
      }
    }
    RunChecks(t);
    s.forms.push_back(std::move(t));
  }
  return s;
}

bool Has(const std::vector<Finding>& findings, const std::string& id, bool warning) {
  for (const auto& f : findings)
    if (f.id == id) return f.warning == warning;
  return false;
}

TEST(SubmissionChecksTest, AGradeWithPupilsAndNoClassIsAnErrorNamingBothForms) {
  auto findings = ReviewSnapshot(School("2144000001", 30, 0), {});
  ASSERT_TRUE(Has(findings, "cross:教基2106与教基3112:1", false));
  EXPECT_NE(findings.back().message.find("一年级"), std::string::npos);
  EXPECT_TRUE(Unexplained(findings, {}).empty());  // an error is fixed, not explained
  EXPECT_TRUE(ReviewSnapshot(School("2144000001", 30, 1), {}).empty());
  EXPECT_TRUE(Has(ReviewSnapshot(School("2144000001", 3, 4), {}), "cross:教基2106与教基3112:1",
                  false));  // more classes than pupils
}

TEST(SubmissionChecksTest, ClassSizesThatCannotHoldTheGradesPupilsAreAnError) {
  Snapshot s = School("2144000001", 30, 1);  // one class of 26-30
  EXPECT_TRUE(ReviewSnapshot(s, {}).empty());
  FormTable& classes = s.forms[1];  // 教基2106
  ASSERT_EQ(classes.form->id, "教基2106");
  classes.cells[3][1].value = 0;  // the class moved from 26-30 (row 04) to 31-35 (row 05)
  classes.cells[4][1].value = 1;
  classes.cells[3][0].value = 0;
  classes.cells[4][0].value = 1;
  RunChecks(classes);
  auto findings = ReviewSnapshot(s, {});
  ASSERT_TRUE(Has(findings, "bands:教基2106班额与教基3112:1", false));
  EXPECT_NE(findings.back().message.find("31–35"), std::string::npos) << findings.back().message;
  EXPECT_TRUE(ReviewSnapshot(School("2144000001", 70, 1), {}).size() >=
              1);  // 66+: 超大班额 warnings
  EXPECT_FALSE(Has(ReviewSnapshot(School("2144000001", 70, 1), {}),
                   "bands:教基2106班额与教基3112:1",
                   false));  // the open band holds any number
}

TEST(SubmissionChecksTest, HeadCountsFarFromLastYearAndSchoolsWithoutPupilsAreWarnings) {
  ReviewFacts facts;
  facts.last_year_students = 100;
  EXPECT_FALSE(Has(ReviewSnapshot(School("s", 120, 4), facts), "year_on_year", true));  // 20%
  auto findings = ReviewSnapshot(School("s", 121, 4), facts);
  ASSERT_TRUE(Has(findings, "year_on_year", true));
  EXPECT_EQ(Unexplained(findings, {}), std::vector<std::string>{"year_on_year"});
  EXPECT_EQ(Unexplained(findings, {{"year_on_year", "  "}}),
            std::vector<std::string>{"year_on_year"});
  EXPECT_TRUE(Unexplained(findings, {{"year_on_year", "新建校区"}}).empty());
  EXPECT_TRUE(Has(ReviewSnapshot(School("s", 79, 3), facts), "year_on_year", true));
  EXPECT_TRUE(Has(ReviewSnapshot(School("s", 0, 0), {}), "no_students", true));
}

TEST(SubmissionChecksTest, AGradesBirthYearsAllowTwoYearsOlderAndOneYounger) {
  EXPECT_EQ(AllowedBirthYears(2026, 1), (std::pair{2017, 2021}));
  EXPECT_EQ(AllowedBirthYears(2026, 6), (std::pair{2012, 2016}));
  ReviewFacts facts;
  facts.grade_age.push_back({1, 2, 2017, 2021});
  auto findings = ReviewSnapshot(School("s", 30, 1), facts);
  ASSERT_TRUE(Has(findings, "grade_age:1", true));
}

TEST(SubmissionChecksTest, ARegionIsTheCellWiseSumOfItsPartsAndRoundTrips) {
  Snapshot a = School("2144000001", 30, 1), b = School("2144000002", 20, 1);
  b.forms[0].cells[0][2].value.reset();  // a cell b cannot compute
  Snapshot sum = SumSnapshots(2026, "440106", {a, b});
  EXPECT_EQ(sum.students, 50);
  EXPECT_EQ(sum.schools, 2);
  EXPECT_EQ(sum.forms[0].form->id, "教基2106");  // catalogue order
  const FormTable& pupils = sum.forms[1];
  EXPECT_EQ(pupils.cells[0][6].value, 50);
  EXPECT_FALSE(pupils.cells[0][2].value.has_value());
  auto back = SnapshotFromJson(SnapshotJson(sum));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(SnapshotJson(*back), SnapshotJson(sum));
  Json bad = SnapshotJson(sum);
  bad["forms"][0]["rows"][0] = "99";
  auto refused = SnapshotFromJson(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).field, "snapshot.forms[0]");
  EXPECT_NE(SubmissionDigest(SnapshotJson(sum), {}),
            SubmissionDigest(SnapshotJson(sum), {{"x", "y"}}));
}

}  // namespace
}  // namespace nemis::stats
