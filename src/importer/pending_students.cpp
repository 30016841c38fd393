#include "importer/pending_students.hpp"

#include <algorithm>
#include <numeric>
#include <string_view>

namespace nemis::importer {

void PendingStudents::Add(BatchVerdict verdict, const std::function<bool(uint64_t line)>& keep) {
  for (RowVerdict& v : verdict.rows) {
    if (!v.errors.empty() || !v.student || !keep(v.line)) continue;
    students_.push_back(&*v.student);
    lines_.push_back(v.line);
  }
  verdicts_.push_back(std::move(verdict));
}

void PendingStudents::SortByNumberIndex() {
  auto key = [](const registry::Student* s) -> std::string_view {
    return s->sealed.empty() ? std::string_view("~") : std::string_view(s->sealed.number_index);
  };
  std::vector<size_t> order(students_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return key(students_[a]) < key(students_[b]); });
  std::vector<registry::Student*> students;
  std::vector<uint64_t> lines;
  students.reserve(order.size());
  lines.reserve(order.size());
  for (size_t i : order) {
    students.push_back(students_[i]);
    lines.push_back(lines_[i]);
  }
  students_ = std::move(students);
  lines_ = std::move(lines);
}

void PendingStudents::Drop(const std::vector<bool>& marked) {
  size_t kept = 0;
  for (size_t i = 0; i < students_.size(); ++i) {
    if (marked[i]) continue;
    students_[kept] = students_[i];
    lines_[kept] = lines_[i];
    ++kept;
  }
  students_.resize(kept);
  lines_.resize(kept);
}

void PendingStudents::Clear() {
  students_.clear();
  lines_.clear();
  verdicts_.clear();
}

}  // namespace nemis::importer
