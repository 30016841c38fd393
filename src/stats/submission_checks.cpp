#include "stats/submission_checks.hpp"

#include <cstdlib>

namespace nemis::stats {
namespace {

// A students form and a classes form of one stage, on the same grades: a grade with
// students has at least one class and no more classes than students.
struct ClassesOfStudents {
  std::string_view students_form, students_row, students_first_grade;
  std::string_view classes_form, classes_row, classes_first_grade;
  int grades;
};
constexpr ClassesOfStudents kClassesOfStudents[] = {
    {"教基3112", "01", "9", "教基2106", "01", "2", 6},  // 小学: 在校生数 by grade, 班数 by grade
};

const FormTable* FindTable(const Snapshot& s, std::string_view id) {
  for (const auto& t : s.forms)
    if (t.form->id == id) return &t;
  return nullptr;
}

std::optional<int64_t> Cell(const FormTable& t, std::string_view row, std::string_view column,
                            int offset) {
  size_t r = 0, c = 0;
  while (r < t.form->rows.size() && t.form->rows[r].code != row) ++r;
  while (c < t.form->columns.size() && t.form->columns[c].code != column) ++c;
  c += static_cast<size_t>(offset);
  if (r >= t.cells.size() || c >= t.cells[r].size()) return std::nullopt;
  return t.cells[r][c].value;
}

const char* const kGradeNames[] = {"一", "二", "三", "四", "五",   "六",
                                   "七", "八", "九", "十", "十一", "十二"};
std::string GradeName(int grade) {
  if (grade < 1 || grade > 12) return std::to_string(grade) + " 年级";
  return std::string(kGradeNames[grade - 1]) + "年级";
}

void FormChecks(const Snapshot& s, std::vector<Finding>& out) {
  for (const FormTable& t : s.forms) {
    for (const CheckOutcome& outcome : t.checks) {
      if (outcome.failures.empty()) continue;
      std::string message = t.form->id + " " + outcome.check->rule + " 不成立：";
      for (size_t i = 0; i < outcome.failures.size(); ++i)
        message += (i ? "；" : "") + outcome.failures[i];
      if (!outcome.check->message.empty()) message += "。" + outcome.check->message;
      out.push_back({t.form->id + ":" + outcome.check->rule, outcome.check->warning,
                     outcome.check->rule, std::move(message)});
    }
  }
}

// The pupils a grade's classes can hold by their class-size bands (the rows with a class
// size): at least Σ smallest × classes, at most Σ largest × classes (none for the open band);
// nullopt if a band's count is not computed.
struct PupilBounds {
  int64_t low = 0;
  std::optional<int64_t> high = 0;
};
std::optional<PupilBounds> BoundsOf(const FormTable& classes, size_t column) {
  PupilBounds b;
  for (size_t r = 0; r < classes.form->rows.size(); ++r) {
    const auto& band = classes.form->rows[r].class_size;
    if (!band) continue;
    const std::optional<int64_t>& n = classes.cells[r][column].value;
    if (!n) return std::nullopt;
    b.low += band->first * *n;
    if (!band->second && *n > 0) b.high.reset();
    if (band->second && b.high) *b.high += *band->second * *n;
  }
  return b;
}

size_t ColumnIndex(const FormTable& t, std::string_view code) {
  size_t c = 0;
  while (c < t.form->columns.size() && t.form->columns[c].code != code) ++c;
  return c;
}

// 班额 × 班数 against the grade's pupils (S9: the classes' sizes cannot hold more or fewer
// pupils than the grade has).
void BandChecks(const ClassesOfStudents& pair, const FormTable& classes, int g, int64_t pupils,
                std::vector<Finding>& out) {
  const size_t column = ColumnIndex(classes, pair.classes_first_grade) + static_cast<size_t>(g);
  if (column >= classes.form->columns.size()) return;
  const auto bounds = BoundsOf(classes, column);
  if (!bounds || (pupils >= bounds->low && (!bounds->high || pupils <= *bounds->high))) return;
  const std::string rule =
      std::string(pair.classes_form) + "班额与" + std::string(pair.students_form);
  out.push_back({"bands:" + rule + ":" + std::to_string(g + 1), false, rule,
                 GradeName(g + 1) + "：在校生 " + std::to_string(pupils) + " 人，而 " +
                     std::string(pair.classes_form) + " 各班额段的班数可容纳 " +
                     std::to_string(bounds->low) + "–" +
                     (bounds->high ? std::to_string(*bounds->high) : std::string("不限")) + " 人"});
}

void CrossFormChecks(const Snapshot& s, std::vector<Finding>& out) {
  for (const auto& pair : kClassesOfStudents) {
    const FormTable* students = FindTable(s, pair.students_form);
    const FormTable* classes = FindTable(s, pair.classes_form);
    if (students == nullptr) continue;
    for (int g = 0; g < pair.grades; ++g) {
      auto pupils = Cell(*students, pair.students_row, pair.students_first_grade, g);
      std::optional<int64_t> count =
          classes ? Cell(*classes, pair.classes_row, pair.classes_first_grade, g) : 0;
      if (!pupils || !count) continue;
      const bool ok = *pupils == 0 ? *count == 0 : (*count >= 1 && *count <= *pupils);
      if (ok && classes != nullptr) BandChecks(pair, *classes, g, *pupils, out);
      if (ok) continue;
      const std::string rule =
          std::string(pair.classes_form) + "与" + std::string(pair.students_form);
      out.push_back({"cross:" + rule + ":" + std::to_string(g + 1), false, rule,
                     GradeName(g + 1) + "：" + std::string(pair.students_form) + " 在校生 " +
                         std::to_string(*pupils) + " 人，" + std::string(pair.classes_form) +
                         " 班数 " + std::to_string(*count) +
                         "（有学生的年级至少一个班，班数不多于学生数）"});
    }
  }
}

void HeadCountChecks(const Snapshot& s, const ReviewFacts& facts, std::vector<Finding>& out) {
  if (facts.school && s.students == 0)
    out.push_back(
        {"no_students", true, "无在校生",
         "统计时点 " + s.point.ToIso() + " 本校没有在校生：请说明（停办、撤并或未录入学籍）"});
  if (!facts.school && !s.schools_without_students.empty()) {
    std::string codes;
    for (size_t i = 0; i < s.schools_without_students.size() && i < 10; ++i)
      codes += (i ? "、" : "") + s.schools_without_students[i];
    if (s.schools_without_students.size() > 10) codes += " 等";
    out.push_back(
        {"schools_without_students", true, "无在校生的学校",
         std::to_string(s.schools_without_students.size()) + " 所学校没有在校生：" + codes});
  }
  if (facts.last_year_students && *facts.last_year_students > 0) {
    const int64_t last = *facts.last_year_students;
    const int64_t change = s.students - last;
    if (std::llabs(change) * 100 > static_cast<int64_t>(facts.year_on_year_percent) * last)
      out.push_back({"year_on_year", true, "与上年相比",
                     "在校生 " + std::to_string(s.students) + " 人，上年 " + std::to_string(last) +
                         " 人，变化 " + std::to_string(change * 100 / last) + "%（超过 " +
                         std::to_string(facts.year_on_year_percent) + "%）"});
  }
}

void GradeAgeChecks(const ReviewFacts& facts, std::vector<Finding>& out) {
  for (const GradeAgeAnomaly& a : facts.grade_age) {
    if (a.students == 0) continue;
    out.push_back({"grade_age:" + std::to_string(a.grade), true, "年级与年龄",
                   GradeName(a.grade) + " " + std::to_string(a.students) +
                       " 名学生的出生年份不在 " + std::to_string(a.born_from) + "–" +
                       std::to_string(a.born_to) + " 年之间（与年级不符：请核对出生日期或年级）"});
  }
}

}  // namespace

std::pair<int, int> AllowedBirthYears(int year, int grade) {
  // A pupil of grade g is born between September of year-g-6 and August of year-g-5.
  return {year - grade - 8, year - grade - 4};
}

std::vector<Finding> ReviewSnapshot(const Snapshot& s, const ReviewFacts& facts) {
  std::vector<Finding> out;
  FormChecks(s, out);
  CrossFormChecks(s, out);
  HeadCountChecks(s, facts, out);
  GradeAgeChecks(facts, out);
  return out;
}

nlohmann::json FindingsJson(const std::vector<Finding>& findings) {
  nlohmann::json out = nlohmann::json::array();
  for (const Finding& f : findings)
    out.push_back({{"id", f.id},
                   {"severity", f.warning ? "warning" : "error"},
                   {"rule", f.rule},
                   {"message", f.message}});
  return out;
}

std::vector<std::string> Unexplained(const std::vector<Finding>& findings,
                                     const std::map<std::string, std::string>& explanations) {
  std::vector<std::string> missing;
  for (const Finding& f : findings) {
    if (!f.warning) continue;
    auto it = explanations.find(f.id);
    if (it == explanations.end() || it->second.find_first_not_of(" \t\r\n") == std::string::npos)
      missing.push_back(f.id);
  }
  return missing;
}

}  // namespace nemis::stats
