#include "importer/pending_students.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nemis::importer {
namespace {

RowVerdict Valid(uint64_t line, std::optional<std::string> id_number) {
  RowVerdict v;
  v.line = line;
  v.student.emplace();
  v.student->name = "学生" + std::to_string(line);
  v.student->id_number = std::move(id_number);
  return v;
}

RowVerdict Invalid(uint64_t line) {
  RowVerdict v;
  v.line = line;
  v.errors.push_back({line, "idNumber", "身份证件号", "bad_check_digit", "校验码错误"});
  return v;
}

BatchVerdict Verdict(std::vector<RowVerdict> rows) {
  BatchVerdict verdict;
  verdict.rows = std::move(rows);
  return verdict;
}

std::vector<std::string> Names(const PendingStudents& pending) {
  std::vector<std::string> out;
  for (const auto* s : pending.students()) out.push_back(s->name);
  return out;
}

const auto kAll = [](uint64_t) { return true; };

TEST(PendingStudentsTest, TakesTheValidRowsThatAreKeptAndHoldsThemInPlace) {
  PendingStudents pending;
  pending.Add(Verdict({Valid(2, "440106201903150011"), Invalid(3), Valid(4, "440106201903150020")}),
              kAll);
  pending.Add(Verdict({Valid(5, "440106201903150038"), Valid(6, std::nullopt)}),
              [](uint64_t line) { return line != 5; });
  // Many more verdicts move the ones held; the students they hold stay where they are.
  for (uint64_t line = 7; line < 200; ++line) pending.Add(Verdict({Invalid(line)}), kAll);
  EXPECT_EQ(Names(pending), (std::vector<std::string>{"学生2", "学生4", "学生6"}));
  EXPECT_EQ(pending.lines(), (std::vector<uint64_t>{2, 4, 6}));
}

TEST(PendingStudentsTest, SortsByNumberIndexWithTheUnsealedLast) {
  std::vector<RowVerdict> rows;
  for (auto [line, index] :
       std::vector<std::pair<uint64_t, std::string>>{{2, "c7"}, {3, ""}, {4, "0a"}, {5, "9f"}}) {
    rows.push_back(Valid(line, std::nullopt));
    if (index.empty()) continue;
    rows.back().student->sealed.record = "sealed";
    rows.back().student->sealed.number_index = index;
  }
  PendingStudents pending;
  pending.Add(Verdict(std::move(rows)), kAll);
  pending.SortByNumberIndex();
  EXPECT_EQ(Names(pending), (std::vector<std::string>{"学生4", "学生5", "学生2", "学生3"}));
  EXPECT_EQ(pending.lines(), (std::vector<uint64_t>{4, 5, 2, 3}));
}

TEST(PendingStudentsTest, DropsTheMarkedRowsAndClears) {
  PendingStudents pending;
  pending.Add(Verdict({Valid(2, "1"), Valid(3, "2"), Valid(4, "3"), Valid(5, "4")}), kAll);
  pending.Drop({true, false, true, false});
  EXPECT_EQ(Names(pending), (std::vector<std::string>{"学生3", "学生5"}));
  EXPECT_EQ(pending.lines(), (std::vector<uint64_t>{3, 5}));
  EXPECT_EQ(pending.size(), 2u);
  pending.Clear();
  EXPECT_TRUE(pending.empty());
  EXPECT_TRUE(pending.lines().empty());
}

}  // namespace
}  // namespace nemis::importer
